/// The reference U-Net ε-network (Gerdes et al.), on images of `height × width × inChannels` given in
/// GUD's `(batch, space, channel)` layout with `space = height · width` (row-major).
///
/// Structure (channel-major `[C, N, H, W]` inside; C_i = baseChannels · multiplier_i):
/// - embedding of t or γ (``ConditioningEmbedding``), `time_embed`;
/// - `input_conv` 3×3 (in → C₀) + SiLU, `enc_conv1` 3×3 (C₀ → C₀) + SiLU;
/// - encoder level i (`down.i`): residual blocks `res.j` at C_i (the output is kept as a skip), then,
///   except at the last level, `downsample` 3×3 stride 2 (C_i → C_{i+1}) + SiLU;
/// - optional bottleneck self-attention (`attention`), then the `middle` residual block;
/// - decoder step i (`up.i`, from the bottleneck back): bilinear ×2 upsampling, `upsample_conv` 3×3 to the
///   next channel count + SiLU, concatenation of the matching skip, residual blocks `res.j` (the first
///   taking twice the channels); then `final.res.j` at C₀;
/// - `output_norm` (LayerNorm) + SiLU, `output_conv` 3×3 (C₀ → out) with N(0, 1e-4²) weights and zero bias.
///
/// Parameter counts match the reference: 28,761 for ``UNetConfiguration/small(height:width:conditioning:)``
/// and 303,281 for ``UNetConfiguration/big(height:width:conditioning:)`` at 28×28×1.
public final class UNet<Scalar: TensorScalar>: EpsilonNetwork {
    public static var architectureName: String { "unet" }
    public let configuration: UNetConfiguration
    public let parameters: ParameterStore<Scalar>
    public let tape: Tape<Scalar>

    let embedding: ConditioningEmbedding
    let inputConv: Conv2D
    let encoderConv: Conv2D
    let downBlocks: [[ResidualBlock]]
    let downsamplers: [Conv2D]
    let attention: AttentionBlock?
    let middle: ResidualBlock
    let upConvs: [Conv2D]
    let upBlocks: [[ResidualBlock]]
    let finalBlocks: [ResidualBlock]
    let outputNorm: LayerNorm
    let outputConv: Conv2D

    public var space: Int { configuration.height * configuration.width }
    public var channels: Int { configuration.inChannels }
    public var conditioningKind: ConditioningKind { configuration.conditioning }

    /// Builds the network with parameters initialised deterministically from `source`
    /// (flax's defaults: LeCun-normal kernels, zero biases, unit norm scales).
    /// - Throws: `GUDError.invalidArgument` for an invalid configuration.
    public init(_ configuration: UNetConfiguration, source: RandomSource) throws {
        try configuration.validate()
        guard configuration.inChannels == configuration.outChannels else {
            throw GUDError.invalidArgument("an ε-network needs outChannels == inChannels, got \(configuration.outChannels) and \(configuration.inChannels)")
        }
        self.configuration = configuration
        let store = ParameterStore<Scalar>()
        parameters = store
        tape = Tape(parameters: store)
        let b = ParameterBuilder(store: store, source: source)
        let cfg = configuration
        let e = cfg.embeddingDimension
        let ch = cfg.channelMultipliers.map { $0 * cfg.baseChannels }
        let levels = ch.count

        embedding = try ConditioningEmbedding(b.scope("time_embed"), kind: cfg.conditioning, dimension: e)
        inputConv = try Conv2D(b.scope("input_conv"), inputs: cfg.inChannels, outputs: ch[0])
        encoderConv = try Conv2D(b.scope("enc_conv1"), inputs: ch[0], outputs: ch[0])
        var down: [[ResidualBlock]] = []
        var samplers: [Conv2D] = []
        for i in 0..<levels {
            let level = b.scope("down").scope("\(i)")
            down.append(try (0..<cfg.residualBlocksPerLevel).map {
                try ResidualBlock(level.scope("res").scope("\($0)"), inputs: ch[i], outputs: ch[i], embedding: e, dropoutRate: cfg.dropout)
            })
            if i < levels - 1 {
                samplers.append(try Conv2D(level.scope("downsample"), inputs: ch[i], outputs: ch[i + 1], stride: 2))
            }
        }
        downBlocks = down
        downsamplers = samplers
        if let h = cfg.attentionHeads, h > 0 {
            attention = try AttentionBlock(b.scope("attention"), channels: ch[levels - 1], heads: h)
        } else {
            attention = nil
        }
        middle = try ResidualBlock(b.scope("middle"), inputs: ch[levels - 1], outputs: ch[levels - 1], embedding: e, dropoutRate: cfg.dropout)
        var convs: [Conv2D] = []
        var up: [[ResidualBlock]] = []
        for i in 0..<(levels - 1) {
            let level = b.scope("up").scope("\(i)")
            let current = ch[levels - 1 - i], next = ch[levels - 2 - i]
            convs.append(try Conv2D(level.scope("upsample_conv"), inputs: current, outputs: next))
            up.append(try (0..<cfg.residualBlocksPerLevel).map {
                try ResidualBlock(level.scope("res").scope("\($0)"), inputs: $0 == 0 ? 2 * next : next, outputs: next, embedding: e, dropoutRate: cfg.dropout)
            })
        }
        upConvs = convs
        upBlocks = up
        finalBlocks = try (0..<cfg.residualBlocksPerLevel).map {
            try ResidualBlock(b.scope("final").scope("res").scope("\($0)"), inputs: ch[0], outputs: ch[0], embedding: e, dropoutRate: cfg.dropout)
        }
        outputNorm = try LayerNorm(b.scope("output_norm"), channels: ch[0])
        outputConv = try Conv2D(b.scope("output_conv"), inputs: ch[0], outputs: cfg.outChannels, weightInitializer: .normal(stddev: 1e-4))
    }

