/// Linear interpolation in γ, scalar or component-wise, with optional clipping.
///
///     γᵢ(t) = clip(γ_min,ᵢ + t · (γ_max,ᵢ − γ_min,ᵢ), loᵢ, hiᵢ)
///     βᵢ(t) = σ²(γᵢ(t)) · (γ_max,ᵢ − γ_min,ᵢ)   where loᵢ ≤ unclipped γᵢ(t) ≤ hiᵢ, else 0
///
/// Defaults (the reference's `linear_schedule`): γ_min = −13.3 (SNR ≈ 6·10⁵), γ_max = 5.
///
/// **Clipping and frozen components.** Where the unclipped line lies outside [lo, hi] the component
/// sits on the bound with dγ/dt = 0, so β = 0: it is frozen in the forward and in the reverse process.
/// *Exactly on a bound* β takes the one-sided derivative into the active region, i.e. its full value
/// σ² · Δγ (the reference's autodiff through `clip` gives half of it at those isolated points).
public struct LinearSchedule<Scalar: TensorScalar>: Schedule {
    /// γ at t = 0 (before clipping): one value, or one per component.
    public let gammaMin: [Scalar]
    /// γ at t = 1 (before clipping): the same count as ``gammaMin``.
    public let gammaMax: [Scalar]
    /// The clipping bounds, if any.
    public let clip: ClipBounds<Scalar>?
    /// `nil` for a scalar schedule, else D.
    public let componentCount: Int?
    /// γ_max − γ_min per entry: the slope dγ/dt of the unclipped line.
    public let deltaGamma: [Scalar]

    /// A scalar schedule (one γ for every component).
    /// - Throws: `GUDError.nonFinite` for non-finite endpoints, `GUDError.invalidArgument`
    ///   when γ_max < γ_min (β must not be negative).
    public init(gammaMin: Scalar = -13.3, gammaMax: Scalar = 5) throws {
        try self.init(validating: [gammaMin], [gammaMax], clip: nil, componentCount: nil)
    }

    /// A component-wise schedule with its own endpoints per component and optional clipping.
    ///
    /// - Parameters:
    ///   - gammaMin: γ_min,ᵢ for each of the D components.
    ///   - gammaMax: γ_max,ᵢ ≥ γ_min,ᵢ, D values.
    ///   - clip: bounds with 1 or D values each, or `nil`.
    /// - Throws: `GUDError.invalidArgument` for empty or mismatched arrays or γ_max < γ_min,
    ///   `GUDError.nonFinite` for non-finite endpoints.
    public init(gammaMin: [Scalar], gammaMax: [Scalar], clip: ClipBounds<Scalar>? = nil) throws {
        try self.init(validating: gammaMin, gammaMax, clip: clip, componentCount: gammaMin.count)
    }

    private init(validating lo: [Scalar], _ hi: [Scalar], clip: ClipBounds<Scalar>?, componentCount: Int?) throws {
        try ScheduleValidation.nonEmpty(lo, "γ_min")
        guard lo.count == hi.count else {
            throw GUDError.invalidArgument("γ_min has \(lo.count) values and γ_max \(hi.count); expected the same count")
        }
        try ScheduleValidation.finite(lo, "γ_min")
        try ScheduleValidation.finite(hi, "γ_max")
        if let i = lo.indices.first(where: { lo[$0] > hi[$0] }) {
            throw GUDError.invalidArgument(
                "γ_max (\(hi[i])) is below γ_min (\(lo[i])) at component \(i); expected γ_max ≥ γ_min so that β ≥ 0")
        }
        if let clip {
            for count in [clip.lower.count, clip.upper.count] where count != 1 && count != lo.count {
                throw GUDError.invalidArgument(
                    "clip bounds have \(count) values; expected 1 or \(lo.count) (one per component)")
            }
        }
        self.gammaMin = lo
        self.gammaMax = hi
        self.clip = clip
        self.componentCount = componentCount
        self.deltaGamma = zip(hi, lo).map { $0 - $1 }
    }

    /// γ and β of every component at t (see the type's documentation for clipping).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate(at t: Scalar, gamma: UnsafeMutableBufferPointer<Scalar>, beta: UnsafeMutableBufferPointer<Scalar>) {
        let n = gammaMin.count
        gammaMin.withUnsafeBufferPointer { g0 in
            deltaGamma.withUnsafeBufferPointer { dg in
                guard let clip else {
                    for i in 0..<n {
                        let g = g0[i] + t * dg[i]
                        gamma[i] = g
                        beta[i] = StableMath.sigmoid(g) * dg[i]
                    }
                    return
                }
                let lowerStride = clip.lower.count == 1 ? 0 : 1
                let upperStride = clip.upper.count == 1 ? 0 : 1
                for i in 0..<n {
                    let line = g0[i] + t * dg[i]
                    let lo = clip.lower[i * lowerStride], hi = clip.upper[i * upperStride]
                    let g = Swift.min(Swift.max(line, lo), hi)
                    gamma[i] = g
                    beta[i] = line >= lo && line <= hi ? StableMath.sigmoid(g) * dg[i] : 0
                }
            }
        }
    }
}

/// Lower and upper bounds for clipping a component-wise γ, one value (shared) or one per component.
public struct ClipBounds<Scalar: TensorScalar>: Sendable, Equatable {
    /// Lower bounds (1 or D values).
    public let lower: [Scalar]
    /// Upper bounds (1 or D values).
    public let upper: [Scalar]

    /// Bounds shared by every component; ±∞ leaves a side open.
    /// - Throws: `GUDError.nonFinite` for NaN, `GUDError.invalidArgument` when lower > upper.
    public init(lower: Scalar, upper: Scalar) throws {
        try self.init(lower: [lower], upper: [upper])
    }

    /// Per-component bounds (1 or D values each); ±∞ leaves a side open.
    /// - Throws: `GUDError.nonFinite` for NaN, `GUDError.invalidArgument` when a lower bound
    ///   exceeds its upper bound, the arrays are empty, or their counts differ (other than 1).
    public init(lower: [Scalar], upper: [Scalar]) throws {
        guard !lower.isEmpty, !upper.isEmpty,
            lower.count == upper.count || lower.count == 1 || upper.count == 1
        else {
            throw GUDError.invalidArgument(
                "clip bounds have \(lower.count) lower and \(upper.count) upper values; expected 1 or one per component each")
        }
        if lower.contains(where: \.isNaN) || upper.contains(where: \.isNaN) {
            throw GUDError.nonFinite("clip bounds contain NaN; expected numbers (±∞ allowed)")
        }
        let n = Swift.max(lower.count, upper.count)
        for i in 0..<n {
            let lo = lower[lower.count == 1 ? 0 : i], hi = upper[upper.count == 1 ? 0 : i]
            guard lo <= hi else {
                throw GUDError.invalidArgument("clip bound \(i): lower \(lo) exceeds upper \(hi)")
            }
        }
        self.lower = lower
        self.upper = upper
    }
}
