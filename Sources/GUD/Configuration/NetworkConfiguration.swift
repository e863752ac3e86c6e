/// The ε-network: architecture and size. Its input shape and its conditioning (time, or the
/// per-component γ vector for schedule families) follow from the data and the schedule.
public struct NetworkConfiguration: Codable, Equatable, Sendable {
    /// The kind of network.
    public enum Architecture: String, Codable, CaseIterable, Sendable {
        /// The reference U-Net (convolutions; images).
        case unet
        /// An MLP on the flattened input.
        case mlp
    }

    /// The kind of network (default: the U-Net).
    public var architecture: Architecture = .unet
    /// U-Net base channels C (the reference's small network: 8).
    public var baseChannels: Int = 8
    /// U-Net channel multipliers per level (small: [1, 2]).
    public var channelMultipliers: [Int] = [1, 2]
    /// U-Net residual blocks per level.
    public var residualBlocks: Int = 1
    /// U-Net attention heads at the bottleneck (nil: none).
    public var attentionHeads: Int?
    /// U-Net dropout in the residual blocks during training.
    public var dropout: Double = 0.05
    /// MLP hidden widths.
    public var hiddenWidths: [Int] = [256, 256, 256]
    /// Time or γ embedding size.
    public var embeddingDimension: Int = 64
    /// A time-conditioned network sees c · t instead of t (the reference uses c = 1; with c = 1000 the
    /// sinusoidal features resolve t as finely as DDPM's integer steps).
    public var timeScale: Double = 1

    /// A configuration with the defaults of the reference's small U-Net (and an MLP of three 256-wide layers).
    public init(architecture: Architecture = .unet) { self.architecture = architecture }

    /// The reference's small U-Net: C = 8, multipliers (1, 2), no attention (28,761 parameters on 28×28).
    public static var smallUNet: NetworkConfiguration { NetworkConfiguration() }

    /// The reference's big U-Net: C = 16, multipliers (1, 2, 4), 2 attention heads (303,281 parameters).
    public static var bigUNet: NetworkConfiguration {
        var c = NetworkConfiguration()
        c.baseChannels = 16
        c.channelMultipliers = [1, 2, 4]
        c.attentionHeads = 2
        return c
    }

    /// Builds the network for images of the given shape.
    /// - Throws: `GUDError.invalidArgument` for sizes the architecture cannot take.
    public func makeNetwork<S: TensorScalar>(
        height: Int, width: Int, channels: Int, conditioning: ConditioningKind, source: RandomSource, as: S.Type = S.self
    ) throws -> any EpsilonNetwork<S> {
        switch architecture {
        case .unet:
            let levels = channelMultipliers.count
            guard levels >= 1, height % (1 << (levels - 1)) == 0, width % (1 << (levels - 1)) == 0 else {
                throw GUDError.invalidArgument(
                    "a U-Net with \(levels) levels needs image sides divisible by \(1 << (levels - 1)); the images are \(height)×\(width)")
            }
            let config = UNetConfiguration(
                height: height, width: width, inChannels: channels, outChannels: channels, baseChannels: baseChannels,
                channelMultipliers: channelMultipliers, residualBlocksPerLevel: residualBlocks,
                attentionHeads: attentionHeads, dropout: dropout, embeddingDimension: embeddingDimension,
                conditioning: conditioning)
            return try UNet<S>(config, source: source)
        case .mlp:
            let config = MLPConfiguration(
                space: height * width, channels: channels, hiddenWidths: hiddenWidths,
                embeddingDimension: embeddingDimension, conditioning: conditioning)
            return try MLP<S>(config, source: source)
        }
    }
}
