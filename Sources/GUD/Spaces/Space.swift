/// A basis in which the diffusion is diagonal: the map M = S⁻¹ U with U orthogonal (or unitary) and
/// S a diagonal, positive whitening scale.
///
/// Four representations of the same values (see ``Representation``):
///
///     data       φ            real (batch, D, C)
///       │ toComponentSpace: χ = U φ
///     comp       χ            real (batch, D, C), or complex (batch, D, C, 2) for the FFT
///       │ whiten: χ̂ = S⁻¹ χ
///     compWhite  χ̂            ← the diffusion mathematics happens here
///       │ fromComponentSpace: φ̂ = U† χ̂
///     dataWhite  φ̂            real ← networks take input and give output here
///
/// `encode = whiten ∘ toComponentSpace`, `decode = fromComponentSpace ∘ unwhiten`. Transforms act on
/// the space axis (extent ``dimension`` = D) and broadcast over channels. Complex component values
/// are interleaved with a trailing axis of length 2 (re, im). Noise injected in component space must
/// pass through ``transformNoise(_:)`` (for the FFT: the transform of *real* white noise, which keeps
/// the Hermitian symmetry).
///
/// Conforming types implement the orthonormal transform; whitening, encoding and shape checks are
/// provided. Every method checks shapes and throws `GUDError.shapeMismatch` with the expected shape.
public protocol Space<Scalar>: Sendable {
    /// The precision of the values: `Float` or `Double`.
    associatedtype Scalar: TensorScalar

    /// D, the extent of the space axis (pixels, or components).
    var dimension: Int { get }

    /// Whether component values are complex (interleaved, trailing axis 2).
    var isComplex: Bool { get }

    /// The whitening scale Sᵢ > 0, one per component, or `nil` for S = I.
    var scale: [Scalar]? { get }

    /// χ = U φ: data (batch, D, C) → components (batch, D, C) or (batch, D, C, 2).
    func toComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar>

    /// φ = U† χ (the real part, for complex components): components → data (batch, D, C).
    func fromComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar>

    /// χ = U φ written into `out`, which must already have the component shape of `x`: for a caller
    /// that transforms batches of one shape repeatedly (a sampler's model). A space may reuse `out`'s
    /// storage and then allocates nothing when it is not shared; the default computes
    /// ``toComponentSpace(_:)`` and assigns it.
    /// - Throws: `GUDError.shapeMismatch` when `x` or `out` has the wrong shape.
    func toComponentSpace(_ x: Tensor<Scalar>, into out: inout Tensor<Scalar>) throws

    /// φ = U† χ written into `out`, which must already have the data shape (batch, D, C) of `x`
    /// (see ``toComponentSpace(_:into:)``).
    /// - Throws: `GUDError.shapeMismatch` when `x` or `out` has the wrong shape.
    func fromComponentSpace(_ x: Tensor<Scalar>, into out: inout Tensor<Scalar>) throws

    /// The component-space image of real white noise (batch, D, C), such that noise stays white.
    /// The default is the identity for real spaces and ``toComponentSpace(_:)`` for complex ones.
    func transformNoise(_ z: Tensor<Scalar>) throws -> Tensor<Scalar>

    /// Writes white noise in compWhite into `out` (shape (batch, D, C), or (batch, D, C, 2) when
    /// complex): ``transformNoise(_:)`` of standard normal draws times `scale`, the draws of sample b
    /// taken in row-major order from `streams[b]` (which advance). The default fills the real draws
    /// and calls ``transformNoise(_:)``; a space may override it to avoid intermediate copies.
    /// - Throws: `GUDError.shapeMismatch` when `out` or `streams` do not fit.
    func drawWhiteNoise(into out: inout Tensor<Scalar>, streams: inout [RandomStream], scale: Scalar) throws

