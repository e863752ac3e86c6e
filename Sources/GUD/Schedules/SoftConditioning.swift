/// Per-component endpoints of a soft-conditioning schedule (the reference's
/// `componentwise_linear_endpoints`).
///
/// Every component moves with the same slope Δγ, offset by its ordering label lᵢ:
///
///     γ_min,ᵢ = γ̃_min + (lᵢ − l_max)/s
///     Δγ      = γ̃_max − γ̃_min + (l_max − l_min)/s
///     γ_max,ᵢ = γ_min,ᵢ + Δγ
///
/// so the highest-label component reaches exactly γ̃_min at t = 0 and the lowest-label one exactly
/// γ̃_max at t = 1. A higher label means a higher γ throughout: noised earlier, generated later.
/// The softness s = 1/a (paper notation) ranges from ∞ (standard diffusion) to → 0 (autoregressive).
///
/// - Parameters:
///   - labels: lᵢ, one per component, finite.
///   - gammaMinTarget: γ̃_min (the paper's γ̃_denoise), default −7.
///   - gammaMaxTarget: γ̃_max (γ̃_noise), default 3.
///   - softness: s > 0; `.infinity` gives every component the same endpoints. Default 1.
/// - Throws: `GUDError.invalidArgument` for empty labels or s ≤ 0,
///   `GUDError.nonFinite` for non-finite labels or targets.
public func componentwiseLinearEndpoints<S: TensorScalar>(
    labels: [S], gammaMinTarget: S = -7, gammaMaxTarget: S = 3, softness: S = 1
) throws -> (gammaMin: [S], gammaMax: [S]) {
    try ScheduleValidation.nonEmpty(labels, "labels")
    try ScheduleValidation.finite(labels, "labels")
    try ScheduleValidation.finite(gammaMinTarget, "γ̃_min")
    try ScheduleValidation.finite(gammaMaxTarget, "γ̃_max")
    try ScheduleValidation.softness(softness)
    let lMin = labels.min()!, lMax = labels.max()!
    let gammaMin = labels.map { gammaMinTarget + ($0 - lMax) / softness }
    let delta = gammaMaxTarget - gammaMinTarget + (lMax - lMin) / softness
    return (gammaMin, gammaMin.map { $0 + delta })
}

/// A soft-conditioning schedule: a component-wise ``LinearSchedule`` with the endpoints of
/// ``componentwiseLinearEndpoints(labels:gammaMinTarget:gammaMaxTarget:softness:)``, optionally
/// clipped to [γ̃_min, γ̃_max] (then every component is frozen outside its part of the range).
///
/// **Equivalence with standard diffusion.** With labels lᵢ = −log λᵢ (λᵢ the data variances of the
/// components) and s = 1 *in a whitened space*, γᵢ(t) = γ_c(t) − log λᵢ with one scalar linear γ_c(t)
/// from γ̃_min + log λ_min to γ̃_max + log λ_max. The true SNR of component i, e^{−γᵢ} in whitened
/// coordinates, is then λᵢ e^{−γ_c}: exactly the true SNR of standard diffusion with schedule γ_c on
/// the *unwhitened* components. The two noised variables are the same up to a deterministic rescaling
/// per component, χ̂ᵢ(t) = cᵢ(t) χᵢ(t) with cᵢ = αᵢ/(α_c √λᵢ) (→ 1/√λᵢ at low noise, → 1 at high
/// noise), so the posteriors p(χ(0) | χ(t)) and the denoised estimates agree; the marginals agree up
/// to that rescaling (they are not equal as densities: the whitened ones have unit variance).
///
/// - Throws: as ``componentwiseLinearEndpoints(labels:gammaMinTarget:gammaMaxTarget:softness:)``.
public func softConditioningSchedule<S: TensorScalar>(
    labels: [S], gammaMinTarget: S = -7, gammaMaxTarget: S = 3, softness: S = 1, clip: Bool = false
) throws -> LinearSchedule<S> {
    let (lo, hi) = try componentwiseLinearEndpoints(
        labels: labels, gammaMinTarget: gammaMinTarget, gammaMaxTarget: gammaMaxTarget, softness: softness)
    let bounds = clip ? try ClipBounds(lower: gammaMinTarget, upper: gammaMaxTarget) : nil
    return try LinearSchedule(gammaMin: lo, gammaMax: hi, clip: bounds)
}

