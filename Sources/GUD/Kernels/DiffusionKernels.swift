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

    var needsX: Bool {
        switch self {
        case .epsilonToScore, .scoreToEpsilon: return false
        default: return true
        }
    }
}

/// Applies a component-wise formula. `p` and `x` have the same shape (batch, D, …); the state
/// broadcasts over them.
@_specialize(where S == Float)
@_specialize(where S == Double)
func applyComponentwise<S: TensorScalar>(
    _ formula: ComponentwiseFormula, _ p: Tensor<S>, x: Tensor<S>?, state: NoisingState<S>
) throws -> Tensor<S> {
    let layout = try ComponentLayout(shape: p.shape, what: "input")
    let indexer = try state.indexer(for: layout)
    let xs = x ?? p
    guard xs.shape == p.shape else {
        throw GUDError.shapeMismatch("inputs have shapes \(p.shape) and \(xs.shape); expected equal shapes")
    }
    var out = Tensor<S>(shape: p.shape)
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
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return out
}

/// The probability-flow drift f = −½ β (x + s), s = −ε/σ, written into `out` (same shape as x).
/// Components with β = 0 get exactly 0, whatever ε is (frozen components stay frozen).
@_specialize(where S == Float)
@_specialize(where S == Double)
func probabilityFlowDrift<S: TensorScalar>(
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

/// One Euler–Maruyama step of the reverse SDE in place:
/// x ← x + [−β (x/2 + s)] dt + √β · w with s = −ε/σ and w the transformed Brownian increment
/// (variance |dt|), or without the noise term when `increment` is nil. Components with β = 0 are
/// left untouched.
@_specialize(where S == Float)
@_specialize(where S == Double)
func eulerMaruyamaUpdate<S: TensorScalar>(
    x: UnsafeMutablePointer<S>, epsilon: UnsafePointer<S>, increment: UnsafePointer<S>?,
    layout: ComponentLayout, state: NoisingState<S>, indexer: CoefficientIndexer, dt: S
) {
    state.sigma.withUnsafeBufferPointer { sigma in
        state.beta.withUnsafeBufferPointer { beta in
            indexer.forEachBlock(layout) { c, start in
                let b = beta[c], s = sigma[c]
                guard b != 0 else { return }
                let range = start..<(start + layout.inner)
                if let w = increment {
                    let diffusion = b.squareRoot()
                    for j in range { x[j] = x[j] + -b * (x[j] / 2 + -epsilon[j] / s) * dt + diffusion * w[j] }
                } else {
                    for j in range { x[j] = x[j] + -b * (x[j] / 2 + -epsilon[j] / s) * dt }
                }
            }
        }
    }
}
