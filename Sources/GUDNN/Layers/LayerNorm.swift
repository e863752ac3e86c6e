/// Layer normalisation over the channels of channel-major values, with learned `scale` (ones) and
/// `bias` (zeros) of shape `[C]`, ε = 1e-6 (see ``Tape/layerNorm(_:scale:bias:epsilon:shift:activation:dropoutRate:residual:)``
/// for the fused epilogue).
public struct LayerNorm: Sendable {
    public let scale: Parameter
    public let bias: Parameter
    public let epsilon: Double

    public init<S>(_ b: ParameterBuilder<S>, channels: Int, epsilon: Double = 1e-6) throws {
        scale = try b.parameter("scale", shape: [channels], .ones)
        bias = try b.parameter("bias", shape: [channels], .zeros)
        self.epsilon = epsilon
    }

    public func callAsFunction<S>(
        _ x: Variable, on tape: Tape<S>, shift: Variable? = nil, activation: Activation = .identity,
        dropoutRate: Double = 0, residual: Variable? = nil
    ) throws -> Variable {
        try tape.layerNorm(
            x, scale: scale, bias: bias, epsilon: epsilon, shift: shift, activation: activation,
            dropoutRate: dropoutRate, residual: residual)
    }
}
