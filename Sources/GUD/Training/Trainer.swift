import Foundation

/// Trains an ε-network for a ``TrainingConfiguration`` with the ε-matching loss, saving checkpoints
/// in a ``RunDirectory``.
///
/// One step k (0-based), all of whose randomness derives from (seed, k):
/// 1. batch k of the ``BatchSampler`` (a pure function of k);
/// 2. stratified times t_b = 1 − (1 − (b + u)/B)^p with one u ~ U[0, 1) per batch
///    (p = ``TrainingConfiguration/timeExponent``, 1 by default: t_b = (b + u)/B);
/// 3. the noising state of every sample (for a family: its own schedule, see
///    ``DiffusionSetup/trainingState(times:source:)``);
/// 4. χ̂_t = α χ̂₀ + σ z in compWhite, with χ̂₀ = encode(x − μ) and z the space's white noise;
/// 5. loss = mean |net(φ̂_t) − target|² in dataWhite (φ̂_t = U† χ̂_t), with dropout; the target is
///    ẑ = U† z for ε-prediction — the ε-matching loss, equal to the loss in compWhite for an
///    orthonormal U — or as the ``EpsilonParameterization`` says;
/// 6. global-norm clipping, Adam(W) with warm-up and cosine decay, EMA of the weights.
///
/// Because nothing else is random, resuming from a checkpoint continues exactly where the run
/// stopped: the same losses, step for step, as an uninterrupted run (for the same OpenBLAS and
/// worker thread counts). A non-finite loss or gradient stops training with
/// `GUDError.nonFinite` before the update, leaving the last good checkpoint in place.
public final class Trainer<Scalar: TensorScalar> {
    /// The run's configuration (validated).
    public let configuration: TrainingConfiguration
    /// The run's files.
    public let run: RunDirectory
    /// The training images.
    public let dataset: ImageDataset<Scalar>
    /// The statistics of the training images (computed, or read from the run's cache).
    public let statistics: DatasetStatistics
    /// The space, schedules and data mean built from the configuration and the statistics.
    public let setup: DiffusionSetup<Scalar>
    /// The ε-network being trained.
    public let network: any EpsilonNetwork<Scalar>
    /// Adam(W) over the network's parameters.
    public let optimizer: Adam<Scalar>
    /// The exponential moving average of the weights, used for sampling.
    public let ema: ExponentialMovingAverage<Scalar>
    /// Completed steps.
    public private(set) var step: Int = 0
    /// One record per completed step.
    public private(set) var losses: [LossRecord] = []

    private let batches: BatchSampler<Scalar>
    private let learningRate: LearningRateSchedule
    private let source: RandomSource
    private let log: (String) -> Void
    private var clock = Date()

    /// Starts a new run in `directory` (which must not hold a checkpoint unless `overwrite`), writing
    /// `config.json` and the statistics cache.
    public convenience init(
        configuration: TrainingConfiguration, directory: URL, overwrite: Bool = false,
        log: @escaping (String) -> Void = { print($0) }
    ) throws {
        let run = RunDirectory(directory)
        if run.hasCheckpoint && !overwrite {
            throw GUDError.invalidArgument(
                "\(directory.path) already holds a checkpoint; resume it, choose another directory, or allow overwriting")
        }
        try configuration.validate()
        try self.init(configuration: configuration, run: run, log: log)
        try configuration.write(to: run.configuration)
        try? FileManager.default.removeItem(at: run.losses)
    }

    /// Resumes the run in `directory` from its configuration and checkpoint.
    public convenience init(resuming directory: URL, log: @escaping (String) -> Void = { print($0) }) throws {
        let run = RunDirectory(directory)
        guard run.hasCheckpoint else { throw GUDError.invalidArgument("\(directory.path) has no checkpoint to resume") }
        let configuration = try TrainingConfiguration.load(from: run.configuration)
        try configuration.validate()
        try self.init(configuration: configuration, run: run, log: log)
        try restore()
    }

