/// The density at the end of the diffusion (t = 1) used by the likelihood, in compWhite coordinates.
///
/// The diffusion drives every whitened component towards N(0, 1), but with a finite γ(1) the
/// marginal at t = 1 is N(0, αᵢ² Σᵢ + σᵢ²), which differs from N(0, 1) by αᵢ²(Σᵢ − 1): using the
/// standard normal (the usual choice) adds that mismatch to the likelihood. Make it negligible with
/// a large γ(1), or, for data of known component variances Σᵢ, use the exact marginal
/// (``GaussianPrior/marginal(dataVariances:schedule:at:)``).
public protocol Prior<Scalar> {
    /// The precision of the values: `Float` or `Double`.
    associatedtype Scalar: TensorScalar
    /// log p(x) per sample for x in compWhite, with respect to the real dataWhite coordinates
    /// (the Lebesgue measure of the N = D·C real degrees of freedom).
    func logDensity(compWhite x: Tensor<Scalar>, space: any Space<Scalar>) throws -> [Scalar]
}

/// A Gaussian prior, diagonal in compWhite: χ̂ᵢ ~ N(0, vᵢ) (complex components as the transform
/// of real noise), default vᵢ = 1 (the standard normal):
///
///     log p(x) = −½ Σᵢ,c |xᵢc|²/vᵢ − (C/2) Σᵢ log vᵢ − (N/2) log 2π,   N = D·C.
///
/// For a complex (Fourier) space the variances must be symmetric under k → −k.
public struct GaussianPrior<Scalar: TensorScalar>: Prior {
    /// vᵢ, or `nil` for 1.
    public let variances: [Scalar]?

    /// The standard normal N(0, I).
    public static var standard: GaussianPrior { GaussianPrior(checked: nil) }

    /// A prior with variances vᵢ > 0 per component.
    /// - Throws: `GUDError.invalidArgument` for non-positive variances, `GUDError.nonFinite`.
    public init(variances: [Scalar]) throws {
        try ScheduleValidation.finite(variances, "prior variances")
        if let i = variances.firstIndex(where: { $0 <= 0 }) {
            throw GUDError.invalidArgument("prior variance \(i) is \(variances[i]); expected positive variances")
        }
        self.init(checked: variances)
    }

    private init(checked variances: [Scalar]?) { self.variances = variances }

    /// The exact marginal at time t of data whose whitened components are independent with
    /// variances Σᵢ (Gaussian data in its PCA basis, say): vᵢ = αᵢ(t)² Σᵢ + σᵢ(t)².
    /// - Throws: `GUDError.shapeMismatch` when the schedule's width does not fit.
    public static func marginal<Sch: Schedule>(dataVariances: [Scalar], schedule: Sch, at t: Scalar = 1) throws -> GaussianPrior
    where Sch.Scalar == Scalar {
        let state = schedule(t)
        guard state.width == 1 || state.width == dataVariances.count else {
            throw GUDError.shapeMismatch("the schedule has \(state.width) components for \(dataVariances.count) variances")
        }
        let d = dataVariances.count
        let alpha = state.components(of: state.alpha, count: d), sigma = state.components(of: state.sigma, count: d)
        return try GaussianPrior(variances: (0..<d).map { alpha[$0] * alpha[$0] * dataVariances[$0] + sigma[$0] * sigma[$0] })
    }

    /// log N(x; 0, diag(v)) per sample, with respect to the real dataWhite coordinates.
    public func logDensity(compWhite x: Tensor<Scalar>, space: any Space<Scalar>) throws -> [Scalar] {
        try space.checkComponents(x, "prior input")
        let d = space.dimension
        let v = variances ?? [Scalar](repeating: 1, count: d)
        guard v.count == d else {
            throw GUDError.shapeMismatch("the prior has \(v.count) variances for a space of dimension \(d)")
        }
        let channels = x.shape[2]
        let n = Scalar(d * channels)
        let logDet = Scalar(channels) * v.reduce(0) { $0 + Scalar.log($1) }
        let constant = -(logDet + n * Scalar.log(2 * Scalar.pi)) / 2
        return try weightedSquaredNorms(x, weights: v.map { 1 / $0 }).map { constant - $0 / 2 }
    }
}
