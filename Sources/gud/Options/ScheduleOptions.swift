import ArgumentParser
import GUD

/// The noise schedule (overrides the configuration file's `schedule`).
struct ScheduleOptions: ParsableArguments {
    @Option(help: "The schedule.")
    var schedule: ScheduleConfiguration.Kind?

    @Option(help: "The ordering of a soft-conditioning schedule.")
    var ordering: ScheduleConfiguration.Ordering?

    @Option(help: "Softness s (the paper's a = 1/s); ∞ = standard diffusion, → 0 = autoregressive.")
    var softness: Double?

    @Option(name: .customLong("column-softness"), help: "The column softness of the wavelet-column schedule.")
    var columnSoftness: Double?

    @Option(name: .customLong("a-range"), help: "Train a family: a = 1/softness drawn uniformly in LO:HI per example.")
    var aRange: RangeArgument?

    @Option(name: .customLong("column-a-range"), help: "wavelet-column family: the column's a drawn in LO:HI.")
    var columnARange: RangeArgument?

    @Option(name: .customLong("gamma-min"), help: "γ at the clean end (default per schedule).")
    var gammaMin: Double?

    @Option(name: .customLong("gamma-max"), help: "γ at the noisy end (default per schedule).")
    var gammaMax: Double?

    @Flag(inversion: .prefixedNo, help: "Clip γ to [gamma-min, gamma-max] (components frozen outside it).")
    var clip: Bool?

    func apply(to c: inout ScheduleConfiguration) {
        if let schedule { c.kind = schedule }
        if let ordering { c.ordering = ordering }
        if let softness { c.softness = softness }
        if let columnSoftness { c.secondarySoftness = columnSoftness }
        if let aRange { c.aRange = aRange.array }
        if let columnARange { c.secondaryARange = columnARange.array }
        if let gammaMin { c.gammaMin = gammaMin }
        if let gammaMax { c.gammaMax = gammaMax }
        if let clip { c.clip = clip }
    }

    var isEmpty: Bool {
        schedule == nil && ordering == nil && softness == nil && columnSoftness == nil && aRange == nil
            && columnARange == nil && gammaMin == nil && gammaMax == nil && clip == nil
    }
}
