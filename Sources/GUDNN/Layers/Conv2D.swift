/// A 2-D convolution with "same"-style zero padding `(k − 1)/2` on channel-major images
/// `[Cin, N, H, W] → [Cout, N, Ho, Wo]` (see ``Tape/conv2d(_:weight:bias:stride:activation:)``).
/// Parameters: `weight` `[k, k, Cin, Cout]` (HWIO; LeCun normal with fan-in k²·Cin by default) and `bias` `[Cout]` (zeros).
public struct Conv2D: Sendable {
    /// The kernel `[k, k, Cin, Cout]`.
    public let weight: Parameter
    /// The bias `[Cout]`.
    public let bias: Parameter
    /// The stride along both axes.
    public let stride: Int

    /// Registers the parameters `weight` and `bias` under the builder's scope.
    ///
    /// - Parameters:
    ///   - b: the builder (its scope names the parameters, its source initialises them).
    ///   - inputs: Cin.
    ///   - outputs: Cout.
    ///   - kernelSize: odd, e.g. 3 or 1.
    ///   - stride: 1 or more (default 1).
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

    /// Records the convolution of `x` `[Cin, N, H, W]` followed by `activation` (default identity) on `tape`.
    public func callAsFunction<S>(_ x: Variable, on tape: Tape<S>, activation: Activation = .identity) throws -> Variable {
        try tape.conv2d(x, weight: weight, bias: bias, stride: stride, activation: activation)
    }
}
