/// Group normalisation of channel-major images with learned `scale` (ones) and `bias` (zeros) of shape `[C]`.
public struct GroupNorm: Sendable {
    /// γ, `[C]`.
    public let scale: Parameter
    /// β, `[C]`.
    public let bias: Parameter
    /// The number of channel groups.
    public let groups: Int
    /// Added to the variance (default 1e-6).
    public let epsilon: Double

    /// Registers `scale` and `bias` under the builder's scope.
    /// - Throws: `GUDError.invalidArgument` unless `groups` ≥ 1 divides `channels`.
    public init<S>(_ b: ParameterBuilder<S>, channels: Int, groups: Int, epsilon: Double = 1e-6) throws {
        guard groups > 0, channels % groups == 0 else {
            throw GUDError.invalidArgument("\(groups) groups do not divide \(channels) channels")
        }
        scale = try b.parameter("scale", shape: [channels], .ones)
        bias = try b.parameter("bias", shape: [channels], .zeros)
        self.groups = groups
        self.epsilon = epsilon
    }

    /// Records the normalisation of `x` `[C, N, H, W]` on `tape` (``Tape/groupNorm(_:groups:scale:bias:epsilon:)``).
    public func callAsFunction<S>(_ x: Variable, on tape: Tape<S>) throws -> Variable {
        try tape.groupNorm(x, groups: groups, scale: scale, bias: bias, epsilon: epsilon)
    }
}
