/// A PCA-like space: an orthogonal matrix U whose **rows** are the components (χ = U φ) and a
/// per-component whitening scale (for PCA, Sᵢ = √λᵢ).
///
/// Build it from explicit components, from a covariance (LAPACKE `?syevd`: eigenvalues ascending,
/// row i of U the unit eigenvector of λᵢ, as the reference's `LinearSpace.from_covariance`), or
/// from a data set (the covariance of the mean-subtracted data). Eigenvector signs are made
/// deterministic by `SymmetricEigendecomposition` (largest entry positive).
public struct LinearSpace<Scalar: TensorScalar>: Space {
    /// U, shape (D, D): row i is component i.
    public let components: Tensor<Scalar>
    /// Sᵢ per component (√λᵢ for a whitened PCA space), or `nil`.
    public let scale: [Scalar]?
    /// The eigenvalues λᵢ (after the floor) when built from a covariance or data, else `nil`:
    /// the variances of the unwhitened components, e.g. for labels −log λᵢ.
    public let variances: [Scalar]?
    /// D.
    public var dimension: Int { components.shape[0] }
    /// `false`.
    public var isComplex: Bool { false }

    /// A space from explicit components and scale.
    ///
    /// - Parameters:
    ///   - components: (D, D), orthogonal (max |U Uᵀ − I| ≤ `orthogonalityTolerance`), finite.
    ///   - scale: Sᵢ > 0, D values, or `nil` for S = I.
    ///   - orthogonalityTolerance: the largest accepted |U Uᵀ − I| entry, or `nil` for √ε_mach · √D.
    /// - Throws: `GUDError.shapeMismatch` unless U is square and the scale has D values,
    ///   `GUDError.nonFinite` for NaN/∞, `GUDError.invalidArgument` when U is not
    ///   orthogonal or a scale is not positive.
    public init(components: Tensor<Scalar>, scale: [Scalar]? = nil, orthogonalityTolerance: Scalar? = nil) throws {
        try self.init(components: components, scale: scale, variances: nil, tolerance: orthogonalityTolerance)
    }

    private init(components: Tensor<Scalar>, scale: [Scalar]?, variances: [Scalar]?, tolerance: Scalar?) throws {
        guard components.rank == 2, components.shape[0] == components.shape[1], components.shape[0] > 0 else {
            throw GUDError.shapeMismatch("components have shape \(components.shape); expected a square (D, D) matrix")
        }
        try components.checkFinite("components")
        let d = components.shape[0]
        let deviation = try Tensor.matmul(components, components, transposeB: true)
            .zipMap(Tensor.identity(d)) { Swift.abs($0 - $1) }.max()
        let limit = tolerance ?? Scalar.ulpOfOne.squareRoot() * Scalar(d).squareRoot()
        guard deviation <= limit else {
            throw GUDError.invalidArgument(
                "components are not orthogonal: max |U Uᵀ − I| = \(deviation); expected at most \(limit)")
        }
        self.components = components
        self.scale = try validatedScale(scale, dimension: d)
        self.variances = variances
    }

    /// The PCA space of a covariance matrix: U = eigenvectors (rows), S = √λ (or I).
    ///
    /// - Parameters:
    ///   - covariance: (D, D), symmetric, finite.
    ///   - whiten: whether S = √λ (a whitened prior) or S = I (unwhitened).
    ///   - floor: the treatment of eigenvalues below a fraction of the largest (tiny or negative
    ///     ones); the clamped values become ``variances`` and, when whitening, the scale.
    /// - Throws: as `SymmetricEigendecomposition`, and `GUDError.invalidArgument` when an
    ///   eigenvalue is below a `.reject` floor.
    public init(covariance: Tensor<Scalar>, whiten: Bool = true, floor: VarianceFloor<Scalar> = .default) throws {
        let eig = try SymmetricEigendecomposition(covariance)
        let lambda = try floor.apply(to: eig.values.scalars, what: "eigenvalue")
        try self.init(components: eig.vectors, scale: whiten ? lambda.map { $0.squareRoot() } : nil,
                      variances: lambda, tolerance: nil)
    }

    /// The PCA space of a data set (N, D, C): the covariance of the mean-subtracted data, pooled
    /// over channels and normalised by N · C, then as ``init(covariance:whiten:floor:)``.
    /// - Throws: `GUDError.shapeMismatch` for a wrong shape, `GUDError.nonFinite` for NaN/∞.
    public init(data: Tensor<Scalar>, whiten: Bool = true, floor: VarianceFloor<Scalar> = .default) throws {
        try self.init(covariance: sampleCovariance(data), whiten: whiten, floor: floor)
    }

    /// χ_b = U φ_b for every sample (one GEMM when C = 1).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func toComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkData(x, "input of toComponentSpace")
        return apply(x, transposed: false)
    }

    /// φ_b = Uᵀ χ_b for every sample.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fromComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkComponents(x, "input of fromComponentSpace")
        return apply(x, transposed: true)
    }

    /// out_b = U x_b (or Uᵀ x_b) for every sample b of a (batch, D, C) tensor.
    private func apply(_ x: Tensor<Scalar>, transposed: Bool) -> Tensor<Scalar> {
        let (batch, d, channels) = (x.shape[0], x.shape[1], x.shape[2])
        var out = Tensor<Scalar>(shape: x.shape)
        components.withUnsafeBufferPointer { u in
            x.withUnsafeBufferPointer { xb in
                out.withUnsafeMutableBufferPointer { ob in
                    guard let up = u.baseAddress, let xp = xb.baseAddress, let op = ob.baseAddress else { return }
                    if channels == 1 {
                        // (batch, D) · Uᵀ, or · U for the inverse.
                        BLAS.gemm(transB: !transposed, m: batch, n: d, k: d, a: xp, b: up, c: op)
                    } else {
                        for b in 0..<batch {
                            let offset = b * d * channels
                            BLAS.gemm(transA: transposed, m: d, n: channels, k: d, a: up, b: xp + offset, c: op + offset)
                        }
                    }
                }
            }
        }
        return out
    }
}

/// The covariance (D, D) of (N, D, C) data: Σ over samples and channels of (x − x̄)(x − x̄)ᵀ / (N C),
/// with x̄ the per-pixel mean over samples; accumulated over chunks of samples.
func sampleCovariance<S: TensorScalar>(_ data: Tensor<S>) throws -> Tensor<S> {
    guard data.rank == 3, data.shape[0] > 0, data.shape[1] > 0, data.shape[2] > 0 else {
        throw GUDError.shapeMismatch("data has shape \(data.shape); expected (samples, space, channels) with positive extents")
    }
    try data.checkFinite("data")
    let (d, c) = (data.shape[1], data.shape[2])
    let mean = try batchMean(data)
    var sum = Tensor<S>(shape: [d, d])
    for chunk in sampleChunks(data.shape[0]) {
        // Rows of (samples · channels, D): one row per (sample, channel).
        var rows = try centredSamples(data, chunk, mean: mean)
        rows = try (c == 1 ? rows : rows.permuted([0, 2, 1])).reshaped([chunk.count * c, d])
        try sum.addScaled(Tensor.matmul(rows, rows, transposeA: true))
    }
    return sum / S(data.shape[0] * c)
}
