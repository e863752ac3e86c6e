/// The exact ε-predictor for data whose whitened components are independent Gaussians N(0, Σᵢ) —
/// e.g. data N(0, C) in its PCA space (Σᵢ = λᵢ/Sᵢ²: 1 when whitened, λᵢ when not).
///
/// The marginal of χ̂ᵢ(t) is N(0, αᵢ² Σᵢ + σᵢ²), so the score is −χ̂ᵢ/(αᵢ² Σᵢ + σᵢ²) and
///
///     ε̂ᵢ(χ̂) = σᵢ χ̂ᵢ / (αᵢ² Σᵢ + σᵢ²).
///
/// Its vector–Jacobian products are exact: in dataWhite the Jacobian is U† diag(cᵢ) U with
/// cᵢ = σᵢ/(αᵢ² Σᵢ + σᵢ²). Useful as a baseline, for exact checks of samplers and likelihoods, and
/// to time the sampler without a network.
public struct DiagonalGaussianModel<Scalar: TensorScalar>: EpsilonModel {
    /// Σᵢ, the variance of every whitened component of the data.
    public let variances: [Scalar]

    /// The exact predictor for whitened components of variances Σᵢ, one per component.
    /// - Throws: `GUDError.invalidArgument` for an empty array or a non-positive variance,
    ///   `GUDError.nonFinite` for NaN/∞.
    public init(variances: [Scalar]) throws {
        guard !variances.isEmpty else { throw GUDError.invalidArgument("no variances; expected one per component") }
        try ScheduleValidation.finite(variances, "variances")
        if let i = variances.firstIndex(where: { $0 <= 0 }) {
            throw GUDError.invalidArgument("variance \(i) is \(variances[i]); expected positive variances")
        }
        self.variances = variances
    }

    /// cᵢ = σᵢ/(αᵢ² Σᵢ + σᵢ²) for every row of the state, shape (rows, D).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func coefficients(_ state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        let d = variances.count
        guard state.width == 1 || state.width == d else {
            throw GUDError.shapeMismatch("the state has \(state.width) components; expected 1 or \(d)")
        }
        var values = [Scalar]()
        values.reserveCapacity(state.rows * d)
        for r in 0..<state.rows {
            let alpha = state.components(of: state.alpha, row: r, count: d)
            let sigma = state.components(of: state.sigma, row: r, count: d)
            for i in 0..<d {
                let (a, s) = (alpha[i], sigma[i])
                values.append(s / (a * a * variances[i] + s * s))
            }
        }
        return try Tensor(shape: [state.rows, d], scalars: values)
    }

    /// ε̂ᵢ = cᵢ χ̂ᵢ, component-wise in compWhite.
    public func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        try multiplyComponents(x, by: coefficients(state))
    }

    /// η(y) = U† (c ∘ U y) and the exact products U† (c ∘ U v) (the Jacobian is symmetric).
    public func epsilonAndVJP(
        dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>,
        cotangents: [Tensor<Scalar>]
    ) throws -> (epsilon: Tensor<Scalar>, vjps: [Tensor<Scalar>]) {
        let c = try coefficients(state)
        func apply(_ v: Tensor<Scalar>) throws -> Tensor<Scalar> {
            try space.fromComponentSpace(multiplyComponents(space.toComponentSpace(v), by: c))
        }
        return (try apply(y), try cotangents.map(apply))
    }
}
