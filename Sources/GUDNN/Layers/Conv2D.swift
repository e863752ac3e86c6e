/// A 2-D convolution with "same"-style zero padding `(k − 1)/2` on channel-major images
/// `[Cin, N, H, W] → [Cout, N, Ho, Wo]` (see ``Tape/conv2d(_:weight:bias:stride:)``).
/// Parameters: `weight` `[k, k, Cin, Cout]` (HWIO; LeCun normal with fan-in k²·Cin by default) and `bias` `[Cout]` (zeros).
public struct Conv2D: Sendable {
    public let weight: Parameter
    public let bias: Parameter
    public let stride: Int

    /// - Parameters:
    ///   - kernelSize: odd, e.g. 3 or 1.
    ///   - weightInitializer: overrides the LeCun-normal default (the reference's output convolution
    ///     uses N(0, 1e-4²)).
    public init<S>(
        _ b: ParameterBuilder<S>, inputs: Int, outputs: Int, kernelSize: Int = 3, stride: Int = 1,
        weightInitializer: ParameterInitializer? = nil
    ) throws {
        weight = try b.parameter(
            "weight", shape: [kernelSize, kernelSize, inputs, outputs],
            weightInitializer ?? .lecunNormal(fanIn: kernelSize * kernelSize * inputs))
        bias = try b.parameter("bias", shape: [outputs], .zeros)
        self.stride = stride
    }

    public func callAsFunction<S>(_ x: Variable, on tape: Tape<S>, activation: Activation = .identity) throws -> Variable {
        try tape.conv2d(x, weight: weight, bias: bias, stride: stride, activation: activation)
    }
}
