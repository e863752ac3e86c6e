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
        var input = Tensor<Scalar>(shape: x.shape + [2])
        var out = Tensor<Scalar>(shape: x.shape + [2])
        x.withUnsafeBufferPointer { src in
            input.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[2 * i] = src[i] }
            }
        }
        try input.withUnsafeMutableBufferPointer { i in
            try out.withUnsafeMutableBufferPointer { o in
                try transform(i.baseAddress!, o.baseAddress!, batch: x.shape[0], channels: x.shape[2], .forward)
            }
        }
        return out
    }

    /// The real part of the orthonormal inverse FFT: (batch, D, C, 2) → (batch, D, C).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fromComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkComponents(x, "input of fromComponentSpace")
        var complexOut = Tensor<Scalar>(shape: x.shape)
        var out = Tensor<Scalar>(shape: Array(x.shape.dropLast()))
        try x.withUnsafeBufferPointer { i in
            try complexOut.withUnsafeMutableBufferPointer { o in
                // Out-of-place complex FFTW plans preserve their input.
                try transform(UnsafeMutablePointer(mutating: i.baseAddress!), o.baseAddress!,
                              batch: x.shape[0], channels: x.shape[2], .inverse)
            }
        }
        complexOut.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] = src[2 * i] }
            }
        }
        return out
    }

    /// The transform of real white noise, drawn straight into the real parts of the FFT's input.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func drawWhiteNoise(into out: inout Tensor<Scalar>, streams: inout [RandomStream], scale: Scalar) throws {
        try checkNoiseBuffer(out, streams: streams)
        let (batch, channels) = (out.shape[0], out.shape[2])
        var input = Tensor<Scalar>(shape: out.shape)
        fillStandardNormal(&input, streams: &streams, scale: scale, stride: 2)
        try input.withUnsafeMutableBufferPointer { i in
            try out.withUnsafeMutableBufferPointer { o in
                try transform(i.baseAddress!, o.baseAddress!, batch: batch, channels: channels, .forward)
            }
        }
    }

    /// The orthonormal FFT of `batch` samples of interleaved complex values, the batch split over the
    /// cores (each part with the cached plan of its size; FFTW plans may execute concurrently).
    private func transform(_ input: UnsafeMutablePointer<Scalar>, _ output: UnsafeMutablePointer<Scalar>,
                           batch: Int, channels: Int, _ direction: FFTDirection) throws {
        let parts = Swift.max(1, Swift.min(Parallel.workerCount, batch))
        let bounds = (0...parts).map { $0 * batch / parts }
        let plans: [FFTPlan<Scalar>] = try (0..<parts).map { p in
            try FFTPlanner.plan(FFTLayout(spatialShape: shape, outer: bounds[p + 1] - bounds[p], inner: channels), direction)
        }
        let stride = 2 * dimension * channels
        Parallel.forEach(parts) { p in
            plans[p].execute(input: input + bounds[p] * stride, output: output + bounds[p] * stride)
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
