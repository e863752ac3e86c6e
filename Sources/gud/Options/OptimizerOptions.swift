import ArgumentParser
import GUD

/// The optimiser (overrides the configuration file's `optimizer`).
struct OptimizerOptions: ParsableArguments {
    @Option(name: .customLong("learning-rate"), help: "Peak learning rate (main job 1e-3; reference and configuration files 3e-4).")
    var learningRate: Double?

    @Option(name: .customLong("weight-decay"), help: "AdamW weight decay (default 0: Adam).")
    var weightDecay: Double?

    @Option(name: .customLong("gradient-clip"), help: "Global gradient-norm bound (default 1).")
    var gradientClip: Double?

    @Option(name: .customLong("warmup-steps"), help: "Learning-rate warm-up steps (default 200).")
    var warmupSteps: Int?

    @Option(name: .customLong("ema-half-life"), help: "EMA half-life in steps (main job 100; configuration files 500).")
    var emaHalfLife: Double?

    func apply(to c: inout OptimizerConfiguration) {
        if let learningRate { c.learningRate = learningRate }
        if let weightDecay { c.weightDecay = weightDecay }
        if let gradientClip { c.gradientClip = gradientClip }
        if let warmupSteps { c.warmupSteps = warmupSteps }
        if let emaHalfLife { c.emaHalfLife = emaHalfLife }
    }

    var isEmpty: Bool {
        learningRate == nil && weightDecay == nil && gradientClip == nil && warmupSteps == nil && emaHalfLife == nil
    }
}
