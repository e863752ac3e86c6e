/// Samples by integrating the probability-flow ODE with Heun's method (2nd order), in compWhite:
///
///     dχ̂/dt = f(χ̂, t) = −½ β (χ̂ + s),   s = −ε̂/σ
///     x̃ = x_k + h f(x_k, t_k),   x_{k+1} = x_k + h/2 [f(x_k, t_k) + f(x̃, t_{k+1})],   h = t_{k+1} − t_k
///
/// on the grid of ``TimeGrid/uniform(from:to:stepSize:)``: two model evaluations per step. Where
/// some σ(t_{k+1}) = 0 (a schedule that reaches clean data, e.g. VP at t = 0) the step is a plain
/// Euler step, as the score is not defined there. The ODE is deterministic: only prior noise
/// (``SamplerStart/noise(count:channels:)``) uses `source`, as in ``sampleEulerMaruyama(model:schedule:space:start:source:stepSize:tStart:tEnd:firstSample:saveTimes:progress:)``.
/// Components with β = 0 stay exactly unchanged. Time may also run forwards (tStart < tEnd), which
/// encodes data into noise (start from ``SamplerStart/compWhite(_:)``).
///
/// - Parameters: as ``sampleEulerMaruyama(model:schedule:space:start:source:stepSize:tStart:tEnd:firstSample:saveTimes:progress:)``.
/// - Throws: `GUDError` for invalid arguments, shapes, or model output of the wrong shape.
public func sampleHeun<S: TensorScalar, M: EpsilonModel, Sch: Schedule>(
    model: M, schedule: Sch, space: any Space<S>, start: SamplerStart<S>, source: RandomSource,
    stepSize: S = 0.01, tStart: S = 1, tEnd: S = 0, firstSample: Int = 0, saveTimes: [S] = [],
    progress: ((SamplerStep<S>) throws -> SamplerControl)? = nil
) throws -> SamplingResult<S> where M.Scalar == S, Sch.Scalar == S {
    var session = try SamplerSession(
        space: space, schedule: schedule, start: start, source: source, firstSample: firstSample,
        tStart: tStart, tEnd: tEnd, saveTimes: saveTimes, progress: progress)
    let grid = try TimeGrid.uniform(from: tStart, to: tEnd, stepSize: stepSize)
    for k in 0..<(grid.count - 1) {
        let (t0, t1) = (grid[k], grid[k + 1])
        let h = t1 - t0
        let state0 = schedule(t0)
        let eps0 = try session.epsilon(model, session.x, state0)
        let d0 = try probabilityFlowDrift(x: session.x, epsilon: eps0, state: state0)
        let denoised = try session.denoisedForProgress(x: session.x, epsilon: eps0, state: state0)
        var predictor = session.x
        try predictor.addScaled(d0, alpha: h)
        let state1 = schedule(t1)
        if state1.sigma.scalars.contains(0) {
            session.x = predictor
        } else {
            let eps1 = try session.epsilon(model, predictor, state1)
            let d1 = try probabilityFlowDrift(x: predictor, epsilon: eps1, state: state1)
            try session.x.addScaled(d0, alpha: h / 2)
            try session.x.addScaled(d1, alpha: h / 2)
        }
        guard try session.finishStep(time: t1, denoised: denoised, denoisedTime: t0) else {
            return try session.result(time: t1)
        }
    }
    return try session.result(time: tEnd)
}
