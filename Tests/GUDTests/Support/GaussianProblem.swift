@testable import GUD

/// Gaussian data N(0, C) in D = 16 dimensions with a non-diagonal covariance C = Qᵀ diag(λ) Q:
/// λ log-spaced from 0.05 to 5 and Q a seeded random orthogonal matrix. Everything about it is known
/// in closed form: the score at every t in the PCA basis, the samples' covariance and the density.
struct GaussianProblem {
    static let dimension = 16
    /// λ in ascending order.
    let lambda: [Double]
    /// Rows are the eigenvectors (the PCA basis, up to signs).
    let q: Tensor<Double>
    /// C = Qᵀ diag(λ) Q.
    let covariance: Tensor<Double>

    init(seed: UInt64 = 7) throws {
        let d = GaussianProblem.dimension
        let lambda = (0..<d).map { 0.05 * Double.pow(100, Double($0) / Double(d - 1)) }
        // A random orthogonal matrix: the eigenvectors of a random symmetric matrix.
        let g: Tensor<Double> = RandomSource(seed: seed).gaussian(shape: [d, d])
        let q = try SymmetricEigendecomposition(try (g + g.transposed()) / 2).vectors
        let scaled = Tensor<Double>(shape: [d, d]) { lambda[$0 / d] * q[flat: $0] }
        self.lambda = lambda
        self.q = q
        covariance = try Tensor.matmul(q, scaled, transposeA: true)
    }

    /// `count` draws φ = Qᵀ (√λ ∘ z), shape (count, D, 1).
    func samples(_ count: Int, source: RandomSource) throws -> Tensor<Double> {
        let d = GaussianProblem.dimension
        let z: Tensor<Double> = source.gaussian(shape: [count, d])
        let scaled = Tensor<Double>(shape: [count, d]) { z[flat: $0] * lambda[$0 % d].squareRoot() }
        return try Tensor.matmul(scaled, q).reshaped([count, d, 1])
    }

    /// log N(φ; 0, C) per sample of φ (count, D, 1).
    func logDensity(_ phi: Tensor<Double>) throws -> [Double] {
        let d = GaussianProblem.dimension, count = phi.shape[0]
        let y = try Tensor.matmul(phi.reshaped([count, d]), q, transposeB: true)
        let logDet = lambda.reduce(0) { $0 + Double.log($1) }
        return (0..<count).map { b in
            let quadratic = (0..<d).reduce(0.0) { $0 + y[flat: b * d + $1] * y[flat: b * d + $1] / lambda[$1] }
            return -0.5 * (quadratic + logDet + Double(d) * Double.log(2 * Double.pi))
        }
    }

    /// The PCA space of C, whitened (S = √λ) or not (S = I), and the variances Σᵢ of the data in
    /// its compWhite coordinates (1, or λᵢ).
    func space(whitened: Bool) throws -> (space: LinearSpace<Double>, variances: [Double]) {
        let space = try LinearSpace(covariance: covariance, whiten: whitened)
        let lambdas = space.variances ?? []
        return (space, whitened ? lambdas.map { _ in 1 } : lambdas)
    }

    /// A soft-conditioning schedule over the PCA components ordered by variance (labels −log λᵢ).
    func schedule(space: LinearSpace<Double>, softness: Double, gammaMinTarget: Double = -10, gammaMaxTarget: Double = 12) throws -> LinearSchedule<Double> {
        try softConditioningSchedule(
            labels: (space.variances ?? []).map { -Double.log($0) }, gammaMinTarget: gammaMinTarget,
            gammaMaxTarget: gammaMaxTarget, softness: softness)
    }
}
