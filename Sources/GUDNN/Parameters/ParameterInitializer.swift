import RealModule

/// How a parameter is initialised. Every draw comes from the caller's `RandomSource`: the stream of a
/// parameter is derived from the source by the parameter's full name, so initial values do not depend
/// on the order in which parameters are created.
public enum ParameterInitializer: Sendable, Equatable {
    /// All zeros (biases).
    case zeros
    /// All ones (normalisation scales).
    case ones
    /// LeCun normal, the default kernel initialiser of flax: a normal distribution truncated to ±2
    /// standard deviations and rescaled to variance `1 / fanIn`.
    case lecunNormal(fanIn: Int)
    /// N(0, stddev²).
    case normal(stddev: Double)

    /// Fills `buffer` with initial values drawn from `stream`.
    func fill<S: TensorScalar>(_ buffer: UnsafeMutableBufferPointer<S>, stream: inout RandomStream) {
        switch self {
        case .zeros:
            buffer.update(repeating: 0)
        case .ones:
            buffer.update(repeating: 1)
        case .lecunNormal(let fanIn):
            // The standard deviation of a unit normal truncated to [-2, 2] is 0.8796…; dividing by it
            // restores the requested variance.
            let std = (1.0 / Double(Swift.max(fanIn, 1))).squareRoot() / 0.87962566103423978
            for i in buffer.indices {
                var z = stream.nextGaussian()
                while Swift.abs(z) > 2 { z = stream.nextGaussian() }
                buffer[i] = S(z * std)
            }
        case .normal(let stddev):
            for i in buffer.indices { buffer[i] = S(stream.nextGaussian() * stddev) }
        }
    }
}
