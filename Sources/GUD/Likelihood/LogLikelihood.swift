/// How the likelihood computes the divergence of the probability-flow drift.
public enum DivergenceMethod: Sendable {
    /// The exact trace from N = D·C vector–Jacobian products per evaluation (for small dimensions).
    case exact
    /// Hutchinson's estimator tr(A) = E[vᵀ A v] with `probes` ≥ 2 standard normal probe vectors per
    /// sample in dataWhite, drawn once (fixed along the trajectory) from
    /// `source.derived("gud.hutchinson").stream(firstSample + b)`, with a control variate (see
    /// ``logLikelihood(model:schedule:data:divergence:prior:tStart:tEnd:relativeTolerance:absoluteTolerance:firstSample:)``).
    /// The spread over probes gives a standard error.
    case hutchinson(probes: Int, source: RandomSource)
}

/// The log-likelihood of a batch, from ``logLikelihood(model:schedule:data:divergence:prior:tStart:tEnd:relativeTolerance:absoluteTolerance:firstSample:)``.
public struct LikelihoodResult<Scalar: TensorScalar> {
    /// log p(φ) of every sample in data coordinates, in nats: ``logDensityWhite`` + log|det M|.
    public let logDensity: [Scalar]
    /// log p(φ̂) in the whitened coordinates (dataWhite, equivalently compWhite).
    public let logDensityWhite: [Scalar]
    /// log p₁(χ̂₁) under the prior, at the end of the trajectory.
    public let priorLogDensity: [Scalar]
    /// ∫ div f dt along the trajectory (the mean over probes for Hutchinson).
    public let integratedDivergence: [Scalar]
    /// The standard error of ``logDensity`` from the Hutchinson probes (`nil` for the exact trace).
    public let standardError: [Scalar]?
    /// N = D · C, the real degrees of freedom per sample.
    public let dimension: Int
    /// Evaluations of the ODE right-hand side (each one model call with its VJPs).
    public let evaluations: Int

    /// Bits per dimension of every sample (see ``bitsPerDimension(logLikelihood:dimension:offset:)``).
    public func bitsPerDimension(offset: Scalar = 7) -> [Scalar] {
        logDensity.map { GUD.bitsPerDimension(logLikelihood: $0, dimension: dimension, offset: offset) }
    }
}

