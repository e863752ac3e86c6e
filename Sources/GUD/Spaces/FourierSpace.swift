/// The Fourier space of stationary data: the orthonormal n-dimensional DFT over a spatial shape
/// (FFTW, `norm="ortho"`), with a whitening scale √(power spectrum).
///
/// Data (batch, D, C) with D = ∏ `shape` is read as (batch, shape₀, …, shapeₖ₋₁, C), flattened
/// row-major (flat index = row · W + col in 2-D); components are complex (batch, D, C, 2) in the
/// same flat order of frequencies. ``fromComponentSpace(_:)`` returns the real part of the inverse
/// transform, and ``transformNoise(_:)`` is the transform of real white noise, whose Hermitian
/// symmetry X₋ₖ = conj(Xₖ) keeps the noised data real.
///
/// **Symmetry.** A whitening scale or a component-wise schedule must be symmetric under k → −k
/// (index ``conjugateIndex``), otherwise whitened values stop being Hermitian and `dataWhite` no
/// longer represents them. The initialiser and ``validate(schedule:)`` check it (to √ε relative);
/// `checkSymmetry: false` disables both checks, for reproducing computations made with asymmetric
/// values (the reference's parity vectors do so).
public struct FourierSpace<Scalar: TensorScalar>: Space {
    /// The spatial shape, e.g. [28, 28].
    public let shape: [Int]
    /// √(power spectrum) per frequency, or `nil`.
    public let scale: [Scalar]?
    /// Whether symmetry under k → −k is enforced.
    public let checksSymmetry: Bool
    /// For every flat frequency index k, the flat index of −k (each axis taken modulo its extent).
    public let conjugateIndex: [Int]
    /// Complex scratch buffers of the `into:` transforms and of the white noise (shared by copies).
    private let scratch = ScratchPool<Scalar>()
    /// ∏ shape.
    public var dimension: Int { conjugateIndex.count }
    /// `true`: components are complex.
    public var isComplex: Bool { true }

