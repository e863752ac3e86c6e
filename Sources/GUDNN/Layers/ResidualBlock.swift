/// The residual block of the reference U-Net, on channel-major images `[in, N, H, W] → [out, N, H, W]`:
///
///     h = SiLU(LayerNorm₁(conv₁(x)) + Dense(temb))
///     y = skip(x) + dropout(LayerNorm₂(conv₂(h)))
///
/// with 3×3 convolutions, `skip` a 1×1 convolution when in ≠ out (identity otherwise), and dropout active
/// only in passes with a dropout source. Parameter names: `conv1`, `norm1`, `time_proj`, `conv2`, `norm2`, `skip`.
public struct ResidualBlock: Sendable {
    /// The first 3×3 convolution, in → out.
    public let conv1: Conv2D
    /// The normalisation after `conv1`, with the embedding shift and SiLU fused.
    public let norm1: LayerNorm
    /// The projection of the conditioning embedding E → out (`time_proj`).
    public let timeProjection: Dense
    /// The second 3×3 convolution, out → out.
    public let conv2: Conv2D
    /// The normalisation after `conv2`, with dropout and the residual fused.
    public let norm2: LayerNorm
    /// The 1×1 convolution of the skip path when in ≠ out, else `nil` (identity).
    public let skip: Conv2D?
    /// The dropout probability in training passes.
    public let dropoutRate: Double

    /// Registers the block's parameters under the builder's scope.
    /// - Parameters:
    ///   - b: the builder.
    ///   - inputs: input channels.
    ///   - outputs: output channels.
    ///   - embedding: E, the size of the conditioning embedding.
    ///   - dropoutRate: the dropout probability in training passes.
    public init<S>(_ b: ParameterBuilder<S>, inputs: Int, outputs: Int, embedding: Int, dropoutRate: Double) throws {
        conv1 = try Conv2D(b.scope("conv1"), inputs: inputs, outputs: outputs)
        norm1 = try LayerNorm(b.scope("norm1"), channels: outputs)
        timeProjection = try Dense(b.scope("time_proj"), inputs: embedding, outputs: outputs)
        conv2 = try Conv2D(b.scope("conv2"), inputs: outputs, outputs: outputs)
        norm2 = try LayerNorm(b.scope("norm2"), channels: outputs)
        skip = inputs == outputs ? nil : try Conv2D(b.scope("skip"), inputs: inputs, outputs: outputs, kernelSize: 1)
        self.dropoutRate = dropoutRate
    }

    /// Records the block on `tape`.
    /// - Parameters:
    ///   - x: `[in, N, H, W]`.
    ///   - embedding: `[N, E]`.
    ///   - tape: the tape of the caller's pass.
    /// - Returns: `[out, N, H, W]`.
    public func callAsFunction<S>(_ x: Variable, embedding: Variable, on tape: Tape<S>) throws -> Variable {
        let shift = try timeProjection(embedding, on: tape)
        let h = try norm1(conv1(x, on: tape), on: tape, shift: shift, activation: .silu)
        let s = try skip.map { try $0(x, on: tape) } ?? x
        return try norm2(conv2(h, on: tape), on: tape, dropoutRate: dropoutRate, residual: s)
    }
}
