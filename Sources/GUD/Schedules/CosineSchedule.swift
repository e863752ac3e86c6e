/// The cosine schedule (improved DDPM).
///
///     α² = cos²(θ),  θ = (t + s)/(1 + s) · π/2
///     γ = log σ² − log α² = 2 log sin θ − 2 log sin φ,   φ = π/2 − θ = (1 − t)/(1 + s) · π/2
///     β = −d log α²/dt = π/(1 + s) · sin θ / sin φ
///
/// Default (the reference's `cosine_schedule`): s = 0.008. A scalar schedule.
///
/// Both σ² = sin²θ and α² = sin²φ are computed without cancellation, so γ is accurate at both ends
/// (the reference's 1 − cos² loses digits near t = 0 in float32, and cos(fl(π/2)) ≠ 0 at t = 1).
/// At t = 1 the analytic limits are returned: γ = +∞, β = +∞ (α = 0). Start samplers slightly
/// below t = 1 with this schedule.
public struct CosineSchedule<Scalar: TensorScalar>: Schedule {
    /// The offset s that keeps β finite at t = 0.
    public let s: Scalar
    /// `nil`: a scalar schedule.
    public var componentCount: Int? { nil }

    /// The cosine schedule with offset s (default 0.008).
    /// - Throws: `GUDError.invalidArgument` unless s is finite and ≥ 0.
    public init(s: Scalar = 0.008) throws {
        guard s.isFinite, s >= 0 else {
            throw GUDError.invalidArgument("cosine schedule offset s = \(s); expected a finite s ≥ 0")
        }
        self.s = s
    }

    /// γ(t) and β(t) from sin θ and sin φ (see the type's documentation).
    public func evaluate(at t: Scalar, gamma: UnsafeMutableBufferPointer<Scalar>, beta: UnsafeMutableBufferPointer<Scalar>) {
        let halfPi = Scalar.pi / 2
        let sinTheta = Scalar.sin((t + s) / (1 + s) * halfPi)
        let sinPhi = Scalar.sin((1 - t) / (1 + s) * halfPi)
        gamma[0] = 2 * Scalar.log(sinTheta) - 2 * Scalar.log(sinPhi)
        beta[0] = Scalar.pi / (1 + s) * sinTheta / sinPhi
    }
}
