// Component-wise diffusion arithmetic: per-component real coefficients (α, σ, β of a noising state)
// times contiguous inner blocks (channels, re/im). Specialised for Float and Double.

/// The component-wise formulas of the conversions and the forward process, in the reference's
/// operation order (p = the primary input, x = the second input when there is one).
enum ComponentwiseFormula {
    case epsilonToScore      // −p/σ
    case scoreToEpsilon      // −σ p
    case scoreToVelocity     // β/2 (x + p)
    case velocityToScore     // 2p/β − x
    case epsilonToVelocity   // β/2 (x + (−p/σ))
    case velocityToEpsilon   // −σ (2p/β − x)
    case denoised            // (x − σ p)/α
    case forward             // α x + σ p
    case reverseDrift        // −β (x/2 + (−p/σ))
    case vPredictionToEpsilon // σ x + α p   (p = v̂ = α ε − σ x₀)
    case epsilonToVPrediction // (p − σ x)/α  (p = ε)
    case alphaTimes           // α p
    case sigmaTimes           // σ p
}

/// Applies a component-wise formula. `p` and `x` have the same shape (batch, D, …); the state
/// broadcasts over them.
@_specialize(where S == Float)
@_specialize(where S == Double)
func applyComponentwise<S: TensorScalar>(
    _ formula: ComponentwiseFormula, _ p: Tensor<S>, x: Tensor<S>?, state: NoisingState<S>
) throws -> Tensor<S> {
    var out = Tensor<S>(shape: p.shape)
    try applyComponentwise(formula, p, x: x, state: state, into: &out)
    return out
}

