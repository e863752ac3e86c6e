import Foundation

/// A trained model loaded from a run directory: its configuration, the data statistics, the diffusion
/// setup (space, schedules, data mean) and the network with its EMA (default) or raw weights.
public final class TrainedModel<Scalar: TensorScalar> {
    /// The run's files.
    public let run: RunDirectory
    /// The configuration the run was trained with.
    public let configuration: TrainingConfiguration
    /// The statistics of the training data.
    public let statistics: DatasetStatistics
    /// The space, schedules and data mean of the run.
    public let setup: DiffusionSetup<Scalar>
    /// The ε-network with the checkpoint's weights (EMA or raw, see ``usesEMA``).
    public let network: any EpsilonNetwork<Scalar>
    /// The training step of the checkpoint.
    public let step: Int
    /// Whether the network holds the EMA weights.
    public let usesEMA: Bool

    /// Loads `config.json`, `statistics.safetensors` and `checkpoint.safetensors` from a run directory.
    /// - Throws: `GUDError.io` for missing files, `GUDError.malformedData` for files that do
    ///   not fit together (another run's statistics, a checkpoint without EMA weights when asked for).
    public init(run directory: URL, useEMA: Bool = true) throws {
        run = RunDirectory(directory)
        for (file, what) in [(run.configuration, "configuration"), (run.statistics, "statistics"), (run.checkpoint, "checkpoint")]
        where !FileManager.default.fileExists(atPath: file.path) {
            throw GUDError.io("\(directory.path) is not a trained run: its \(what) file \(file.lastPathComponent) is missing")
        }
        configuration = try TrainingConfiguration.load(from: run.configuration)
        statistics = try DatasetStatistics(contentsOf: run.statistics)
        let checkpoint = try Checkpoint<Scalar>.read(from: run.checkpoint.path)
        guard checkpoint.metadata["gud.training.statistics"] == statistics.fingerprint else {
            throw GUDError.malformedData("\(run.statistics.path) belongs to other data than the checkpoint")
        }
        step = Int(checkpoint.metadata["gud.training.step"] ?? "") ?? 0
        setup = try DiffusionSetup(space: configuration.space, schedule: configuration.schedule, statistics: statistics)
        network = try checkpoint.makeNetwork()
        if useEMA {
            guard let ema = checkpoint.ema else {
                throw GUDError.malformedData("\(run.checkpoint.path) holds no EMA weights; sample with the raw weights instead")
            }
            try network.parameters.load(ema.tensors)
        }
        usesEMA = useEMA
    }

    /// The ε-model for samplers and the likelihood.
    public func model() throws -> NetworkEpsilonModel<Scalar> {
        try NetworkEpsilonModel(network: network, space: setup.space, parameterization: configuration.parameterization,
            timeScale: Scalar(configuration.network.timeScale))
    }

    /// The time sampling starts from: 1, or just below it for the cosine schedule (infinite γ at 1).
    public var startTime: Scalar { configuration.schedule.kind == .cosine ? 0.999 : 1 }

    /// Draws `count` images (count, H·W, C) in data space; sample i uses the streams of index
    /// `firstSample + i` of `source`, so it is the same whatever the batch.
    ///
    /// - Parameters:
    ///   - count: the number of images, ≥ 1.
    ///   - sampler: Euler–Maruyama (default), Heun or RK45.
    ///   - steps: fixed steps for Euler–Maruyama and Heun (step size ``startTime``/steps, default 100); ignored by RK45.
    ///   - source: the caller's random source (prior noise and Brownian increments).
    ///   - firstSample: the global index of the first image (default 0).
    ///   - softness: the schedule member (default: the configured softness); a family-trained
    ///     network can be sampled at any softness.
    ///   - secondarySoftness: the column softness of the `wavelet-column` schedule (default: the configured one).
    ///   - saveTimes: times at which to keep the (decoded) state, for trajectory pictures.
    ///   - tolerance: the relative and absolute tolerance of RK45 (default 1e-4).
    ///   - progress: called after every step with (steps done, t).
    /// - Returns: the images (count, H·W, C) in data space and the decoded states at `saveTimes`.
    /// - Throws: `GUDError.invalidArgument` for a count or step count below 1, and the sampler's errors.
    public func sample(
        count: Int, sampler: SamplerKind = .eulerMaruyama, steps: Int = 100, source: RandomSource,
        firstSample: Int = 0, softness: Double? = nil, secondarySoftness: Double? = nil,
        saveTimes: [Scalar] = [], tolerance: Scalar = 1e-4, progress: ((Int, Scalar) -> Void)? = nil
    ) throws -> (images: Tensor<Scalar>, trajectory: [(time: Scalar, images: Tensor<Scalar>)]) {
        guard count >= 1 else { throw GUDError.invalidArgument("sample count must be positive, got \(count)") }
        guard steps >= 1 else { throw GUDError.invalidArgument("sampler steps must be positive, got \(steps)") }
        let schedule = try setup.schedule(softness: softness, secondarySoftness: secondarySoftness)
        let result = try run(sampler, schedule: schedule, count: count, steps: steps, source: source, firstSample: firstSample,
                             saveTimes: saveTimes, tolerance: tolerance, progress: progress)
        let images = try setup.decode(result.samples.compWhite)
        let trajectory = try result.trajectory.map { ($0.time, try setup.decode($0.value.compWhite)) }
        return (images, trajectory)
    }

    private func run<Sch: Schedule>(
        _ sampler: SamplerKind, schedule: Sch, count: Int, steps: Int, source: RandomSource, firstSample: Int,
        saveTimes: [Scalar], tolerance: Scalar, progress: ((Int, Scalar) -> Void)?
    ) throws -> SamplingResult<Scalar> where Sch.Scalar == Scalar {
        let model = try self.model()
        let start = SamplerStart<Scalar>.noise(count: count, channels: setup.channels)
        let callback: (SamplerStep<Scalar>) throws -> SamplerControl = { step in
            progress?(step.index, step.time)
            return .proceed
        }
        let h = startTime / Scalar(steps)
        switch sampler {
        case .eulerMaruyama:
            return try sampleEulerMaruyama(
                model: model, schedule: schedule, space: setup.space, start: start, source: source, stepSize: h,
                tStart: startTime, firstSample: firstSample, saveTimes: saveTimes, progress: callback)
        case .heun:
            return try sampleHeun(
                model: model, schedule: schedule, space: setup.space, start: start, source: source, stepSize: h,
                tStart: startTime, firstSample: firstSample, saveTimes: saveTimes, progress: callback)
        case .rk45:
            return try sampleDormandPrince(
                model: model, schedule: schedule, space: setup.space, start: start, source: source,
                relativeTolerance: tolerance, absoluteTolerance: tolerance, tStart: startTime, firstSample: firstSample,
                saveTimes: saveTimes, progress: callback)
        }
    }
}
