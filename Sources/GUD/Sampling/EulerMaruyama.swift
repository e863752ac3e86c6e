/// Samples by integrating the reverse SDE with the Euler–Maruyama method (the reference's default
/// sampler), in compWhite:
///
///     dχ̂ = [−½ β χ̂ − β s] dt + √β dW̄,   s = −ε̂/σ,   t from `tStart` down to `tEnd`
///     x_{k+1} = x_k + [−β (x_k/2 + s)] (t_{k+1} − t_k) + √β · transformNoise(ΔW_k)
///
/// with ΔW_k ~ N(0, |t_{k+1} − t_k|) real white noise and β, s evaluated at t_k, on the grid of
/// ``TimeGrid/uniform(from:to:stepSize:)`` (stepSize 0.01 from 1 to 0: the reference's 100 steps).
/// As in the reference the last step adds noise too; the callback's `denoised` gives x̂₀.
/// Components with β = 0 are left exactly unchanged.
///
/// **Randomness.** Sample b (global index `firstSample + b`) draws its prior noise from
/// `source.derived("gud.sampler.prior").stream(firstSample + b)` and its Brownian increments, one
/// step after the other, from `source.derived("gud.sampler.brownian").stream(firstSample + b)`: a
/// sample does not depend on the batch size or on how many samples are drawn.
///
/// - Parameters:
///   - model: ε̂ in compWhite.
///   - schedule: the noise schedule (validated against the space).
///   - space: the diffusion space.
///   - start: prior noise for a number of samples, or a given compWhite state.
///   - source: the caller's random source.
///   - stepSize: |dt| > 0, default 0.01.
///   - tStart: the initial time, default 1.
///   - tEnd: the final time, default 0 (tStart > tEnd).
///   - firstSample: the global index of the first sample (for drawing a large set in batches).
///   - saveTimes: times in the interval at which to save the state (the first grid time at or past each).
///   - progress: called after every step; return `.stop` to end early.
/// - Throws: `GUDError` for invalid arguments, shapes, or model output of the wrong shape.
public func sampleEulerMaruyama<S: TensorScalar, M: EpsilonModel, Sch: Schedule>(
    model: M, schedule: Sch, space: any Space<S>, start: SamplerStart<S>, source: RandomSource,
    stepSize: S = 0.01, tStart: S = 1, tEnd: S = 0, firstSample: Int = 0, saveTimes: [S] = [],
    progress: ((SamplerStep<S>) throws -> SamplerControl)? = nil
) throws -> SamplingResult<S> where M.Scalar == S, Sch.Scalar == S {
    guard tStart > tEnd else {
        throw GUDError.invalidArgument("the reverse SDE runs from high to low t; got tStart = \(tStart), tEnd = \(tEnd)")
    }
    var session = try SamplerSession(
        space: space, schedule: schedule, start: start, source: source, firstSample: firstSample,
        tStart: tStart, tEnd: tEnd, saveTimes: saveTimes, progress: progress)
    let grid = try TimeGrid.uniform(from: tStart, to: tEnd, stepSize: stepSize)
    let brownian = source.derived("gud.sampler.brownian")
    var streams = (0..<session.x.shape[0]).map { brownian.stream(firstSample + $0) }
    // Buffers reused by every step: with a model that writes into its output buffer (a network
    // model does) and a space whose transforms and noise reuse their storage (the Fourier space),
    // a step allocates nothing in Swift code.
    var increment = Tensor<S>(shape: session.x.shape)
    var eps = Tensor<S>(shape: session.x.shape)
    var state = schedule(tStart)
    var scratch = EulerMaruyamaScratch<S>()
    for k in 0..<(grid.count - 1) {
        let (t, dt) = (grid[k], grid[k + 1] - grid[k])
        schedule.evaluate(at: t, into: &state)
        try session.epsilon(model, session.x, state, into: &eps)
        try space.drawWhiteNoise(into: &increment, streams: &streams, scale: Swift.abs(dt).squareRoot())
        let denoised = try session.denoisedForProgress(x: session.x, epsilon: eps, state: state)
        try eulerMaruyamaStep(&session.x, epsilon: eps, increment: increment, state: state, dt: dt, scratch: &scratch)
        guard try session.finishStep(time: grid[k + 1], denoised: denoised, denoisedTime: t) else {
            return try session.result(time: grid[k + 1])
        }
    }
    return try session.result(time: tEnd)
}