    /// The Fourier space over a spatial shape, with an optional whitening scale.
    ///
    /// - Parameters:
    ///   - shape: the spatial extents, each ≥ 1.
    ///   - scale: Sₖ > 0 per frequency (e.g. √power spectrum), or `nil` for S = I.
    ///   - checkSymmetry: whether to require S₋ₖ = Sₖ here and symmetric schedules in ``validate(schedule:)``.
    /// - Throws: `GUDError.invalidArgument` for an empty shape, a non-positive scale or an
    ///   asymmetric scale, `GUDError.shapeMismatch` for a scale of the wrong length,
    ///   `GUDError.nonFinite`.
    public init(shape: [Int], scale: [Scalar]? = nil, checkSymmetry: Bool = true) throws {
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 1 }) else {
            throw GUDError.invalidArgument("Fourier space shape \(shape); expected one or more positive extents")
        }
        self.shape = shape
        self.checksSymmetry = checkSymmetry
        self.conjugateIndex = FourierSpace.conjugateIndices(shape)
        self.scale = try validatedScale(scale, dimension: conjugateIndex.count)
        if checkSymmetry, let s = self.scale {
            try checkSymmetric(s, "the whitening scale")
        }
    }

    /// A whitened Fourier space fitted to data (N, D, C): Sₖ = √Pₖ with the power spectrum
    /// Pₖ = mean over samples and channels of |FFT(x − x̄)ₖ|² (x̄ the per-pixel mean), averaged
    /// over ±k to be exactly symmetric and floored as `floor` says.
    public init(shape: [Int], data: Tensor<Scalar>, floor: VarianceFloor<Scalar> = .default) throws {
        let plain = try FourierSpace(shape: shape)
        let power = try plain.componentVariances(of: data)
        let symmetric = power.indices.map { (power[$0] + power[plain.conjugateIndex[$0]]) / 2 }
        let floored = try floor.apply(to: symmetric, what: "power-spectrum entry")
        try self.init(shape: shape, scale: floored.map { $0.squareRoot() })
    }

    /// The orthonormal FFT over the spatial axes of every (sample, channel): (batch, D, C) → (batch, D, C, 2).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func toComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkData(x, "input of toComponentSpace")
        var out = Tensor<Scalar>(shape: x.shape + [2])
        try toComponentSpace(x, into: &out)
        return out
    }

    /// The orthonormal FFT written into `out`, (batch, D, C, 2). The complex input of the transform
    /// lives in a scratch buffer this space keeps for reuse (shared by its copies, one per
    /// concurrent call), so repeated calls allocate nothing in Swift code (FFTW may allocate buffers
    /// inside its own execution).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func toComponentSpace(_ x: Tensor<Scalar>, into out: inout Tensor<Scalar>) throws {
        try checkData(x, "input of toComponentSpace")
        try checkOutput(out, componentsOf: x, "output of toComponentSpace")
        let (batch, channels) = (x.shape[0], x.shape[2])
        try scratch.withBuffer(count: out.count) { complex in
            x.withUnsafeBufferPointer { src in
                for i in 0..<src.count {
                    complex[2 * i] = src[i]
                    complex[2 * i + 1] = 0
                }
            }
            try out.withUnsafeMutableBufferPointer { o in
                try transform(complex, o.baseAddress!, batch: batch, channels: channels, .forward)
            }
        }
    }

    /// The real part of the orthonormal inverse FFT: (batch, D, C, 2) → (batch, D, C).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fromComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkComponents(x, "input of fromComponentSpace")
        var out = Tensor<Scalar>(shape: Array(x.shape.dropLast()))
        try fromComponentSpace(x, into: &out)
        return out
    }

    /// The real part of the orthonormal inverse FFT written into `out`, (batch, D, C). The complex
    /// result of the transform lives in a reused scratch buffer, as in ``toComponentSpace(_:into:)``.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fromComponentSpace(_ x: Tensor<Scalar>, into out: inout Tensor<Scalar>) throws {
        try checkComponents(x, "input of fromComponentSpace")
        let (batch, channels) = (x.shape[0], x.shape[2])
        guard out.rank == 3, out.shape[0] == batch, out.shape[1] == dimension, out.shape[2] == channels else {
            throw GUDError.shapeMismatch(
                "output of fromComponentSpace has shape \(out.shape); expected (\(batch), \(dimension), \(channels))")
        }
        try scratch.withBuffer(count: x.count) { complex in
            try x.withUnsafeBufferPointer { i in
                // Out-of-place complex FFTW plans preserve their input.
                try transform(UnsafeMutablePointer(mutating: i.baseAddress!), complex, batch: batch, channels: channels, .inverse)
            }
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] = complex[2 * i] }
            }
        }
    }

    /// The transform of real white noise, drawn straight into the real parts of a reused scratch
    /// buffer (as in ``toComponentSpace(_:into:)``) and transformed into `out`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func drawWhiteNoise(into out: inout Tensor<Scalar>, streams: inout [RandomStream], scale: Scalar) throws {
        try checkNoiseBuffer(out, streams: streams)
        let (batch, channels) = (out.shape[0], out.shape[2])
        try scratch.withBuffer(count: out.count) { complex in
            let draws = UnsafeMutableBufferPointer(start: complex, count: out.count)
            for i in Swift.stride(from: 1, to: draws.count, by: 2) { draws[i] = 0 }
            fillStandardNormal(draws, rows: batch, streams: &streams, scale: scale, stride: 2)
            try out.withUnsafeMutableBufferPointer { o in
                try transform(complex, o.baseAddress!, batch: batch, channels: channels, .forward)
            }
        }
    }

    /// Throws unless `out` has the component shape (batch, D, C, 2) of data `x` (batch, D, C).
    private func checkOutput(_ out: Tensor<Scalar>, componentsOf x: Tensor<Scalar>, _ what: String) throws {
        guard out.rank == 4, out.shape[0] == x.shape[0], out.shape[1] == dimension, out.shape[2] == x.shape[2], out.shape[3] == 2
        else {
            throw GUDError.shapeMismatch("\(what) has shape \(out.shape); expected (\(x.shape[0]), \(dimension), \(x.shape[2]), 2)")
        }
    }

    /// The orthonormal FFT of `batch` samples of interleaved complex values from `input` into
    /// `output` (distinct buffers; `input` is preserved), the batch split over the cores. A part holds
    /// ⌊batch/parts⌋ or ⌈batch/parts⌉ samples, so at most two cached plans serve it (FFTW plans may
    /// execute concurrently) and no arrays are built per call.
    private func transform(_ input: UnsafeMutablePointer<Scalar>, _ output: UnsafeMutablePointer<Scalar>,
                           batch: Int, channels: Int, _ direction: FFTDirection) throws {
        let parts = Swift.max(1, Swift.min(Parallel.workerCount, batch))
        func plan(_ samples: Int) throws -> FFTPlan<Scalar> {
            try FFTPlanner.plan(FFTLayout(spatialShape: shape, outer: samples, inner: channels), direction)
        }
        let smaller = try plan(batch / parts)
        let larger = batch % parts == 0 ? smaller : try plan(batch / parts + 1)
        let stride = 2 * dimension * channels
        Parallel.forEach(parts) { p in
            let (lo, hi) = (p * batch / parts, (p + 1) * batch / parts)
            (hi - lo == smaller.layout.outer ? smaller : larger).execute(input: input + lo * stride, output: output + lo * stride)
        }
    }

    /// Checks the component count and, unless disabled, that γ and β are symmetric under k → −k at
    /// t = 0, 0.1, …, 1.
    public func validate<Sch: Schedule>(schedule: Sch) throws where Sch.Scalar == Scalar {
        try checkComponentCount(of: schedule)
        guard checksSymmetry, schedule.componentCount != nil else { return }
        for k in 0...10 {
            let state = schedule(Scalar(k) / 10)
            try checkSymmetric(state.gamma.scalars, "the schedule's γ at t = \(Scalar(k) / 10)")
            try checkSymmetric(state.beta.scalars, "the schedule's β at t = \(Scalar(k) / 10)")
        }
    }

    private func checkSymmetric(_ values: [Scalar], _ what: String) throws {
        let tolerance = Scalar.ulpOfOne.squareRoot()
        for (k, minusK) in conjugateIndex.enumerated() where k < minusK {
            let a = values[k], b = values[minusK]
            let limit = tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b))
            guard a == b || Swift.abs(a - b) <= limit else {
                throw GUDError.invalidArgument(
                    "\(what) is not symmetric under k → −k: \(a) at frequency index \(k) but \(b) at its mirror \(minusK); a Fourier space needs equal values so that the data stays real")
            }
        }
    }

    /// The flat index of −k for every flat index k of a row-major grid.
    static func conjugateIndices(_ shape: [Int]) -> [Int] {
        let count = shape.reduce(1, *)
        var strides = [Int](repeating: 1, count: shape.count)
        for a in stride(from: shape.count - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * shape[a + 1] }
        return (0..<count).map { flat in
            var rest = flat, mirrored = 0
            for a in 0..<shape.count {
                let k = rest / strides[a]
                rest %= strides[a]
                mirrored += ((shape[a] - k) % shape[a]) * strides[a]
            }
            return mirrored
        }
    }
}
