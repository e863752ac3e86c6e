/// The configuration of an ``MLP`` (stored as JSON in checkpoint metadata).
public struct MLPConfiguration: Codable, Sendable, Equatable {
    /// The spatial positions and channels of `x`; the network sees `space · channels` features.
    public var space: Int
    /// The channels of `x` (default 1).
    public var channels: Int = 1
    /// The widths of the hidden layers (reference: three of 256).
    public var hiddenWidths: [Int] = [256, 256, 256]
    /// The size of the time or γ embedding (default 64, at least 4).
    public var embeddingDimension: Int = 64
    /// What the network is conditioned on: the time (default) or the per-component γ vector.
    public var conditioning: ConditioningKind = .time

    /// A configuration with the given sizes; ``validate()`` checks them.
    public init(
        space: Int, channels: Int = 1, hiddenWidths: [Int] = [256, 256, 256], embeddingDimension: Int = 64,
        conditioning: ConditioningKind = .time
    ) {
        self.space = space
        self.channels = channels
        self.hiddenWidths = hiddenWidths
        self.embeddingDimension = embeddingDimension
        self.conditioning = conditioning
    }

    /// Throws `GUDError.invalidArgument` naming the first invalid setting.
    public func validate() throws {
        guard space > 0, channels > 0, !hiddenWidths.isEmpty, hiddenWidths.allSatisfy({ $0 > 0 }), embeddingDimension >= 4 else {
            throw GUDError.invalidArgument("MLP configuration: sizes must be positive, at least one hidden layer, embedding ≥ 4; got \(self)")
        }
        if case .gamma(let k) = conditioning, k <= 0 {
            throw GUDError.invalidArgument("MLP configuration: γ conditioning needs components > 0")
        }
    }
}
