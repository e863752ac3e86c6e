/// Where a sampler starts.
public enum SamplerStart<Scalar: TensorScalar>: Sendable {
    /// `count` draws from the prior N(0, I) in compWhite — the space's transformed white noise —
    /// with `channels` channels; sample b draws from the caller's source (see the samplers).
    case noise(count: Int, channels: Int = 1)
    /// A given state in compWhite, (batch, D, C) or (batch, D, C, 2).
    case compWhite(Tensor<Scalar>)
}

/// What a sampler's progress callback sees after every step.
public struct SamplerStep<Scalar: TensorScalar> {
    /// The number of steps completed (1 after the first).
    public let index: Int
    /// The time reached by this step.
    public let time: Scalar
    /// The state x_t at ``time``.
    public let x: DataValue<Scalar>
    /// The denoised estimate x̂₀ = (x − σ ε̂)/α of a model evaluation made in this step.
    public let denoised: DataValue<Scalar>
    /// The time of that evaluation (the step's start for Euler–Maruyama and Heun, its end for
    /// Dormand–Prince).
    public let denoisedTime: Scalar
}

/// The answer of a progress callback.
public enum SamplerControl: Sendable {
    /// Continue with the next step.
    case proceed
    /// End sampling after this step; the result is marked as stopped early.
    case stop
}

/// A state saved along the trajectory.
public struct TrajectoryPoint<Scalar: TensorScalar> {
    /// The time reached when the state was saved (on the sampler's grid).
    public let time: Scalar
    /// The state at that time.
    public let value: DataValue<Scalar>
}

/// The outcome of a sampler run.
public struct SamplingResult<Scalar: TensorScalar> {
    /// The final state (held in compWhite; read `.data` for samples in data space).
    public let samples: DataValue<Scalar>
    /// The time of the final state: the end time unless stopped early.
    public let time: Scalar
    /// The states at the requested save times, in the order reached.
    public let trajectory: [TrajectoryPoint<Scalar>]
    /// Accepted steps taken.
    public let steps: Int
    /// Calls of the model.
    public let modelEvaluations: Int
    /// Whether the progress callback ended the run.
    public let stoppedEarly: Bool
}

/// The bookkeeping shared by the samplers: the initial state, saving, progress and the result.
struct SamplerSession<Scalar: TensorScalar> {
    let space: any Space<Scalar>
    let tStart: Scalar
    let tEnd: Scalar
    private var pendingSaves: [Scalar]
    private let progress: ((SamplerStep<Scalar>) throws -> SamplerControl)?
    private(set) var trajectory: [TrajectoryPoint<Scalar>] = []
    var x: Tensor<Scalar>
    private(set) var steps = 0
    private(set) var evaluations = 0
    private(set) var stopped = false

    init<Sch: Schedule>(
        space: any Space<Scalar>, schedule: Sch, start: SamplerStart<Scalar>, source: RandomSource,
        firstSample: Int, tStart: Scalar, tEnd: Scalar, saveTimes: [Scalar],
        progress: ((SamplerStep<Scalar>) throws -> SamplerControl)?
    ) throws where Sch.Scalar == Scalar {
        try space.validate(schedule: schedule)
        guard tStart.isFinite, tEnd.isFinite, tStart != tEnd else {
            throw GUDError.invalidArgument("sampling from t = \(tStart) to \(tEnd); expected two distinct finite times")
        }
        let (lo, hi) = (Swift.min(tStart, tEnd), Swift.max(tStart, tEnd))
        if let s = saveTimes.first(where: { !($0 >= lo && $0 <= hi) }) {
            throw GUDError.invalidArgument("save time \(s) lies outside [\(lo), \(hi)]")
        }
        switch start {
        case .noise(let count, let channels):
            x = try space.whiteNoise(batch: count, channels: channels, source: source.derived("gud.sampler.prior"),
                                     firstSample: firstSample)
        case .compWhite(let value):
            try space.checkComponents(value, "initial state")
            try value.checkFinite("initial state")
            x = value
        }
        self.space = space
        self.tStart = tStart
        self.tEnd = tEnd
        self.progress = progress
        pendingSaves = saveTimes.sorted(by: tEnd < tStart ? (>) : (<))
        try save(reached: tStart)
    }

    /// Whether the integration has reached `time` at `reached` (in its direction, to rounding).
    private func hasReached(_ time: Scalar, at reached: Scalar) -> Bool {
        let slack = 16 * Scalar.ulpOfOne * Swift.max(1, Swift.abs(time))
        return tEnd < tStart ? reached <= time + slack : reached >= time - slack
    }

    private mutating func save(reached: Scalar) throws {
        while let s = pendingSaves.first, hasReached(s, at: reached) {
            trajectory.append(TrajectoryPoint(time: reached, value: try DataValue(space, compWhite: x)))
            pendingSaves.removeFirst()
        }
    }

    /// ε̂(x) for a state, counting the evaluation and checking the shape.
    mutating func epsilon<M: EpsilonModel>(_ model: M, _ x: Tensor<Scalar>, _ state: NoisingState<Scalar>) throws -> Tensor<Scalar>
    where M.Scalar == Scalar {
        evaluations += 1
        return try model.checkedEpsilon(x, state: state)
    }

    /// ε̂(x) for a state written into `output` (x's shape), counting the evaluation.
    mutating func epsilon<M: EpsilonModel>(
        _ model: M, _ x: Tensor<Scalar>, _ state: NoisingState<Scalar>, into output: inout Tensor<Scalar>
    ) throws where M.Scalar == Scalar {
        evaluations += 1
        try model.epsilon(x, state: state, into: &output)
    }

    /// Whether a progress callback wants the denoised estimates.
    var wantsDenoised: Bool { progress != nil }

    /// The denoised estimate x̂₀ of (x, ε̂, state) when a progress callback will see it, else `nil`.
    func denoisedForProgress(x: Tensor<Scalar>, epsilon: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar>? {
        wantsDenoised ? try denoisedEstimate(x: x, epsilon: epsilon, state: state) : nil
    }

    /// Records a completed step at `time` (x already updated): saves, then the progress callback
    /// with `denoised` (from ``denoisedForProgress(x:epsilon:state:)`` at `denoisedTime`).
    /// Returns whether to continue.
    mutating func finishStep(time: Scalar, denoised: Tensor<Scalar>?, denoisedTime: Scalar) throws -> Bool {
        steps += 1
        try save(reached: time)
        guard let progress, let denoised else { return true }
        let step = SamplerStep(
            index: steps, time: time, x: try DataValue(space, compWhite: x),
            denoised: try DataValue(space, compWhite: denoised), denoisedTime: denoisedTime)
        if try progress(step) == .stop {
            stopped = true
            return false
        }
        return true
    }

    func result(time: Scalar) throws -> SamplingResult<Scalar> {
        SamplingResult(
            samples: try DataValue(space, compWhite: x), time: time, trajectory: trajectory,
            steps: steps, modelEvaluations: evaluations, stoppedEarly: stopped)
    }
}
