/// A dense layer `y = x·W + b` on rows `[N, In] → [N, Out]` (parameters `weight` `[In, Out]`, LeCun-normal
/// initialised, and `bias` `[Out]`, zeros).
public struct Dense: Sendable {
    /// W, `[In, Out]`.
    public let weight: Parameter
    /// b, `[Out]`.
    public let bias: Parameter

    /// Registers `weight` and `bias` under the builder's scope.
    public init<S>(_ b: ParameterBuilder<S>, inputs: Int, outputs: Int) throws {
        weight = try b.parameter("weight", shape: [inputs, outputs], .lecunNormal(fanIn: inputs))
        bias = try b.parameter("bias", shape: [outputs], .zeros)
    }

    /// Records x·W + b for rows `x` `[N, In]` on `tape`.
    public func callAsFunction<S>(_ x: Variable, on tape: Tape<S>) throws -> Variable {
        try tape.dense(x, weight: weight, bias: bias)
    }

    /// The same layer applied to every pixel of channel-major images `[In, N, H, W] → [Out, N, H, W]`.
    public func pointwise<S>(_ x: Variable, on tape: Tape<S>) throws -> Variable {
        try tape.conv2d(x, weight: weight, bias: bias)
    }
}
