/// The Fréchet distance between two Gaussians, and between two sets of feature vectors (the
/// quantity behind FID).
///
///     d² = ‖μ₁ − μ₂‖² + tr(C₁ + C₂ − 2 (C₁^{1/2} C₂ C₁^{1/2})^{1/2})
///
/// Matrix square roots go through the symmetric eigendecomposition (LAPACKE `?syevd`): for a
/// symmetric positive semi-definite A = Vᵀ Λ V, A^{1/2} = Vᵀ Λ^{1/2} V, with eigenvalues below zero
/// (rounding) clamped to 0. Covariances are the unbiased sample covariances (divisor n − 1).
public enum FrechetDistance {
    /// The mean (d) and unbiased covariance (d, d) of feature rows (n, d), in Double.
    public static func moments<S: TensorScalar>(_ features: Tensor<S>) throws -> (mean: Tensor<Double>, covariance: Tensor<Double>) {
        guard features.rank == 2, features.shape[0] >= 2, features.shape[1] >= 1 else {
            throw GUDError.shapeMismatch("features must be (n ≥ 2, d ≥ 1), got \(features.shape)")
        }
        try features.checkFinite("features")
        let x = features.converted(to: Double.self)
        let n = x.shape[0]
        let mean = try x.mean(axis: 0)
        var centred = x
        let d = x.shape[1]
        mean.withUnsafeBufferPointer { m in
            centred.withUnsafeMutableBufferPointer { b in
                for i in 0..<n { for j in 0..<d { b[i * d + j] -= m[j] } }
            }
        }
        let cov = try Tensor.matmul(centred, centred, transposeA: true) / Double(n - 1)
        return (mean, symmetrised(cov))
    }

    /// The Fréchet distance d² between N(μ₁, C₁) and N(μ₂, C₂).
    public static func distance(
        mean1: Tensor<Double>, covariance1: Tensor<Double>, mean2: Tensor<Double>, covariance2: Tensor<Double>
    ) throws -> Double {
        let d = mean1.count
        guard mean1.shape == [d], mean2.shape == [d], covariance1.shape == [d, d], covariance2.shape == [d, d] else {
            throw GUDError.shapeMismatch(
                "Fréchet distance needs means (d) and covariances (d, d) of one d; got \(mean1.shape), \(covariance1.shape), \(mean2.shape), \(covariance2.shape)")
        }
        let diff = try mean1 - mean2
        let root1 = try squareRoot(covariance1)
        let middle = symmetrised(try Tensor.matmul(root1, try Tensor.matmul(covariance2, root1)))
        let eig = try SymmetricEigendecomposition(middle)
        let traceSqrt = eig.values.scalars.reduce(0) { $0 + Swift.max($1, 0).squareRoot() }
        var trace = 0.0
        for i in 0..<d { trace += covariance1[i, i] + covariance2[i, i] }
        return Swift.max(0, diff.sumOfSquares() + trace - 2 * traceSqrt)
    }

    /// The Fréchet distance d² between the Gaussians fitted to two feature sets (n₁, d) and (n₂, d).
    public static func distance<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) throws -> Double {
        let (m1, c1) = try moments(a)
        let (m2, c2) = try moments(b)
        return try distance(mean1: m1, covariance1: c1, mean2: m2, covariance2: c2)
    }

    /// The principal square root of a symmetric positive semi-definite matrix.
    public static func squareRoot(_ a: Tensor<Double>) throws -> Tensor<Double> {
        let eig = try SymmetricEigendecomposition(a)
        let n = a.shape[0]
        var scaled = eig.vectors
        eig.values.withUnsafeBufferPointer { values in
            scaled.withUnsafeMutableBufferPointer { v in
                for i in 0..<n {
                    let s = Swift.max(values[i], 0).squareRoot()
                    for j in 0..<n { v[i * n + j] *= s }
                }
            }
        }
        return symmetrised(try Tensor.matmul(eig.vectors, scaled, transposeA: true))
    }

    /// (A + Aᵀ)/2: removes the rounding asymmetry of products that are symmetric in exact arithmetic.
    static func symmetrised(_ a: Tensor<Double>) -> Tensor<Double> {
        let n = a.shape[0]
        var out = a
        out.withUnsafeMutableBufferPointer { b in
            for i in 0..<n { for j in (i + 1)..<Swift.max(n, i + 1) {
                let m = (b[i * n + j] + b[j * n + i]) / 2
                b[i * n + j] = m
                b[j * n + i] = m
            } }
        }
        return out
    }
}