/// The log-density of data under the model, through the probability-flow ODE.
///
/// With f(χ̂, t) = −½ β (χ̂ + s) and s = −ε̂/σ, the data χ̂₀ = M φ is carried to χ̂₁ by the ODE while
/// the divergence is integrated:
///
///     log p₀(χ̂₀) = log p₁(χ̂₁) + ∫_{tStart}^{tEnd} ∇·f(χ̂_t, t) dt,     log p(φ) = log p₀(χ̂₀) + log|det M|
///
/// with log|det M| = −C Σᵢ log Sᵢ (``Space/logAbsDeterminant(channels:)``). The divergence is taken in
/// dataWhite coordinates y = U† χ̂ (real for every space, the Fourier one included): with
/// η(y) = U† ε̂(U y) and Mₜ = U† diag(βᵢ/σᵢ) U,
///
///     ∇·f = −½ C Σᵢ βᵢ + ½ tr(Mₜ ∂η/∂y) = ½ tr(Mₜ ∂η/∂y − Bₜ),   Bₜ = U† diag(βᵢ) U,
///
/// the trace from the model's vector–Jacobian products (``EpsilonModel/epsilonAndVJP(dataWhite:state:space:cotangents:)``):
/// exactly, Σₙ (Mₜ eₙ)ᵀ (∂η/∂y) eₙ, or by Hutchinson, E[(Mₜ v)ᵀ (∂η/∂y) v − vᵀ Bₜ v]. (Subtracting
/// vᵀ Bₜ v, whose mean C Σβ is known, removes most of the estimator's variance: the two terms cancel
/// exactly where ε̂ = x, as at high noise.) The ODE is solved by
/// ``DormandPrince`` with the given tolerances (the error control covers the state and the
/// accumulated divergences). The schedule must have σ > 0 on [tStart, tEnd] (start the VP schedule
/// slightly above 0). The prior is explicit: see ``Prior`` for the mismatch of N(0, I) at finite γ(1).
///
/// - Parameters:
///   - model: ε̂ in compWhite; its ``EpsilonModel/epsilonAndVJP(dataWhite:state:space:cotangents:)`` gives the divergence.
///   - schedule: the noise schedule (validated against the data's space).
///   - data: the batch, in any representation of its space.
///   - divergence: ``DivergenceMethod/exact`` (default; D·C products per evaluation) or Hutchinson's estimator.
///   - prior: the density at `tEnd` (default ``GaussianPrior/standard``, N(0, I) in compWhite).
///   - tStart: the time of the data, default 0.
///   - tEnd: the time of the prior, default 1 (tEnd > tStart).
///   - relativeTolerance: the ODE solver's relative tolerance, default 1e-5.
///   - absoluteTolerance: the ODE solver's absolute tolerance, default 1e-5.
///   - firstSample: the global index of the first sample (Hutchinson probes).
/// - Throws: `GUDError` for invalid arguments or shapes, or a solver failure.
public func logLikelihood<S: TensorScalar, M: EpsilonModel, Sch: Schedule>(
    model: M, schedule: Sch, data: DataValue<S>, divergence: DivergenceMethod = .exact,
    prior: any Prior<S> = GaussianPrior<S>.standard, tStart: S = 0, tEnd: S = 1,
    relativeTolerance: S = 1e-5, absoluteTolerance: S = 1e-5, firstSample: Int = 0
) throws -> LikelihoodResult<S> where M.Scalar == S, Sch.Scalar == S {
    let space = data.space
    try space.validate(schedule: schedule)
    let x0 = try data.compWhite
    try x0.checkFinite("data")
    let batch = x0.shape[0], channels = x0.shape[2], d = space.dimension
    let realShape = [batch, d, channels]
    let n = d * channels

    // Hutchinson probes (fixed along the trajectory), or one accumulator for the exact trace.
    let probes: [Tensor<S>]
    switch divergence {
    case .exact:
        probes = []
    case .hutchinson(let count, let source):
        guard count >= 2 else {
            throw GUDError.invalidArgument("Hutchinson estimator with \(count) probe(s); expected at least 2 for a standard error")
        }
        let probeSource = source.derived("gud.hutchinson")
        let draws: Tensor<S> = probeSource.gaussian(shape: [batch, count, n], firstSample: firstSample)
        probes = try splitProbes(draws, shape: realShape)
    }
    let accumulators = Swift.max(1, probes.count)
    let basis: Tensor<S>? = probes.isEmpty ? try Tensor<S>.identity(n).reshaped([n, d, channels]) : nil
    let probeComponents = try probes.map(space.toComponentSpace)

    // The state of the ODE: χ̂ followed by the accumulated divergence of every sample and probe.
    let y0 = try Tensor(shape: [x0.count + batch * accumulators],
                        scalars: x0.scalars + [S](repeating: 0, count: batch * accumulators))

    let solver = try DormandPrince(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance)
    let solution = try solver.integrate(y0, from: tStart, to: tEnd, derivative: { t, y in
        let x = try Tensor(shape: x0.shape, scalars: Array(y.scalars[0..<x0.count]))
        let state = schedule(t)
        let weights = try divergenceWeights(state, components: d)
        // Cotangents Mₜ v: the basis vectors (exact) or the probes (Hutchinson).
        let cotangents: [Tensor<S>]
        if let basis {
            let mBasis = try space.fromComponentSpace(multiplyComponents(space.toComponentSpace(basis), by: weights))
            cotangents = try tiledRows(mBasis, batch: batch)
        } else {
            cotangents = try probeComponents.map { try space.fromComponentSpace(multiplyComponents($0, by: weights)) }
        }
        let (eta, vjps) = try model.epsilonAndVJP(
            dataWhite: space.fromComponentSpace(x), state: state, space: space, cotangents: cotangents)
        guard vjps.count == cotangents.count, vjps.allSatisfy({ $0.shape == realShape }) else {
            throw GUDError.shapeMismatch("the model returned \(vjps.count) VJPs for \(cotangents.count) cotangents; expected one of shape \(realShape) each")
        }
        let drift = try probabilityFlowDrift(x: x, epsilon: space.toComponentSpace(eta), state: state)
        // ∇·f = −½ C Σβ + ½ tr(Mₜ J) per sample and accumulator.
        let betaSum = S(channels) * state.beta.sum() * S(state.width == 1 ? d : 1)
        var out = drift.scalars
        if basis != nil {
            out += diagonalTraces(vjps).map { -betaSum / 2 + $0 / 2 }
        } else {
            // vₖᵀ (Mₜ J) vₖ − vₖᵀ Bₜ vₖ: the second term has the known mean C Σβ (a control variate that
            // removes the variance of the cancelling parts, exact when ε̂ = x).
            let betas = state.components(of: state.beta, count: d)
            let estimates = try probes.indices.map { k in
                zip(rowDots(vjps[k], probes[k]), try weightedSquaredNorms(probeComponents[k], weights: betas)).map { $0 - $1 }
            }
            for b in 0..<batch {
                for k in 0..<accumulators { out.append(estimates[k][b] / 2) }
            }
        }
        return try Tensor(shape: y.shape, scalars: out)
    })

    let x1 = try Tensor(shape: x0.shape, scalars: Array(solution.y.scalars[0..<x0.count]))
    let priorLog = try prior.logDensity(compWhite: x1, space: space)
    guard priorLog.count == batch else {
        throw GUDError.shapeMismatch("the prior returned \(priorLog.count) log-densities for \(batch) samples")
    }
    let logDet = space.logAbsDeterminant(channels: channels)
    var integrated = [S](), white = [S](), errors = [S]()
    for b in 0..<batch {
        let values = (0..<accumulators).map { solution.y[flat: x0.count + b * accumulators + $0] }
        let mean = values.reduce(0, +) / S(accumulators)
        let squares: S = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let variance = squares / S(Swift.max(accumulators - 1, 1))
        integrated.append(mean)
        white.append(priorLog[b] + mean)
        errors.append((variance / S(accumulators)).squareRoot())
    }
    return LikelihoodResult(
        logDensity: white.map { $0 + logDet }, logDensityWhite: white, priorLogDensity: priorLog,
        integratedDivergence: integrated, standardError: probes.isEmpty ? nil : errors,
        dimension: n, evaluations: solution.evaluations)
}

/// βᵢ/σᵢ per component, shape (1, D) (0 where β = 0).
private func divergenceWeights<S: TensorScalar>(_ state: NoisingState<S>, components d: Int) throws -> Tensor<S> {
    let weights = zip(state.components(of: state.beta, count: d), state.components(of: state.sigma, count: d))
        .map { beta, sigma in beta == 0 ? 0 : beta / sigma }
    return try Tensor(shape: [1, d], scalars: weights)
}
