/// Bits per dimension of a log-likelihood: −log p / (N ln 2) + offset.
///
/// For discrete data modelled with a continuous density after uniform dequantisation, the offset
/// converts the density of the scaled data to that of the integer levels: for 8-bit images scaled
/// to [−1, 1] (a range of 2 for 256 levels) it is log₂(256/2) = 7 (``dequantizationOffset(levels:range:)``).
/// Use offset 0 for continuous data.
/// - Parameters:
///   - logLikelihood: log p(x) in nats (of the scaled data).
///   - dimension: N, the number of real degrees of freedom (D · C).
///   - offset: the dequantisation offset in bits, default 7.
public func bitsPerDimension<S: TensorScalar>(logLikelihood: S, dimension: Int, offset: S = 7) -> S {
    -logLikelihood / (S(dimension) * S.log(2)) + offset
}

/// The bits-per-dimension offset log₂(levels/range) of data with `levels` equally spaced values
/// scaled to an interval of width `range`, uniformly dequantised: 7 for 8-bit data in [−1, 1].
public func dequantizationOffset(levels: Int = 256, range: Double = 2) -> Double {
    Double.log2(Double(levels) / range)
}