    public func forward(_ x: Variable, conditioning: Variable, on tape: Tape<Scalar>) throws -> Variable {
        let cfg = configuration
        let n = x.extents[0]
        // (N, H·W, C) → [C, N, H, W].
        var h = try tape.reshape(
            tape.permute(x, Permutation(0, 3, 1, 2)), Extents(cfg.inChannels, n, cfg.height, cfg.width))
        let temb = try embedding(conditioning, on: tape)
        h = try inputConv(h, on: tape, activation: .silu)
        h = try encoderConv(h, on: tape, activation: .silu)
        // Skips are kept in a fixed-size buffer to stay allocation-free.
        var skips = SkipStack()
        for (i, blocks) in downBlocks.enumerated() {
            for block in blocks { h = try block(h, embedding: temb, on: tape) }
            skips.push(h)
            if i < downsamplers.count { h = try downsamplers[i](h, on: tape, activation: .silu) }
        }
        if let attention { h = try attention(h, on: tape) }
        h = try middle(h, embedding: temb, on: tape)
        for i in 0..<upConvs.count {
            h = try upConvs[i](tape.upsampleBilinear2x(h), on: tape, activation: .silu)
            h = try tape.concatenate(h, skips[skips.count - 2 - i], axis: 0)
            for block in upBlocks[i] { h = try block(h, embedding: temb, on: tape) }
        }
        for block in finalBlocks { h = try block(h, embedding: temb, on: tape) }
        h = try outputNorm(h, on: tape, activation: .silu)
        h = try outputConv(h, on: tape)
        // [C, N, H, W] → (N, H·W, C).
        let flat = try tape.reshape(h, Extents(cfg.outChannels, n, cfg.height * cfg.width))
        return tape.permute(flat, Permutation(0, 2, 3, 1))
    }
}

/// A small fixed-capacity stack of variables (the U-Net's skips) that never allocates.
struct SkipStack {
    private var items: (Variable?, Variable?, Variable?, Variable?, Variable?, Variable?, Variable?, Variable?) =
        (nil, nil, nil, nil, nil, nil, nil, nil)
    private(set) var count = 0
    private var overflow: [Variable] = []

    mutating func push(_ v: Variable) {
        switch count {
        case 0: items.0 = v
        case 1: items.1 = v
        case 2: items.2 = v
        case 3: items.3 = v
        case 4: items.4 = v
        case 5: items.5 = v
        case 6: items.6 = v
        case 7: items.7 = v
        default: overflow.append(v)
        }
        count += 1
    }

    subscript(i: Int) -> Variable {
        switch i {
        case 0: return items.0!
        case 1: return items.1!
        case 2: return items.2!
        case 3: return items.3!
        case 4: return items.4!
        case 5: return items.5!
        case 6: return items.6!
        case 7: return items.7!
        default: return overflow[i - 8]
        }
    }
}