    private init(configuration: TrainingConfiguration, run: RunDirectory, log: @escaping (String) -> Void) throws {
        self.configuration = configuration
        self.run = run
        self.log = log
        source = RandomSource(seed: configuration.seed)
        dataset = try configuration.data.load(source: source.derived("data"))
        guard configuration.batchSize <= dataset.count else {
            throw GUDError.invalidArgument("batch size \(configuration.batchSize) exceeds the \(dataset.count) training images")
        }
        let (stats, cached) = try DatasetStatistics.loadOrCompute(for: dataset, cache: run.statistics)
        statistics = stats
        log("data: \(configuration.data.summary), \(dataset.count) images \(dataset.height)×\(dataset.width)×\(dataset.channels)"
            + (cached ? " (statistics from cache)" : " (statistics computed)"))
        setup = try DiffusionSetup(space: configuration.space, schedule: configuration.schedule, statistics: stats)
        network = try configuration.network.makeNetwork(
            height: dataset.height, width: dataset.width, channels: dataset.channels,
            conditioning: setup.conditioning, source: source.derived("init"))
        let opt = configuration.optimizer
        optimizer = try Adam(parameters: network.parameters, configuration: .init(weightDecay: opt.weightDecay))
        ema = try ExponentialMovingAverage(parameters: network.parameters, halfLife: opt.emaHalfLife)
        model = try NetworkEpsilonModel(
            network: network, space: setup.space, parameterization: configuration.parameterization,
            timeScale: Scalar(configuration.network.timeScale))
        batches = try BatchSampler(dataset: dataset, batchSize: configuration.batchSize, source: source.derived("batches"))
        learningRate = .warmupCosine(
            peak: opt.learningRate, warmupSteps: opt.warmupSteps, totalSteps: configuration.steps,
            final: opt.learningRate * (opt.cosineDecay ? opt.finalLearningRateFraction : 1))
    }

    /// The network as the samplers' ε-model, with the current (not EMA) weights.
    public let model: NetworkEpsilonModel<Scalar>

    /// Takes one optimisation step and returns its record.
    /// - Throws: `GUDError.nonFinite` (before updating anything) when the loss or the gradient is not finite.
    @discardableResult
    public func trainStep() throws -> LossRecord {
        let k = step
        let batch = try batches.batch(step: k)
        let stepSource = source.derived("step").derived(UInt64(k))
        var timeStream = stepSource.derived("t").stream(0)
        let u = timeStream.nextUniform()
        let b = batch.shape[0]
        let p = configuration.timeExponent
        let times = Tensor<Scalar>((0..<b).map { Scalar(1 - Foundation.pow(1 - (Double($0) + u) / Double(b), p)) })
        let state = try setup.trainingState(times: times, source: stepSource.derived("family"))
        let clean = try DataValue(setup.space, compWhite: setup.encode(batch))
        let (noised, noise) = try ouProcess(clean, state: state, source: stepSource.derived("noise"))
        let input = try noised.dataWhite
        let target = try model.target(noise: noise.compWhite, noisy: noised.compWhite, state: state)
        let conditioning = try model.conditioning(state, batch: b)
        let loss = try network.lossAndGradients(
            x: input, conditioning: conditioning, target: target, dropoutSource: stepSource.derived("dropout"))
        guard loss.isFinite else {
            throw GUDError.nonFinite("training loss is \(loss) at step \(k + 1); stopped before updating. \(lastGoodCheckpoint)")
        }
        let norm = try clipGradientsByGlobalNorm(network.parameters, maxNorm: configuration.optimizer.gradientClip)
        guard norm.isFinite else {
            throw GUDError.nonFinite("gradient norm is \(norm) at step \(k + 1); stopped before updating. \(lastGoodCheckpoint)")
        }
        let lr = learningRate(k)
        try optimizer.update(network.parameters, learningRate: lr)
        try ema.update(from: network.parameters)
        step = k + 1
        let record = LossRecord(step: step, loss: Double(loss), learningRate: lr, gradientNorm: norm, seconds: Date().timeIntervalSince(clock))
        losses.append(record)
        return record
    }

    private var lastGoodCheckpoint: String {
        run.hasCheckpoint ? "The last good checkpoint is kept at \(run.checkpoint.path)." : "No checkpoint was written yet."
    }

