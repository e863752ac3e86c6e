/// A family of component-wise schedules indexed by one parameter (typically the softness).
///
/// Training a single network over a family draws the parameter per example; the network is then
/// conditioned on the whole per-component γ vector of each sample (``NoisingState/gamma``, one row
/// per sample) rather than on t. Evaluate a family with one time and one parameter per sample:
///
/// ```swift
/// let family = try SoftConditioningFamily<Float>(labels: labels)
/// let state = try family(times: t, parameters: softness)   // γ, β: (batch, D)
/// ```
public protocol ScheduleFamily<Scalar>: Sendable {
    /// The precision of times and coefficients: `Float` or `Double`.
    associatedtype Scalar: TensorScalar
    /// The schedule type of one member.
    associatedtype Member: Schedule where Member.Scalar == Scalar

    /// The number of components of every member.
    var componentCount: Int { get }

    /// The schedule for one parameter value.
    func member(_ parameter: Scalar) throws -> Member
}

extension ScheduleFamily {
    /// The state of every sample, each at its own time and with its own parameter: γ and β have
    /// shape (batch, componentCount).
    /// - Parameters:
    ///   - times: shape (batch), finite.
    ///   - parameters: shape (batch).
    /// - Throws: `GUDError.shapeMismatch` when the two vectors differ in length or are empty,
    ///   and whatever ``member(_:)`` throws for an invalid parameter.
    public func callAsFunction(times: Tensor<Scalar>, parameters: Tensor<Scalar>) throws -> NoisingState<Scalar> {
        guard times.rank == 1, times.count > 0, parameters.shape == times.shape else {
            throw GUDError.shapeMismatch(
                "times have shape \(times.shape) and parameters \(parameters.shape); expected two vectors of the batch size")
        }
        try times.checkFinite("times")
        let d = componentCount
        return try rowwiseState(times: times, width: d) { r, gamma, beta in
            let schedule = try member(parameters[flat: r])
            guard schedule.width == d else {
                throw GUDError.shapeMismatch("family member has \(schedule.width) components; expected \(d)")
            }
            schedule.evaluate(at: times[flat: r], gamma: gamma, beta: beta)
        }
    }
}

/// Soft-conditioning schedules over fixed labels, indexed by the softness
/// (see ``softConditioningSchedule(labels:gammaMinTarget:gammaMaxTarget:softness:clip:)``).
public struct SoftConditioningFamily<Scalar: TensorScalar>: ScheduleFamily {
    /// The ordering labels lᵢ.
    public let labels: [Scalar]
    /// γ̃_min, reached by the highest label at t = 0.
    public let gammaMinTarget: Scalar
    /// γ̃_max, reached by the lowest label at t = 1.
    public let gammaMaxTarget: Scalar
    /// Whether members clip γ to [γ̃_min, γ̃_max].
    public let clip: Bool
    /// The number of labels.
    public var componentCount: Int { labels.count }

    /// The family of soft-conditioning schedules over `labels`, one member per softness.
    /// - Throws: as ``softConditioningSchedule(labels:gammaMinTarget:gammaMaxTarget:softness:clip:)`` at softness 1.
    public init(labels: [Scalar], gammaMinTarget: Scalar = -7, gammaMaxTarget: Scalar = 3, clip: Bool = false) throws {
        _ = try componentwiseLinearEndpoints(labels: labels, gammaMinTarget: gammaMinTarget, gammaMaxTarget: gammaMaxTarget)
        self.labels = labels
        self.gammaMinTarget = gammaMinTarget
        self.gammaMaxTarget = gammaMaxTarget
        self.clip = clip
    }

    /// The member with the given softness.
    public func member(_ softness: Scalar) throws -> LinearSchedule<Scalar> {
        try softConditioningSchedule(
            labels: labels, gammaMinTarget: gammaMinTarget, gammaMaxTarget: gammaMaxTarget, softness: softness, clip: clip)
    }
}

/// Variance-adjusted schedules over fixed variances (and ordering), indexed by the softness
/// (see ``varianceAdjustedSchedule(variances:gammaMinTarget:gammaMaxTarget:softness:ordering:clip:)``);
/// the paper's PCA experiments train one network over softness a = 1/s ∈ [0.4, 1.6].
public struct VarianceAdjustedFamily<Scalar: TensorScalar>: ScheduleFamily {
    /// The per-component data variances Σᵢ.
    public let variances: [Scalar]
    /// The ordering oᵢ, or `nil` for −log Σᵢ.
    public let ordering: [Scalar]?
    /// γ̃_min.
    public let gammaMinTarget: Scalar
    /// γ̃_max.
    public let gammaMaxTarget: Scalar
    /// The number of variances.
    public var componentCount: Int { variances.count }

    /// The family of variance-adjusted schedules for `variances`, one member per softness.
    /// - Throws: as ``varianceAdjustedSchedule(variances:gammaMinTarget:gammaMaxTarget:softness:ordering:clip:)`` at softness 1.
    public init(variances: [Scalar], ordering: [Scalar]? = nil, gammaMinTarget: Scalar = -7, gammaMaxTarget: Scalar = 3) throws {
        _ = try varianceAdjustedSchedule(
            variances: variances, gammaMinTarget: gammaMinTarget, gammaMaxTarget: gammaMaxTarget, ordering: ordering)
        self.variances = variances
        self.ordering = ordering
        self.gammaMinTarget = gammaMinTarget
        self.gammaMaxTarget = gammaMaxTarget
    }

    /// The member with the given softness.
    public func member(_ softness: Scalar) throws -> LinearSchedule<Scalar> {
        try varianceAdjustedSchedule(
            variances: variances, gammaMinTarget: gammaMinTarget, gammaMaxTarget: gammaMaxTarget,
            softness: softness, ordering: ordering)
    }
}
