import ArgumentParser
import Foundation
import GUD

/// `gud train`: trains an ε-network and writes checkpoints into a run directory.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an ε-network for a basis, prior and schedule; checkpoints go into the run directory.",
        discussion: """
            Without --config the defaults are the main job's: the bundled MNIST, a whitened Fourier basis, a \
            variance-ordered soft-conditioning schedule with softness 1, the reference's big U-Net with \
            v-prediction, Adam 1e-3 (EMA half-life 100), batch 64, 1800 steps, seed 0 (about 6 minutes on 2 \
            cores). A configuration file starts from the reference's defaults instead (small U-Net, \
            ε-prediction, Adam 3e-4, EMA half-life 500, 5000 steps); options override both. The run directory receives \
            config.json, statistics.safetensors, checkpoint.safetensors and losses.csv. \
            --resume continues a run exactly where it stopped (the configuration then comes from the run).
            """)

    @Option(name: .shortAndLong, help: "The run directory.")
    var output: String

    @Option(help: "A JSON configuration file (see config.json of any run).")
    var config: String?

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Basis and prior") var space: SpaceOptions
    @OptionGroup(title: "Schedule") var schedule: ScheduleOptions
    @OptionGroup(title: "Network") var network: NetworkOptions
    @OptionGroup(title: "Optimiser") var optimizer: OptimizerOptions

    @Option(help: "Optimisation steps.")
    var steps: Int?

    @Option(name: .customLong("batch-size"), help: "Images per step.")
    var batchSize: Int?

    @Option(help: "Seed of every random choice of the run.")
    var seed: UInt64?

    @Option(name: .customLong("checkpoint-every"), help: "Checkpoint interval in steps.")
    var checkpointEvery: Int?

    @Option(help: "How the network's output is read as ε̂.")
    var parameterization: EpsilonParameterization?

    @Option(name: .customLong("time-exponent"), help: "Time sampling t = 1 − (1 − u)^p; p > 1 trains more at high noise (default 1).")
    var timeExponent: Double?

    @Option(name: .customLong("max-minutes"), help: "Stop (with a checkpoint) after this many minutes.")
    var maxMinutes: Double?

    @Flag(help: "Continue the run in --output from its checkpoint.")
    var resume = false

    @Flag(help: "Replace an existing run in --output.")
    var overwrite = false

    @Flag(name: .customLong("print-config"), help: "Print the resulting configuration as JSON and exit.")
    var printConfig = false

    func validate() throws {
        if resume && (config != nil || !data.isEmpty || !space.isEmpty || !schedule.isEmpty || !network.isEmpty
            || !optimizer.isEmpty || timeExponent != nil || steps != nil || batchSize != nil || seed != nil || checkpointEvery != nil || parameterization != nil || overwrite)
        {
            throw ValidationError("--resume takes the configuration from the run directory; give only --output (and --max-minutes)")
        }
        if let maxMinutes, !(maxMinutes > 0) { throw ValidationError("--max-minutes must be positive, got \(maxMinutes)") }
    }

    /// The configuration: defaults, then the file, then the options.
    func makeConfiguration() throws -> TrainingConfiguration {
        var c = try config.map { try TrainingConfiguration.load(from: URL(fileURLWithPath: $0)) } ?? .mainJob
        data.apply(to: &c.data)
        space.apply(to: &c.space)
        schedule.apply(to: &c.schedule)
        network.apply(to: &c.network)
        optimizer.apply(to: &c.optimizer)
        if let steps { c.steps = steps }
        if let batchSize { c.batchSize = batchSize }
        if let seed { c.seed = seed }
        if let checkpointEvery { c.checkpointEvery = checkpointEvery }
        if let parameterization { c.parameterization = parameterization }
        if let timeExponent { c.timeExponent = timeExponent }
        try c.validate()
        return c
    }

    func run() throws {
        let directory = URL(fileURLWithPath: output)
        let trainer: Trainer<Float>
        if resume {
            trainer = try Trainer(resuming: directory)
        } else {
            let c = try makeConfiguration()
            if printConfig {
                print(try c.json(), terminator: "")
                return
            }
            trainer = try Trainer(configuration: c, directory: directory, overwrite: overwrite)
        }
        let c = trainer.configuration
        print("run: \(directory.path)")
        print("seed: \(c.seed)")
        print("basis: \(c.space.kind.rawValue)\(c.space.whitened ? " (whitened)" : ""), schedule: \(c.schedule.kind.rawValue)"
            + (c.schedule.isFamily ? " family, a in \(c.schedule.aRange ?? [1 / c.schedule.softness])" : ", softness \(c.schedule.softness)"))
        print("network: \(c.network.architecture.rawValue), \(trainer.network.parameterScalarCount) parameters, conditioned on \(trainer.setup.conditioning == .time ? "t" : "γ")")
        let line = ProgressLine(total: c.steps, startStep: trainer.step)
        let summary = try trainer.train(maxDuration: maxMinutes.map { $0 * 60 }) { record in
            line.update(step: record.step, loss: record.loss)
            if !line.isEnabled && (record.step % c.checkpointEvery == 0 || record.step == c.steps) {
                print(line.text(step: record.step))
            }
        }
        line.finish()
        print(String(format: "trained %d steps in %.1f s (%.1f steps/s); mean loss of the last 100 steps %.4f",
                     summary.steps, summary.seconds, Double(summary.steps) / max(summary.seconds, 1e-9), summary.recentLoss))
        if summary.stoppedEarly {
            print("stopped early at step \(summary.finalStep) of \(c.steps) (--max-minutes); continue with: gud train --resume --output \(output)")
        }
        print("checkpoint: \(trainer.run.checkpoint.path)")
        print("losses: \(trainer.run.losses.path)")
    }
}
