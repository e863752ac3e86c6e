/// The configuration of a ``UNet`` (stored as JSON in checkpoint metadata).
///
/// Defaults follow the reference implementation: base channels 32, multipliers (1, 2, 4), one residual
/// block per level, 4 attention heads at the bottleneck, dropout 0.05, embedding dimension 64,
/// conditioning on time.
public struct UNetConfiguration: Codable, Sendable, Equatable {
    /// Image height and width; `x` has `height · width` spatial positions (row-major).
    public var height: Int
    /// The image width.
    public var width: Int
    /// The channels of the input `x` (default 1).
    public var inChannels: Int = 1
    /// The channels of the output ε (default 1; equal to `inChannels` for an ε-network).
    public var outChannels: Int = 1
    /// C: the channels of the first level; level i has C · channelMultipliers[i].
    public var baseChannels: Int = 32
    /// The channel multiplier of every level; the image is halved between levels, so both sides must
    /// be divisible by 2^(levels − 1).
    public var channelMultipliers: [Int] = [1, 2, 4]
    /// Residual blocks per encoder level, per decoder step and in the final stage (default 1).
    public var residualBlocksPerLevel: Int = 1
    /// Heads of the bottleneck self-attention; `nil` or 0 for none.
    public var attentionHeads: Int? = 4
    /// Dropout rate inside residual blocks during training.
    public var dropout: Double = 0.05
    /// The size of the time or γ embedding (default 64).
    public var embeddingDimension: Int = 64
    /// What the network is conditioned on: the time (default) or the per-component γ vector.
    public var conditioning: ConditioningKind = .time

    /// A configuration with the reference's defaults for everything not given; ``validate()`` checks it.
    public init(
        height: Int, width: Int, inChannels: Int = 1, outChannels: Int = 1, baseChannels: Int = 32,
        channelMultipliers: [Int] = [1, 2, 4], residualBlocksPerLevel: Int = 1, attentionHeads: Int? = 4,
        dropout: Double = 0.05, embeddingDimension: Int = 64, conditioning: ConditioningKind = .time
    ) {
        self.height = height
        self.width = width
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.baseChannels = baseChannels
        self.channelMultipliers = channelMultipliers
        self.residualBlocksPerLevel = residualBlocksPerLevel
        self.attentionHeads = attentionHeads
        self.dropout = dropout
        self.embeddingDimension = embeddingDimension
        self.conditioning = conditioning
    }

    /// The reference's small U-Net: C = 8, multipliers (1, 2), no attention (28,761 parameters at 28×28×1).
    public static func small(height: Int = 28, width: Int = 28, conditioning: ConditioningKind = .time) -> UNetConfiguration {
        UNetConfiguration(height: height, width: width, baseChannels: 8, channelMultipliers: [1, 2], attentionHeads: nil, conditioning: conditioning)
    }

    /// The reference's big U-Net: C = 16, multipliers (1, 2, 4), 2 heads (303,281 parameters at 28×28×1).
    public static func big(height: Int = 28, width: Int = 28, conditioning: ConditioningKind = .time) -> UNetConfiguration {
        UNetConfiguration(height: height, width: width, baseChannels: 16, channelMultipliers: [1, 2, 4], attentionHeads: 2, conditioning: conditioning)
    }

    /// Throws `GUDError.invalidArgument` naming the first invalid setting.
    public func validate() throws {
        func fail(_ m: String) -> GUDError { .invalidArgument("U-Net configuration: \(m)") }
        guard height > 0, width > 0, inChannels > 0, outChannels > 0, baseChannels > 0 else {
            throw fail("sizes and channel counts must be positive")
        }
        guard !channelMultipliers.isEmpty, channelMultipliers.allSatisfy({ $0 > 0 }) else {
            throw fail("channel multipliers \(channelMultipliers) must be non-empty and positive")
        }
        let factor = 1 << (channelMultipliers.count - 1)
        guard height % factor == 0, width % factor == 0 else {
            throw fail("\(height)×\(width) must be divisible by 2^(levels − 1) = \(factor)")
        }
        guard residualBlocksPerLevel > 0 else { throw fail("residual blocks per level must be positive") }
        if let h = attentionHeads, h > 0 {
            let c = baseChannels * channelMultipliers.last!
            guard c % h == 0 else { throw fail("\(h) attention heads do not divide \(c) bottleneck channels") }
        }
        guard dropout >= 0, dropout < 1 else { throw fail("dropout \(dropout) outside [0, 1)") }
        guard embeddingDimension >= 4 else { throw fail("embedding dimension must be at least 4") }
        if case .gamma(let k) = conditioning, k <= 0 { throw fail("γ conditioning needs components > 0") }
    }
}