    /// Checks that a schedule can drive the diffusion in this space: a component-wise schedule must
    /// have ``dimension`` components (the Fourier space also checks the k → −k symmetry).
    /// - Throws: `GUDError.shapeMismatch` or `GUDError.invalidArgument`.
    func validate<Sch: Schedule>(schedule: Sch) throws where Sch.Scalar == Scalar
}

extension Space {
    /// The identity for real spaces, ``toComponentSpace(_:)`` for complex ones.
    public func transformNoise(_ z: Tensor<Scalar>) throws -> Tensor<Scalar> {
        if isComplex { return try toComponentSpace(z) }
        try checkData(z, "noise")
        return z
    }

    /// ``toComponentSpace(_:)``, checked against and assigned to `out`.
    public func toComponentSpace(_ x: Tensor<Scalar>, into out: inout Tensor<Scalar>) throws {
        let result = try toComponentSpace(x)
        guard out.shape == result.shape else {
            throw GUDError.shapeMismatch("output buffer of toComponentSpace has shape \(out.shape); expected \(result.shape)")
        }
        out = result
    }

    /// ``fromComponentSpace(_:)``, checked against and assigned to `out`.
    public func fromComponentSpace(_ x: Tensor<Scalar>, into out: inout Tensor<Scalar>) throws {
        let result = try fromComponentSpace(x)
        guard out.shape == result.shape else {
            throw GUDError.shapeMismatch("output buffer of fromComponentSpace has shape \(out.shape); expected \(result.shape)")
        }
        out = result
    }

    /// Checks the number of components of a component-wise schedule.
    public func validate<Sch: Schedule>(schedule: Sch) throws where Sch.Scalar == Scalar {
        try checkComponentCount(of: schedule)
    }

    /// Real draws (Marsaglia's polar method on the streams' bits) passed through ``transformNoise(_:)``.
    public func drawWhiteNoise(into out: inout Tensor<Scalar>, streams: inout [RandomStream], scale: Scalar) throws {
        try checkNoiseBuffer(out, streams: streams)
        var real = Tensor<Scalar>(shape: Array(out.shape.prefix(3)))
        fillStandardNormal(&real, streams: &streams, scale: scale)
        out = try transformNoise(real)
    }

    /// Throws unless `out` has the shape of component values and there is one stream per sample.
    func checkNoiseBuffer(_ out: Tensor<Scalar>, streams: [RandomStream]) throws {
        try checkComponents(out, "noise buffer")
        guard streams.count == out.shape[0] else {
            throw GUDError.shapeMismatch("\(streams.count) random streams for a batch of \(out.shape[0]); expected one per sample")
        }
    }

    /// Throws unless a component-wise schedule has ``dimension`` components.
    func checkComponentCount<Sch: Schedule>(of schedule: Sch) throws {
        if let n = schedule.componentCount, n != dimension {
            throw GUDError.shapeMismatch(
                "the schedule has \(n) components but the space has dimension \(dimension); expected a scalar schedule or \(dimension) components")
        }
    }

    /// χ̂ = S⁻¹ χ, component-wise over every channel (and re/im).
    public func whiten(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkComponents(x, "input of whiten")
        guard let scale else { return x }
        return try scaleComponents(x, by: scale, dividing: true)
    }

    /// χ = S χ̂, the inverse of ``whiten(_:)``.
    public func unwhiten(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkComponents(x, "input of unwhiten")
        guard let scale else { return x }
        return try scaleComponents(x, by: scale, dividing: false)
    }

