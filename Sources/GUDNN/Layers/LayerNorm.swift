/// Layer normalisation over the channels of channel-major values, with learned `scale` (ones) and
/// `bias` (zeros) of shape `[C]`, ε = 1e-6 (see ``Tape/layerNorm(_:scale:bias:epsilon:shift:activation:dropoutRate:residual:)``
/// for the fused epilogue).
public struct LayerNorm: Sendable {
    /// γ, `[C]`.
    public let scale: Parameter
    /// β, `[C]`.
    public let bias: Parameter
    /// Added to the variance (default 1e-6).
    public let epsilon: Double

    /// Registers `scale` and `bias` under the builder's scope.
    public init<S>(_ b: ParameterBuilder<S>, channels: Int, epsilon: Double = 1e-6) throws {
        scale = try b.parameter("scale", shape: [channels], .ones)
        bias = try b.parameter("bias", shape: [channels], .zeros)
        self.epsilon = epsilon
    }

    /// Records the normalisation of `x` `[C, …]` on `tape`, with the optional fused shift, activation,
    /// dropout and residual of ``Tape/layerNorm(_:scale:bias:epsilon:shift:activation:dropoutRate:residual:)``.
    public func callAsFunction<S>(
        _ x: Variable, on tape: Tape<S>, shift: Variable? = nil, activation: Activation = .identity,
        dropoutRate: Double = 0, residual: Variable? = nil
    ) throws -> Variable {
        try tape.layerNorm(
            x, scale: scale, bias: bias, epsilon: epsilon, shift: shift, activation: activation,
            dropoutRate: dropoutRate, residual: residual)
    }
}
