/// Samples by integrating the probability-flow ODE dχ̂/dt = −½ β (χ̂ + s), s = −ε̂/σ, with the
/// adaptive ``DormandPrince`` (RK45) solver in compWhite, from `tStart` to `tEnd`.
///
/// The step size follows the tolerances (error norm over all elements of the batch); the solver
/// lands exactly on every save time. Components with β = 0 stay exactly unchanged. Only prior noise
/// uses `source` (see ``sampleEulerMaruyama(model:schedule:space:start:source:stepSize:tStart:tEnd:firstSample:saveTimes:progress:)``).
/// The callback's `denoised` comes from the evaluation at the end of each accepted step. Time may
/// also run forwards (tStart < tEnd), which encodes data into noise. The step sizes are chosen for
/// the whole batch, so a sample agrees across batch sizes to the tolerances (not bit for bit).
///
/// - Parameters:
///   - model: ε̂ in compWhite.
///   - schedule: the noise schedule (validated against the space).
///   - space: the diffusion space.
///   - start: prior noise for a number of samples, or a given compWhite state.
///   - source: the caller's random source (prior noise only).
///   - relativeTolerance: the solver's relative tolerance, default 1e-5.
///   - absoluteTolerance: the solver's absolute tolerance, default 1e-5.
///   - tStart: the initial time, default 1.
///   - tEnd: the final time, default 0.
///   - firstSample: the global index of the first sample.
///   - saveTimes: times in the interval at which to save the state (the solver lands on each).
///   - progress: called after every accepted step; return `.stop` to end early.
/// - Throws: `GUDError` for invalid arguments, shapes, model output of the wrong shape, or a
///   solver failure (`GUDError.numericalFailure`).
public func sampleDormandPrince<S: TensorScalar, M: EpsilonModel, Sch: Schedule>(
    model: M, schedule: Sch, space: any Space<S>, start: SamplerStart<S>, source: RandomSource,
    relativeTolerance: S = 1e-5, absoluteTolerance: S = 1e-5, tStart: S = 1, tEnd: S = 0,
    firstSample: Int = 0, saveTimes: [S] = [], progress: ((SamplerStep<S>) throws -> SamplerControl)? = nil
) throws -> SamplingResult<S> where M.Scalar == S, Sch.Scalar == S {
    let solver = try DormandPrince(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance)
    var session = try SamplerSession(
        space: space, schedule: schedule, start: start, source: source, firstSample: firstSample,
        tStart: tStart, tEnd: tEnd, saveTimes: saveTimes, progress: progress)
    var last: (x: Tensor<S>, epsilon: Tensor<S>, state: NoisingState<S>)?
    let solution = try solver.integrate(
        session.x, from: tStart, to: tEnd, stops: saveTimes,
        derivative: { t, x in
            let state = schedule(t)
            let eps = try session.epsilon(model, x, state)
            last = (x, eps, state)
            return try probabilityFlowDrift(x: x, epsilon: eps, state: state)
        },
        afterStep: { t, x in
            session.x = x
            // The last stage of an accepted step is evaluated at its end point.
            let denoised = try last.flatMap { try session.denoisedForProgress(x: $0.x, epsilon: $0.epsilon, state: $0.state) }
            return try session.finishStep(time: t, denoised: denoised, denoisedTime: t)
        })
    session.x = solution.y
    return try session.result(time: solution.t)
}