    /// χ̂ = S⁻¹ U φ: data → compWhite.
    public func encode(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> { try whiten(toComponentSpace(x)) }

    /// φ = U† S χ̂: compWhite → data.
    public func decode(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> { try fromComponentSpace(unwhiten(x)) }

    /// The shape of component values for data of shape (batch, D, C): (batch, D, C), or
    /// (batch, D, C, 2) for a complex space.
    public func componentShape(batch: Int, channels: Int) -> [Int] {
        isComplex ? [batch, dimension, channels, 2] : [batch, dimension, channels]
    }

    /// White noise in `compWhite` for `batch` samples: ``transformNoise(_:)`` of standard normal
    /// draws (batch, D, C), sample b drawing from `source.stream(firstSample + b)` (see
    /// ``drawWhiteNoise(into:streams:scale:)``).
    public func whiteNoise(batch: Int, channels: Int, source: RandomSource, firstSample: Int = 0) throws -> Tensor<Scalar> {
        guard batch > 0, channels > 0 else {
            throw GUDError.invalidArgument("noise for batch \(batch) with \(channels) channels; expected positive counts")
        }
        var streams = (0..<batch).map { source.stream(firstSample + $0) }
        var out = Tensor<Scalar>(shape: componentShape(batch: batch, channels: channels))
        try drawWhiteNoise(into: &out, streams: &streams, scale: 1)
        return out
    }

    /// log |det M| of the map from data to `dataWhite` (or `compWhite`) for C channels:
    /// −C Σᵢ log Sᵢ (0 without whitening). Add it to a log-density in whitened coordinates to get
    /// the log-density of the data.
    public func logAbsDeterminant(channels: Int) -> Scalar {
        guard let scale else { return 0 }
        return -Scalar(channels) * scale.reduce(0) { $0 + Scalar.log($1) }
    }

    /// The mean of |χᵢ|² over samples and channels of `data − mean(data)` (the sample mean over the
    /// batch axis), in *this* space's components: the per-component variances Σᵢ of the data
    /// (for the Fourier space: the power spectrum). Use them to build a whitening scale √Σᵢ.
    /// - Parameter data: (N, D, C) with N ≥ 1, finite.
    /// - Throws: `GUDError.shapeMismatch` for a wrong shape, `GUDError.nonFinite` for NaN/∞.
    public func componentVariances(of data: Tensor<Scalar>) throws -> [Scalar] {
        try checkData(data, "data")
        try data.checkFinite("data")
        // In chunks of samples, so that a large data set never has to be transformed at once.
        let mean = try batchMean(data)
        var sums = [Double](repeating: 0, count: dimension)
        for chunk in sampleChunks(data.shape[0]) {
            try accumulateSquares(toComponentSpace(centredSamples(data, chunk, mean: mean)), into: &sums)
        }
        let count = Double(data.shape[0] * data.shape[2])
        return sums.map { Scalar($0 / count) }
    }

    /// Throws unless `x` has shape (batch, D, C).
    func checkData(_ x: Tensor<Scalar>, _ what: String) throws {
        guard x.rank == 3, x.shape[1] == dimension else {
            throw GUDError.shapeMismatch("\(what) has shape \(x.shape); expected (batch, \(dimension), channels)")
        }
    }

    /// Throws unless `x` has the shape of component values: (batch, D, C), or (batch, D, C, 2) when complex.
    func checkComponents(_ x: Tensor<Scalar>, _ what: String) throws {
        let ok = isComplex
            ? x.rank == 4 && x.shape[1] == dimension && x.shape[3] == 2
            : x.rank == 3 && x.shape[1] == dimension
        guard ok else {
            let expected = isComplex ? "(batch, \(dimension), channels, 2)" : "(batch, \(dimension), channels)"
            throw GUDError.shapeMismatch("\(what) has shape \(x.shape); expected \(expected)")
        }
    }
}

/// Validates a whitening scale: D positive, finite values.
func validatedScale<S: TensorScalar>(_ scale: [S]?, dimension: Int) throws -> [S]? {
    guard let scale else { return nil }
    guard scale.count == dimension else {
        throw GUDError.shapeMismatch("scale has \(scale.count) values; expected one per component (\(dimension))")
    }
    if let i = scale.firstIndex(where: { !$0.isFinite }) {
        throw GUDError.nonFinite("scale has \(scale[i]) at component \(i); expected finite positive values")
    }
    if let i = scale.firstIndex(where: { $0 <= 0 }) {
        throw GUDError.invalidArgument("scale is \(scale[i]) at component \(i); expected positive values")
    }
    return scale
}