    /// Trains up to the configured number of steps (or `untilStep`), writing a checkpoint every
    /// `checkpointEvery` steps and at the end. With `maxDuration` (seconds) training stops early
    /// once that much time has passed, after writing a checkpoint.
    /// - Parameters:
    ///   - untilStep: stop after this step (default: the configured number of steps, which also bounds it).
    ///   - maxDuration: a time budget in seconds (default: none).
    ///   - progress: called after every step.
    /// - Returns: what the call did: steps taken, time, whether it stopped early, the recent loss.
    public func train(
        untilStep: Int? = nil, maxDuration: Double? = nil, progress: ((LossRecord) -> Void)? = nil
    ) throws -> TrainingSummary {
        let end = Swift.min(untilStep ?? configuration.steps, configuration.steps)
        let start = Date()
        clock = start
        let firstStep = step
        var stoppedEarly = false
        while step < end {
            let record = try trainStep()
            progress?(record)
            if step % configuration.checkpointEvery == 0 || step == end {
                try writeCheckpoint()
            }
            if let maxDuration, Date().timeIntervalSince(start) >= maxDuration, step < end {
                try writeCheckpoint()
                stoppedEarly = true
                break
            }
        }
        return TrainingSummary(
            steps: step - firstStep, finalStep: step, seconds: Date().timeIntervalSince(start),
            stoppedEarly: stoppedEarly, recentLoss: recentLoss)
    }

    /// The mean loss of the last 100 steps (NaN before the first).
    public var recentLoss: Double {
        let tail = losses.suffix(100)
        return tail.isEmpty ? .nan : tail.map(\.loss).reduce(0, +) / Double(tail.count)
    }

    /// Writes the checkpoint (weights, EMA weights, Adam state, the configuration and the step) and
    /// the loss log, each atomically.
    public func writeCheckpoint() throws {
        let metadata = [
            "gud.training.configuration": try configuration.json(),
            "gud.training.step": String(step),
            "gud.training.statistics": statistics.fingerprint,
        ]
        try network.checkpoint(ema: ema, optimizer: optimizer, metadata: metadata).write(to: run.checkpoint.path)
        try LossLog.write(losses, to: run.losses)
    }

    /// Loads weights, EMA, optimiser state, the step and the loss log from the run's checkpoint.
    private func restore() throws {
        let checkpoint = try Checkpoint<Scalar>.read(from: run.checkpoint.path)
        let m = checkpoint.metadata
        guard let json = m["gud.training.configuration"], let stepText = m["gud.training.step"], let k = Int(stepText) else {
            throw GUDError.malformedData("\(run.checkpoint.path) is not a training checkpoint (no gud.training metadata)")
        }
        let stored = try ConfigurationFile.decode(
            TrainingConfiguration.self, from: Foundation.Data(json.utf8), defaults: TrainingConfiguration(), what: "checkpoint configuration")
        guard stored == configuration else {
            throw GUDError.malformedData("\(run.configuration.path) differs from the configuration stored in the checkpoint; restore the file or start a new run")
        }
        guard m["gud.training.statistics"] == statistics.fingerprint else {
            throw GUDError.malformedData("the training data differs from the data of the checkpoint (statistics fingerprint)")
        }
        try network.restore(from: checkpoint, ema: ema, optimizer: optimizer)
        step = k
        if FileManager.default.fileExists(atPath: run.losses.path) {
            losses = Array(try LossLog.read(from: run.losses).prefix { $0.step <= k })
        }
        guard losses.count == k else {
            throw GUDError.malformedData("\(run.losses.path) has \(losses.count) records for the \(k) steps of the checkpoint")
        }
        log("resuming at step \(k) of \(configuration.steps)")
    }
}

/// What a call of ``Trainer/train(untilStep:maxDuration:progress:)`` did.
public struct TrainingSummary: Sendable {
    /// Steps taken by this call.
    public let steps: Int
    /// The step count of the run after the call.
    public let finalStep: Int
    /// Wall-clock seconds of the call.
    public let seconds: Double
    /// Whether the time budget ended the call before the requested step.
    public let stoppedEarly: Bool
    /// The mean loss of the last 100 steps.
    public let recentLoss: Double
}
