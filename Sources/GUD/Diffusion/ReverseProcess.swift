// Single steps of the reverse process in compWhite, for samplers and for checking them:
//
//     reverse SDE:           dχ̂ = [−½ β χ̂ − β s] dt + √β dW̄
//     probability-flow ODE:  dχ̂/dt = −½ β (χ̂ + s)
//
// with s = −ε̂/σ. Components with β = 0 (frozen by clipping) do not move.

/// The drift of the reverse SDE, −β (x/2 + s) = −½ β x − β s with s = −ε/σ, in compWhite (the
/// reference's `drift`; the SDE integrates it from t = 1 down to 0).
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func reverseSDEDrift<S: TensorScalar>(x: Tensor<S>, epsilon: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.reverseDrift, epsilon, x: x, state: state)
}

/// The probability-flow drift f = −½ β (x + s), s = −ε/σ, in compWhite (0 where β = 0).
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func probabilityFlowDrift<S: TensorScalar>(x: Tensor<S>, epsilon: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    let layout = try ComponentLayout(shape: x.shape, what: "state")
    let indexer = try state.indexer(for: layout)
    guard epsilon.shape == x.shape else {
        throw GUDError.shapeMismatch("ε has shape \(epsilon.shape); expected the state's \(x.shape)")
    }
    var out = Tensor<S>(shape: x.shape)
    x.withUnsafeBufferPointer { xb in
        epsilon.withUnsafeBufferPointer { eb in
            out.withUnsafeMutableBufferPointer { ob in
                writeProbabilityFlowDrift(x: xb.baseAddress!, epsilon: eb.baseAddress!, out: ob.baseAddress!,
                                     layout: layout, state: state, indexer: indexer)
            }
        }
    }
    return out
}

/// One Euler–Maruyama step of the reverse SDE in compWhite, in place:
/// x ← x + [−β (x/2 + s)] dt + √β · w with s = −ε/σ, where `increment` w is the transformed
/// Brownian increment (variance |dt|) or `nil` for the drift alone (the Euler mean). Components with
/// β = 0 are left unchanged.
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func eulerMaruyamaStep<S: TensorScalar>(
    _ x: inout Tensor<S>, epsilon: Tensor<S>, increment: Tensor<S>?, state: NoisingState<S>, dt: S
) throws {
    var scratch = EulerMaruyamaScratch<S>()
    try eulerMaruyamaStep(&x, epsilon: epsilon, increment: increment, state: state, dt: dt, scratch: &scratch)
}

/// ``eulerMaruyamaStep(_:epsilon:increment:state:dt:)`` with the caller's scratch memory (kept
/// across the steps of a sampler run, so that a step allocates nothing).
func eulerMaruyamaStep<S: TensorScalar>(
    _ x: inout Tensor<S>, epsilon: Tensor<S>, increment: Tensor<S>?, state: NoisingState<S>, dt: S,
    scratch: inout EulerMaruyamaScratch<S>
) throws {
    let layout = try ComponentLayout(shape: x.shape, what: "state")
    let indexer = try state.indexer(for: layout)
    guard epsilon.shape == x.shape else {
        throw GUDError.shapeMismatch("ε has shape \(epsilon.shape); expected the state's \(x.shape)")
    }
    if let increment, increment.shape != x.shape {
        throw GUDError.shapeMismatch("increment has shape \(increment.shape); expected the state's \(x.shape)")
    }
    x.withUnsafeMutableBufferPointer { xb in
        epsilon.withUnsafeBufferPointer { eb in
            if let increment {
                increment.withUnsafeBufferPointer { wb in
                    eulerMaruyamaUpdate(x: xb.baseAddress!, epsilon: eb.baseAddress!, increment: wb.baseAddress!,
                                        layout: layout, state: state, indexer: indexer, dt: dt, scratch: &scratch)
                }
            } else {
                eulerMaruyamaUpdate(x: xb.baseAddress!, epsilon: eb.baseAddress!, increment: nil,
                                    layout: layout, state: state, indexer: indexer, dt: dt, scratch: &scratch)
            }
        }
    }
}
