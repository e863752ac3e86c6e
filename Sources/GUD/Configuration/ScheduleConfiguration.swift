/// The noise schedule, in the vocabulary of the paper.
///
/// Component-wise schedules are built from ordering labels computed from the data statistics in the
/// chosen basis: `variance` orders by −log Σᵢ (low-variance components noised first, generated last:
/// the paper's variance ordering; in the Fourier basis this is ordering by frequency), `column` and
/// `row` by pixel position, `level` by wavelet scale (coarse first).
///
/// A **family** (training one network over many schedules, conditioned on the per-component γ
/// vector) is configured by `aRange`: every training example draws a = 1/softness uniformly in
/// [a_lo, a_hi] (the paper's parametrisation), and for `wavelet-column` also `secondaryARange` for
/// the column softness.
public struct ScheduleConfiguration: Codable, Equatable, Sendable {
    /// The kind of schedule; the raw values are the names used in `config.json` and on the command line.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// Scalar γ(t) linear from `gammaMin` (−13.3) to `gammaMax` (5): standard diffusion.
        case linear
        /// The variance-preserving (DDPM) schedule, β from 0.1 to 20.
        case vp
        /// The cosine schedule (s = 0.008).
        case cosine
        /// Soft conditioning over the ordering labels with `softness`; targets `gammaMin` (−7), `gammaMax` (3).
        case softConditioning = "soft-conditioning"
        /// The reference's variance-adjusted schedule with `softness`.
        case varianceAdjusted = "variance-adjusted"
        /// Column-by-column sequential generation (pixel positions), softness as in `sequentialOffsets`.
        case column
        /// Row-by-row sequential generation.
        case row
        /// Wavelet scale (coarse first) with `softness` combined with the column with `secondarySoftness`.
        case waveletColumn = "wavelet-column"
    }

    /// Which labels order the components of a soft-conditioning schedule.
    public enum Ordering: String, Codable, CaseIterable, Sendable {
        /// −log Σᵢ: low-variance components noised first, generated last.
        case variance
        /// The pixel column (pixel basis) or the column of a wavelet coefficient's support.
        case column
        /// The pixel row, or the row of a wavelet coefficient's support.
        case row
        /// The wavelet level, coarse scales generated first (wavelet bases only).
        case level
    }

    /// The kind of schedule (default soft conditioning).
    public var kind: Kind = .softConditioning
    /// The ordering labels of soft-conditioning and variance-adjusted schedules (default: by variance).
    public var ordering: Ordering = .variance
    /// The softness s = 1/a (default 1; ∞-like values approach standard diffusion).
    public var softness: Double = 1
    /// The column softness of `wavelet-column`.
    public var secondarySoftness: Double = 1
    /// For a family: a = 1/softness drawn uniformly in [lo, hi] per training example.
    public var aRange: [Double]?
    /// For a `wavelet-column` family: the column's a drawn uniformly in [lo, hi].
    public var secondaryARange: [Double]?
    /// γ at the clean end (γ̃_min of soft conditioning; γ_min of linear and sequential schedules); default per kind.
    public var gammaMin: Double?
    /// γ at the noisy end; default per kind.
    public var gammaMax: Double?
    /// Clip γ to [gammaMin, gammaMax] (components frozen outside their part of the range).
    public var clip: Bool = false

    /// A schedule of the given kind and softness; the other fields keep their defaults.
    public init(kind: Kind = .softConditioning, softness: Double = 1) {
        self.kind = kind
        self.softness = softness
    }

    /// Whether training draws a schedule per example (a γ-conditioned network is then required).
    public var isFamily: Bool { aRange != nil || secondaryARange != nil }

    /// γ at the clean and noisy ends for this kind: the given values or the kind's defaults.
    public var gammaRange: (min: Double, max: Double) {
        switch kind {
        case .linear: return (gammaMin ?? -13.3, gammaMax ?? 5)
        case .column, .row: return (gammaMin ?? -13, gammaMax ?? 5)
        default: return (gammaMin ?? -7, gammaMax ?? 3)
        }
    }

    /// Throws `GUDError.invalidArgument` for a non-positive softness, an empty or reversed
    /// range, or a family on a schedule kind that has no softness.
    public func validate() throws {
        guard softness > 0, secondarySoftness > 0 else {
            throw GUDError.invalidArgument("softness must be positive, got \(softness) and \(secondarySoftness)")
        }
        for (name, range) in [("a range", aRange), ("secondary a range", secondaryARange)] {
            guard let r = range else { continue }
            guard r.count == 2, r[0] > 0, r[1] >= r[0], r.allSatisfy(\.isFinite) else {
                throw GUDError.invalidArgument("\(name) must be two positive numbers lo ≤ hi, got \(r)")
            }
        }
        if isFamily && ![.softConditioning, .varianceAdjusted, .waveletColumn].contains(kind) {
            throw GUDError.invalidArgument("schedule families are available for soft-conditioning, variance-adjusted and wavelet-column, not \(kind.rawValue)")
        }
        if secondaryARange != nil && kind != .waveletColumn {
            throw GUDError.invalidArgument("a secondary a range only applies to the wavelet-column schedule")
        }
        let (lo, hi) = gammaRange
        guard lo < hi, lo.isFinite, hi.isFinite else {
            throw GUDError.invalidArgument("γ range must satisfy gammaMin < gammaMax, got \(lo) and \(hi)")
        }
    }
}
