import RealModule

/// The learning rate as a function of the update count `step` (0 for the first update).
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    /// The same rate at every step.
    case constant(Double)
    /// optax's `warmup_cosine_decay_schedule` from 0: linear warm-up `peak · step / warmupSteps` for
    /// `step < warmupSteps`, then cosine decay from `peak` to `final` over the remaining
    /// `totalSteps − warmupSteps` steps, `final` afterwards.
    case warmupCosine(peak: Double, warmupSteps: Int, totalSteps: Int, final: Double)

    /// The rate at `step`.
    public func callAsFunction(_ step: Int) -> Double {
        switch self {
        case .constant(let lr):
            return lr
        case .warmupCosine(let peak, let warmup, let total, let final):
            if step < warmup { return peak * Double(step) / Double(warmup) }
            let span = Swift.max(total - warmup, 1)
            let progress = Double(Swift.min(step - warmup, span)) / Double(span)
            return final + (peak - final) * 0.5 * (1 + Double.cos(Double.pi * progress))
        }
    }
}
