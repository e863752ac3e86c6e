/// A component-wise schedule with time offsets: each component waits at γ_min until its offset τᵢ,
/// rises with a common slope, and is clipped at γ_max.
///
///     γᵢ(t) = clip(γ_min + (t − τᵢ) · slope, γ_min, γ_max),   slope = (γ_max − γ_min) / (1 − τ_range)
///     βᵢ(t) = σ²(γᵢ) · slope while γ_min ≤ γ_min + (t − τᵢ) · slope ≤ γ_max, else 0 (frozen)
///
/// with offsets normalised so that the smallest is 0 and τ_range = max τ (the active time is floored
/// at 10⁻⁶). Exactly on a bound β takes the one-sided derivative into the active region (its full
/// value; see ``LinearSchedule``). The schedule equals a clipped ``LinearSchedule`` between the
/// ``unclippedStart`` and ``unclippedEnd`` values.
public struct SequentialSchedule<Scalar: TensorScalar>: Schedule {
    /// The lower bound γ at which components wait before their offset.
    public let gammaMin: Scalar
    /// The upper bound γ at which components end.
    public let gammaMax: Scalar
    /// The normalised time offsets τᵢ ≥ 0 (min 0), one per component.
    public let offsets: [Scalar]
    /// dγ/dt in the active region.
    public let slope: Scalar
    /// The number of offsets.
    public var componentCount: Int? { offsets.count }

    /// A schedule with the given offsets and bounds.
    ///
    /// - Parameters:
    ///   - gammaMin: γ_min, default −13.
    ///   - gammaMax: γ_max ≥ γ_min, default 5.
    ///   - offsets: τᵢ, finite; shifted so that the smallest is 0.
    /// - Throws: `GUDError.invalidArgument` for empty offsets or γ_max < γ_min,
    ///   `GUDError.nonFinite` for non-finite values.
    public init(gammaMin: Scalar = -13, gammaMax: Scalar = 5, offsets: [Scalar]) throws {
        try ScheduleValidation.nonEmpty(offsets, "offsets")
        try ScheduleValidation.finite(offsets, "offsets")
        try ScheduleValidation.finite(gammaMin, "γ_min")
        try ScheduleValidation.finite(gammaMax, "γ_max")
        guard gammaMax >= gammaMin else {
            throw GUDError.invalidArgument("γ_max (\(gammaMax)) is below γ_min (\(gammaMin)); expected γ_max ≥ γ_min")
        }
        let minimum = offsets.min()!
        self.gammaMin = gammaMin
        self.gammaMax = gammaMax
        self.offsets = offsets.map { $0 - minimum }
        let range = self.offsets.max()!
        self.slope = (gammaMax - gammaMin) / Swift.max(1 - range, Scalar(1e-6))
    }

    /// The unclipped line at t = 0: γ_min − τᵢ · slope.
    public var unclippedStart: [Scalar] { offsets.map { gammaMin + (0 - $0) * slope } }
    /// The unclipped line at t = 1: γ_min + (1 − τᵢ) · slope.
    public var unclippedEnd: [Scalar] { offsets.map { gammaMin + (1 - $0) * slope } }

    /// γ and β of every component at t (see the type's documentation).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate(at t: Scalar, gamma: UnsafeMutableBufferPointer<Scalar>, beta: UnsafeMutableBufferPointer<Scalar>) {
        offsets.withUnsafeBufferPointer { tau in
            for i in 0..<tau.count {
                let line = gammaMin + (t - tau[i]) * slope
                let g = Swift.min(Swift.max(line, gammaMin), gammaMax)
                gamma[i] = g
                beta[i] = line >= gammaMin && line <= gammaMax ? StableMath.sigmoid(g) * slope : 0
            }
        }
    }
}

/// Time offsets τᵢ ∈ [0, τ_max] from ordering labels (higher label = later offset = noised later):
/// labels are normalised to [0, 1] (all 0 when they are all equal) and scaled by
/// τ_max = clamp(1/softness, 0, 0.99).
///
/// Softness → ∞ gives τ = 0 (standard diffusion); softness ≤ 1 the maximal separation 0.99
/// (fully sequential). (The reference implementation computes τ_max = 1 − 1/softness, the opposite
/// of its own documentation; both agree at softness 2.)
/// - Throws: `GUDError.invalidArgument` for empty labels or softness ≤ 0,
///   `GUDError.nonFinite` for non-finite labels.
public func sequentialOffsets<S: TensorScalar>(labels: [S], softness: S = 2) throws -> [S] {
    try ScheduleValidation.nonEmpty(labels, "labels")
    try ScheduleValidation.finite(labels, "labels")
    try ScheduleValidation.softness(softness)
    let lMin = labels.min()!, lMax = labels.max()!
    let tauMax = Swift.min(Swift.max(1 / softness, 0), S(0.99))
    return labels.map { lMax > lMin ? ($0 - lMin) / (lMax - lMin) * tauMax : 0 }
}

/// A ``SequentialSchedule`` whose offsets come from ordering labels through
/// ``sequentialOffsets(labels:softness:)``.
public func sequentialSchedule<S: TensorScalar>(
    labels: [S], softness: S = 2, gammaMin: S = -13, gammaMax: S = 5
) throws -> SequentialSchedule<S> {
    try SequentialSchedule(gammaMin: gammaMin, gammaMax: gammaMax,
                           offsets: sequentialOffsets(labels: labels, softness: softness))
}

/// Column-by-column generation of a rows × columns grid flattened row-major (pixel (r, c) has
/// index r · columns + c and label c). Column c waits at γ_min until its offset, which grows with c:
/// column 0 is noised first, so the reverse process generates the last column first and column 0
/// last (right to left; ``ImageExtension`` reads the direction from the schedule).
/// - Throws: `GUDError.invalidArgument` for a grid without pixels, and as ``sequentialSchedule(labels:softness:gammaMin:gammaMax:)``.
public func columnSchedule<S: TensorScalar>(
    rows: Int, columns: Int, gammaMin: S = -13, gammaMax: S = 5, softness: S = 2
) throws -> SequentialSchedule<S> {
    try checkGrid(rows, columns)
    let labels = (0..<(rows * columns)).map { S($0 % columns) }
    return try sequentialSchedule(labels: labels, softness: softness, gammaMin: gammaMin, gammaMax: gammaMax)
}

/// Row-by-row generation of a rows × columns grid flattened row-major (pixel (r, c) has label r):
/// row 0 is noised first, so the reverse process generates the bottom row first and row 0 last.
/// - Throws: `GUDError.invalidArgument` for a grid without pixels, and as ``sequentialSchedule(labels:softness:gammaMin:gammaMax:)``.
public func rowSchedule<S: TensorScalar>(
    rows: Int, columns: Int, gammaMin: S = -13, gammaMax: S = 5, softness: S = 2
) throws -> SequentialSchedule<S> {
    try checkGrid(rows, columns)
    let labels = (0..<(rows * columns)).map { S($0 / columns) }
    return try sequentialSchedule(labels: labels, softness: softness, gammaMin: gammaMin, gammaMax: gammaMax)
}

private func checkGrid(_ rows: Int, _ columns: Int) throws {
    guard rows > 0, columns > 0 else {
        throw GUDError.invalidArgument("grid is \(rows) × \(columns); expected positive extents")
    }
}
