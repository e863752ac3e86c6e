/// The variance-preserving (DDPM) schedule: a linear noising rate integrated to γ.
///
///     β(t) = β_min + t (β_max − β_min)
///     B(t) = ∫₀ᵗ β = β_min t + ½ (β_max − β_min) t²
///     σ² = 1 − exp(−B)          γ = logit(σ²) = log(expm1(B))
///
/// Defaults (the reference's `vp_schedule`): β_min = 0.1, β_max = 20. A scalar schedule.
///
/// γ is evaluated as log(expm1(B)) for B ≤ 1 and B + log1p(−e^{−B}) above, which stays accurate
/// where σ² is close to 1 (the reference's logit(−expm1(−B)) loses digits there in float32).
/// At t = 0, γ = −∞ and β takes its analytic value β_min (the reference returns NaN, 0 · ∞).
public struct VPSchedule<Scalar: TensorScalar>: Schedule {
    /// β(0).
    public let betaMin: Scalar
    /// β(1).
    public let betaMax: Scalar
    /// `nil`: a scalar schedule.
    public var componentCount: Int? { nil }

    /// The VP schedule with rates from β_min (default 0.1) to β_max (default 20).
    /// - Throws: `GUDError.nonFinite` for non-finite rates, `GUDError.invalidArgument`
    ///   unless 0 ≤ β_min ≤ β_max and β_max > 0.
    public init(betaMin: Scalar = 0.1, betaMax: Scalar = 20) throws {
        try ScheduleValidation.finite(betaMin, "β_min")
        try ScheduleValidation.finite(betaMax, "β_max")
        guard betaMin >= 0, betaMax >= betaMin, betaMax > 0 else {
            throw GUDError.invalidArgument(
                "VP schedule rates β_min = \(betaMin), β_max = \(betaMax); expected 0 ≤ β_min ≤ β_max and β_max > 0")
        }
        self.betaMin = betaMin
        self.betaMax = betaMax
    }

    /// ∫₀ᵗ β(s) ds.
    public func integratedBeta(at t: Scalar) -> Scalar {
        betaMin * t + 0.5 * (betaMax - betaMin) * t * t
    }

    /// γ(t) from ∫β and the analytic β(t).
    public func evaluate(at t: Scalar, gamma: UnsafeMutableBufferPointer<Scalar>, beta: UnsafeMutableBufferPointer<Scalar>) {
        let b = integratedBeta(at: t)
        gamma[0] = b <= 1 ? Scalar.log(Scalar.expMinusOne(b)) : b + Scalar.log(onePlus: -Scalar.exp(-b))
        beta[0] = betaMin + t * (betaMax - betaMin)
    }
}
