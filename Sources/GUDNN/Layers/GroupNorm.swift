/// Group normalisation of channel-major images with learned `scale` (ones) and `bias` (zeros) of shape `[C]`.
public struct GroupNorm: Sendable {
    public let scale: Parameter
    public let bias: Parameter
    public let groups: Int
    public let epsilon: Double

    public init<S>(_ b: ParameterBuilder<S>, channels: Int, groups: Int, epsilon: Double = 1e-6) throws {
        guard groups > 0, channels % groups == 0 else {
            throw GUDError.invalidArgument("\(groups) groups do not divide \(channels) channels")
        }
        scale = try b.parameter("scale", shape: [channels], .ones)
        bias = try b.parameter("bias", shape: [channels], .zeros)
        self.groups = groups
        self.epsilon = epsilon
    }

    public func callAsFunction<S>(_ x: Variable, on tape: Tape<S>) throws -> Variable {
        try tape.groupNorm(x, groups: groups, scale: scale, bias: bias, epsilon: epsilon)
    }
}