/// A schedule adjusted for per-component data variances Σᵢ (the reference's `variance_adjusted_schedule`).
///
/// Labels lᵢ = oᵢ/s + log Σᵢ with the ordering oᵢ (default −log Σᵢ), then the soft-conditioning
/// endpoints with softness 1:
///
///     γ_min,ᵢ = γ̃_min + log Σᵢ + (oᵢ − o_max)/s + …   (the paper's eq. 13)
///
/// With the default ordering and s = 1 every component gets the same γ (standard diffusion, the true
/// SNR differing by Σᵢ); s < 1 separates the components further, large-variance ones being generated
/// first; s > 1 brings their SNR trajectories together. With `clip`, each component is clipped to its
/// own [γ_min,ᵢ, γ_max,ᵢ].
///
/// - Parameters:
///   - variances: Σᵢ > 0, one per component.
///   - gammaMinTarget: γ̃_min, default −7.
///   - gammaMaxTarget: γ̃_max, default 3.
///   - softness: s > 0, default 1.
///   - ordering: oᵢ, one per component, or `nil` for −log Σᵢ.
///   - clip: clip each component to its own [γ_min,ᵢ, γ_max,ᵢ] (default false).
/// - Throws: `GUDError.invalidArgument` for non-positive variances, s ≤ 0 or mismatched counts,
///   `GUDError.nonFinite` for non-finite values.
public func varianceAdjustedSchedule<S: TensorScalar>(
    variances: [S], gammaMinTarget: S = -7, gammaMaxTarget: S = 3, softness: S = 1,
    ordering: [S]? = nil, clip: Bool = false
) throws -> LinearSchedule<S> {
    try ScheduleValidation.nonEmpty(variances, "variances")
    try ScheduleValidation.finite(variances, "variances")
    if let i = variances.firstIndex(where: { $0 <= 0 }) {
        throw GUDError.invalidArgument("variance \(i) is \(variances[i]); expected positive variances")
    }
    try ScheduleValidation.softness(softness)
    let logVariance = variances.map { S.log($0) }
    let order = ordering ?? logVariance.map { -$0 }
    guard order.count == variances.count else {
        throw GUDError.invalidArgument("ordering has \(order.count) values for \(variances.count) variances")
    }
    let labels = zip(order, logVariance).map { $0 / softness + $1 }
    let (lo, hi) = try componentwiseLinearEndpoints(
        labels: labels, gammaMinTarget: gammaMinTarget, gammaMaxTarget: gammaMaxTarget, softness: 1)
    return try LinearSchedule(gammaMin: lo, gammaMax: hi, clip: clip ? try ClipBounds(lower: lo, upper: hi) : nil)
}

/// Labels combined from two orderings, each with its own softness: lᵢ = pᵢ/s_p + qᵢ/s_q.
///
/// Used with softness 1 (see ``hierarchicalSchedule(primaryLabels:primarySoftness:secondaryLabels:secondarySoftness:gammaMinTarget:gammaMaxTarget:clip:)``),
/// the offsets of the two orderings add: e.g. the wavelet level (coarse scales first) with one
/// softness and the column within the image with another — the paper's Haar experiment.
/// - Throws: `GUDError.invalidArgument` for mismatched or empty labels or a softness ≤ 0,
///   `GUDError.nonFinite` for non-finite labels.
public func hierarchicalLabels<S: TensorScalar>(
    primary: [S], primarySoftness: S, secondary: [S], secondarySoftness: S
) throws -> [S] {
    try ScheduleValidation.nonEmpty(primary, "primary labels")
    guard primary.count == secondary.count else {
        throw GUDError.invalidArgument(
            "primary labels have \(primary.count) values and secondary \(secondary.count); expected one each per component")
    }
    try ScheduleValidation.finite(primary, "primary labels")
    try ScheduleValidation.finite(secondary, "secondary labels")
    try ScheduleValidation.softness(primarySoftness, "primary softness")
    try ScheduleValidation.softness(secondarySoftness, "secondary softness")
    return zip(primary, secondary).map { $0 / primarySoftness + $1 / secondarySoftness }
}

/// A soft-conditioning schedule over ``hierarchicalLabels(primary:primarySoftness:secondary:secondarySoftness:)``
/// with softness 1.
public func hierarchicalSchedule<S: TensorScalar>(
    primaryLabels: [S], primarySoftness: S, secondaryLabels: [S], secondarySoftness: S,
    gammaMinTarget: S = -7, gammaMaxTarget: S = 3, clip: Bool = false
) throws -> LinearSchedule<S> {
    let labels = try hierarchicalLabels(
        primary: primaryLabels, primarySoftness: primarySoftness,
        secondary: secondaryLabels, secondarySoftness: secondarySoftness)
    return try softConditioningSchedule(
        labels: labels, gammaMinTarget: gammaMinTarget, gammaMaxTarget: gammaMaxTarget, softness: 1, clip: clip)
}
