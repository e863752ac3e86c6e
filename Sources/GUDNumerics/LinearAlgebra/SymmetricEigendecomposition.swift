/// The eigendecomposition A = Vᵀ Λ V of a real symmetric matrix, through LAPACKE `?syevd`.
///
/// - `values`: the eigenvalues λ₀ ≤ λ₁ ≤ … ≤ λₙ₋₁, **ascending** (LAPACK's order).
/// - `vectors`: an n×n orthogonal matrix whose **row** i is the unit eigenvector for `values[i]`
///   (so A = Vᵀ diag(λ) V, the convention of a PCA basis whose components are rows).
/// - Signs are made deterministic: each eigenvector's entry of largest magnitude is positive
///   (the first such entry on ties).
///
/// Singular and indefinite matrices are decomposed like any other: zero and negative eigenvalues
/// are returned as they are, and callers that need positive ones (a PCA whitening scale) apply
/// their own floor.
public struct SymmetricEigendecomposition<Scalar: TensorScalar>: Sendable {
    /// Eigenvalues in ascending order, shape (n).
    public let values: Tensor<Scalar>
    /// Row i is the unit eigenvector of `values[i]`, shape (n, n).
    public let vectors: Tensor<Scalar>

    /// Decomposes a symmetric matrix.
    ///
    /// - Parameters:
    ///   - matrix: shape (n, n), finite; symmetric up to `symmetryTolerance`. Only the upper triangle is read.
    ///   - symmetryTolerance: the largest accepted |Aᵢⱼ − Aⱼᵢ| relative to the largest magnitude, or
    ///     `nil` for √ε of the precision.
    /// - Throws: ``GUDError/shapeMismatch(_:)`` if not square, ``GUDError/nonFinite(_:)`` on NaN/∞,
    ///   ``GUDError/invalidArgument(_:)`` if not symmetric, ``GUDError/numericalFailure(_:)`` when
    ///   LAPACK reports `info ≠ 0`.
    public init(_ matrix: Tensor<Scalar>, symmetryTolerance: Scalar? = nil) throws {
        guard matrix.rank == 2, matrix.shape[0] == matrix.shape[1] else {
            throw GUDError.shapeMismatch("eigendecomposition needs a square matrix, got shape \(matrix.shape)")
        }
        try matrix.checkFinite("matrix to decompose")
        let n = matrix.shape[0]
        let a = matrix.scalars
        let scale = a.reduce(Scalar(0)) { Swift.max($0, Swift.abs($1)) }
        let tol = (symmetryTolerance ?? Scalar.ulpOfOne.squareRoot()) * Swift.max(scale, 1)
        for i in 0..<n {
            for j in (i + 1)..<Swift.max(n, i + 1) where Swift.abs(a[i * n + j] - a[j * n + i]) > tol {
                throw GUDError.invalidArgument(
                    "matrix is not symmetric: A[\(i),\(j)] = \(a[i * n + j]) but A[\(j),\(i)] = \(a[j * n + i])")
            }
        }
        var work = a
        var w = [Scalar](repeating: 0, count: n)
        if n > 0 {
            let info = work.withUnsafeMutableBufferPointer { ab in
                w.withUnsafeMutableBufferPointer { wb in
                    Scalar.lapackSyevd(n: n, a: ab.baseAddress!, w: wb.baseAddress!)
                }
            }
            guard info == 0 else {
                throw GUDError.numericalFailure(
                    info < 0 ? "LAPACKE ?syevd: argument \(-info) had an illegal value"
                        : "LAPACKE ?syevd did not converge (info = \(info))")
            }
        }
        // LAPACK returns eigenvectors as columns; store them as rows with a deterministic sign.
        var rows = [Scalar](repeating: 0, count: n * n)
        for j in 0..<n {
            var best = 0
            for i in 0..<n where Swift.abs(work[i * n + j]) > Swift.abs(work[best * n + j]) { best = i }
            let sign: Scalar = work[best * n + j] < 0 ? -1 : 1
            for i in 0..<n { rows[j * n + i] = sign * work[i * n + j] }
        }
        self.values = Tensor(w)
        self.vectors = try Tensor(shape: [n, n], scalars: rows)
    }
}
