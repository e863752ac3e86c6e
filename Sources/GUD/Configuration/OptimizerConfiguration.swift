/// Adam(W) with global-norm clipping, warm-up + cosine decay, and an EMA of the weights.
public struct OptimizerConfiguration: Codable, Equatable, Sendable {
    /// Peak learning rate (reference: 3e-4).
    public var learningRate: Double = 3e-4
    /// Decoupled weight decay (0: Adam; > 0: AdamW).
    public var weightDecay: Double = 0
    /// Global gradient-norm bound (reference: 1).
    public var gradientClip: Double = 1
    /// Linear warm-up steps.
    public var warmupSteps: Int = 200
    /// Cosine decay to `finalLearningRateFraction × learningRate` over the run (false: constant after warm-up).
    public var cosineDecay: Bool = true
    /// The final learning rate as a fraction of the peak (default 0.1).
    public var finalLearningRateFraction: Double = 0.1
    /// EMA half-life in steps.
    public var emaHalfLife: Double = 500

    /// The defaults: Adam 3e-4, no weight decay, clip 1, 200 warm-up steps, cosine decay to 0.1×, EMA half-life 500.
    public init() {}

    /// Throws `GUDError.invalidArgument` for values outside their domain.
    public func validate() throws {
        guard learningRate > 0, learningRate.isFinite else { throw GUDError.invalidArgument("learning rate must be positive, got \(learningRate)") }
        guard weightDecay >= 0 else { throw GUDError.invalidArgument("weight decay must be non-negative, got \(weightDecay)") }
        guard gradientClip > 0 else { throw GUDError.invalidArgument("gradient clip must be positive, got \(gradientClip)") }
        guard warmupSteps >= 0 else { throw GUDError.invalidArgument("warm-up steps must be non-negative, got \(warmupSteps)") }
        guard (0...1).contains(finalLearningRateFraction) else {
            throw GUDError.invalidArgument("final learning-rate fraction must be in [0, 1], got \(finalLearningRateFraction)")
        }
        guard emaHalfLife > 0 else { throw GUDError.invalidArgument("EMA half-life must be positive, got \(emaHalfLife)") }
    }
}