/// ``applyComponentwise(_:_:x:state:)`` written into `out` (p's shape), allocating nothing.
@_specialize(where S == Float)
@_specialize(where S == Double)
func applyComponentwise<S: TensorScalar>(
    _ formula: ComponentwiseFormula, _ p: Tensor<S>, x: Tensor<S>?, state: NoisingState<S>, into out: inout Tensor<S>
) throws {
    let layout = try ComponentLayout(shape: p.shape, what: "input")
    let indexer = try state.indexer(for: layout)
    let xs = x ?? p
    guard xs.shape == p.shape, out.shape == p.shape else {
        throw GUDError.shapeMismatch("inputs have shapes \(p.shape) and \(xs.shape), the output \(out.shape); expected equal shapes")
    }
    state.alpha.withUnsafeBufferPointer { alpha in
        state.sigma.withUnsafeBufferPointer { sigma in
            state.beta.withUnsafeBufferPointer { beta in
                p.withUnsafeBufferPointer { pp in
                    xs.withUnsafeBufferPointer { xp in
                        out.withUnsafeMutableBufferPointer { o in
                            indexer.forEachBlock(layout) { c, start in
                                let a = alpha[c], s = sigma[c], b = beta[c]
                                let range = start..<(start + layout.inner)
                                switch formula {
                                case .epsilonToScore: for j in range { o[j] = -pp[j] / s }
                                case .scoreToEpsilon: for j in range { o[j] = -s * pp[j] }
                                case .scoreToVelocity: for j in range { o[j] = b / 2 * (xp[j] + pp[j]) }
                                case .velocityToScore: for j in range { o[j] = 2 * pp[j] / b - xp[j] }
                                case .epsilonToVelocity: for j in range { o[j] = b / 2 * (xp[j] + -pp[j] / s) }
                                case .velocityToEpsilon: for j in range { o[j] = -s * (2 * pp[j] / b - xp[j]) }
                                case .denoised: for j in range { o[j] = (xp[j] - s * pp[j]) / a }
                                case .forward: for j in range { o[j] = a * xp[j] + s * pp[j] }
                                case .reverseDrift: for j in range { o[j] = -b * (xp[j] / 2 + -pp[j] / s) }
                                case .vPredictionToEpsilon: for j in range { o[j] = s * xp[j] + a * pp[j] }
                                case .epsilonToVPrediction: for j in range { o[j] = (pp[j] - s * xp[j]) / a }
                                case .alphaTimes: for j in range { o[j] = a * pp[j] }
                                case .sigmaTimes: for j in range { o[j] = s * pp[j] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The probability-flow drift f = −½ β (x + s), s = −ε/σ, written into `out` (same shape as x).
/// Components with β = 0 get exactly 0, whatever ε is (frozen components stay frozen).
@_specialize(where S == Float)
@_specialize(where S == Double)
func writeProbabilityFlowDrift<S: TensorScalar>(
    x: UnsafePointer<S>, epsilon: UnsafePointer<S>, out: UnsafeMutablePointer<S>,
    layout: ComponentLayout, state: NoisingState<S>, indexer: CoefficientIndexer
) {
    state.sigma.withUnsafeBufferPointer { sigma in
        state.beta.withUnsafeBufferPointer { beta in
            indexer.forEachBlock(layout) { c, start in
                let b = beta[c], s = sigma[c]
                if b == 0 {
                    for j in start..<(start + layout.inner) { out[j] = 0 }
                } else {
                    for j in start..<(start + layout.inner) { out[j] = -b / 2 * (x[j] + -epsilon[j] / s) }
                }
            }
        }
    }
}

/// Scratch memory of ``eulerMaruyamaUpdate(x:epsilon:increment:layout:state:indexer:dt:scratch:)``:
/// the coefficients expanded to one per element of a sample (keep, pull, diffusion, and the saved
/// values of frozen elements) and the frozen elements' offsets. A sampler keeps one for the whole
/// run, so that its steps allocate nothing.
struct EulerMaruyamaScratch<S: TensorScalar> {
    var coefficients: [S] = []
    var frozen: [Int] = []

    /// Grows the buffers to serve samples of `perSample` elements.
    mutating func reserve(perSample: Int) {
        if coefficients.count < 4 * perSample { coefficients = [S](repeating: 0, count: 4 * perSample) }
        if frozen.count < perSample { frozen = [Int](repeating: 0, count: perSample) }
    }
}

/// One Euler–Maruyama step of the reverse SDE in place:
/// x ← x + [−β (x/2 + s)] dt + √β · w with s = −ε/σ and w the transformed Brownian increment
/// (variance |dt|), or without the noise term when `increment` is nil. Evaluated as
/// x ← (1 − β dt/2) x + (β dt/σ) ε + √β w with the coefficients expanded once per row of the state
/// to one per element of a sample (in `scratch`), so that the loop over a sample is contiguous.
/// Components with β = 0 are restored afterwards, so they stay exactly unchanged whatever ε is.
@_specialize(where S == Float)
@_specialize(where S == Double)
func eulerMaruyamaUpdate<S: TensorScalar>(
    x: UnsafeMutablePointer<S>, epsilon: UnsafePointer<S>, increment: UnsafePointer<S>?,
    layout: ComponentLayout, state: NoisingState<S>, indexer: CoefficientIndexer, dt: S,
    scratch: inout EulerMaruyamaScratch<S>
) {
    let perSample = layout.components * layout.inner
    scratch.reserve(perSample: perSample)
    scratch.coefficients.withUnsafeMutableBufferPointer { scalars in
        scratch.frozen.withUnsafeMutableBufferPointer { frozen in
            let keep = scalars.baseAddress!, pull = keep + perSample, diffusion = pull + perSample, saved = diffusion + perSample
            var frozenCount = 0
            var currentRow = -1
            for b in 0..<layout.batch {
                // Expand the coefficients of this sample's row of the state.
                let row = indexer.rowStride == 0 ? 0 : b
                if row != currentRow {
                    currentRow = row
                    frozenCount = 0
                    state.sigma.withUnsafeBufferPointer { sigma in
                        state.beta.withUnsafeBufferPointer { beta in
                            for i in 0..<layout.components {
                                let c = row * state.width + i * indexer.columnStride
                                let (bc, sc) = (beta[c], sigma[c])
                                let coefficients = bc == 0 ? (S(1), S(0), S(0)) : (1 - bc * dt / 2, bc * dt / sc, bc.squareRoot())
                                for j in (i * layout.inner)..<((i + 1) * layout.inner) {
                                    (keep[j], pull[j], diffusion[j]) = coefficients
                                    if bc == 0 {
                                        frozen[frozenCount] = j
                                        frozenCount += 1
                                    }
                                }
                            }
                        }
                    }
                }
                let (xb, eb) = (x + b * perSample, epsilon + b * perSample)
                for k in 0..<frozenCount { saved[k] = xb[frozen[k]] }
                if let w = increment {
                    let wb = w + b * perSample
                    for j in 0..<perSample { xb[j] = keep[j] * xb[j] + pull[j] * eb[j] + diffusion[j] * wb[j] }
                } else {
                    for j in 0..<perSample { xb[j] = keep[j] * xb[j] + pull[j] * eb[j] }
                }
                for k in 0..<frozenCount { xb[frozen[k]] = saved[k] }
            }
        }
    }
}

/// x with every (sample, component) block multiplied by its entry of a (rows, width) table.
@_specialize(where S == Float)
@_specialize(where S == Double)
func multiplyComponents<S: TensorScalar>(_ x: Tensor<S>, by table: Tensor<S>) throws -> Tensor<S> {
    let layout = try ComponentLayout(shape: x.shape, what: "values")
    let indexer = try CoefficientIndexer(rows: table.shape[0], width: table.shape[1], layout: layout, what: "the coefficients")
    var out = x
    table.withUnsafeBufferPointer { t in
        out.withUnsafeMutableBufferPointer { o in
            indexer.forEachBlock(layout) { c, start in
                let f = t[c]
                for j in start..<(start + layout.inner) { o[j] *= f }
            }
        }
    }
    return out
}

/// Fills row b of `buffer` (axis 0 = samples) with standard normal draws from `streams[b]` times
/// `scale`, writing every `stride`-th element (2 for the real parts of interleaved complex values);
/// the samples are split over the cores.
///
/// The draws use Marsaglia's polar method on 32-bit uniforms (both of a pair taken from one 64-bit
/// word of the stream): u, v ∈ [−1, 1), s = u² + v² < 1, then u·√(−2 ln s / s) and v·√(−2 ln s / s)
/// — no trigonometric functions, several times faster than Box–Muller.
@_specialize(where S == Float)
@_specialize(where S == Double)
func fillStandardNormal<S: TensorScalar>(_ buffer: inout Tensor<S>, streams: inout [RandomStream], scale: S, stride: Int = 1) {
    let rows = buffer.shape[0]
    buffer.withUnsafeMutableBufferPointer { b in
        fillStandardNormal(b, rows: rows, streams: &streams, scale: scale, stride: stride)
    }
}

/// ``fillStandardNormal(_:streams:scale:stride:)`` on raw memory of `rows` equal rows.
@_specialize(where S == Float)
@_specialize(where S == Double)
func fillStandardNormal<S: TensorScalar>(
    _ buffer: UnsafeMutableBufferPointer<S>, rows: Int, streams: inout [RandomStream], scale: S, stride: Int = 1
) {
    let perRow = buffer.count / Swift.max(rows, 1) / stride
    let unit = S(1) / S(1 << 31)
    let bp = buffer.baseAddress!
    streams.withUnsafeMutableBufferPointer { s in
        let sp = s.baseAddress!
        Parallel.forEachChunk(rows) { range in
            for r in range {
                let row = bp + r * perRow * stride
                var j = 0
                while j < perRow {
                    let bits = sp[r].next()
                    let u = S(Int32(truncatingIfNeeded: bits)) * unit
                    let v = S(Int32(truncatingIfNeeded: bits >> 32)) * unit
                    let radius = u * u + v * v
                    guard radius < 1, radius > 0 else { continue }
                    let factor = scale * (-2 * S.log(radius) / radius).squareRoot()
                    row[j * stride] = u * factor
                    if j + 1 < perRow { row[(j + 1) * stride] = v * factor }
                    j += 2
                }
            }
        }
    }
}

/// √( mean_i [ vᵢ / (atol + rtol · max(|aᵢ|, |bᵢ|)) ]² ): the error norm of adaptive ODE solvers.
@_specialize(where S == Float)
@_specialize(where S == Double)
func scaledRootMeanSquare<S: TensorScalar>(_ v: Tensor<S>, _ a: Tensor<S>, _ b: Tensor<S>, relative: S, absolute: S) -> S {
    guard v.count > 0 else { return 0 }
    var sum: S = 0
    v.withUnsafeBufferPointer { vp in
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                for i in 0..<vp.count {
                    let r = vp[i] / (absolute + relative * Swift.max(Swift.abs(ap[i]), Swift.abs(bp[i])))
                    sum += r * r
                }
            }
        }
    }
    return (sum / S(v.count)).squareRoot()
}

/// Σ over components, channels and re/im of wᵢ |x|², per sample.
@_specialize(where S == Float)
@_specialize(where S == Double)
func weightedSquaredNorms<S: TensorScalar>(_ x: Tensor<S>, weights: [S]) throws -> [S] {
    let layout = try ComponentLayout(shape: x.shape, what: "values")
    guard weights.count == layout.components else {
        throw GUDError.shapeMismatch("\(weights.count) weights for \(layout.components) components")
    }
    var out = [S](repeating: 0, count: layout.batch)
    x.withUnsafeBufferPointer { p in
        for b in 0..<layout.batch {
            var acc: S = 0
            for i in 0..<layout.components {
                let start = (b * layout.components + i) * layout.inner
                var block: S = 0
                for j in start..<(start + layout.inner) { block += p[j] * p[j] }
                acc += weights[i] * block
            }
            out[b] = acc
        }
    }
    return out
}

/// Σⱼ a[b, j] · c[b, j] per sample b (axis 0) of two tensors of equal shape.
@_specialize(where S == Float)
@_specialize(where S == Double)
func rowDots<S: TensorScalar>(_ a: Tensor<S>, _ c: Tensor<S>) -> [S] {
    let rows = a.shape[0], n = a.count / Swift.max(rows, 1)
    var out = [S](repeating: 0, count: rows)
    a.withUnsafeBufferPointer { ap in
        c.withUnsafeBufferPointer { cp in
            for b in 0..<rows {
                var acc: S = 0
                for j in (b * n)..<((b + 1) * n) { acc += ap[j] * cp[j] }
                out[b] = acc
            }
        }
    }
    return out
}
