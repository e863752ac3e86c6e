// Conversions between the targets a model can predict, all in `compWhite` (where the schedule is
// diagonal), component-wise with the coefficients of a noising state (broadcast over samples,
// channels and re/im; see ``NoisingState``). Inputs share one shape (batch, D, C) or (batch, D, C, 2).
//
// | from → to | formula |
// |---|---|
// | ε → score | s = −ε/σ |
// | score → ε | ε = −σ s |
// | score → velocity | v = ½ β (x + s) |
// | velocity → score | s = 2v/β − x |
// | ε → velocity | v = ½ β (x − ε/σ) |
// | velocity → ε | ε = σ x − 2σ v/β |
// | denoised estimate | x̂₀ = (x − σ ε)/α |
//
// ε and the velocity are vectors and the score a covector: to move them to other representations
// wrap them in ``DataValue`` or ``ScoreValue``.

/// The score s = −ε/σ.
/// - Throws: `GUDError.shapeMismatch` when the state does not broadcast to ε's shape.
public func epsilonToScore<S: TensorScalar>(_ epsilon: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.epsilonToScore, epsilon, x: nil, state: state)
}

/// The noise ε = −σ s.
/// - Throws: `GUDError.shapeMismatch` when the state does not broadcast to the score's shape.
public func scoreToEpsilon<S: TensorScalar>(_ score: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.scoreToEpsilon, score, x: nil, state: state)
}

/// The probability-flow velocity v = ½ β (x + s) at the noisy point x.
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func scoreToVelocity<S: TensorScalar>(_ score: Tensor<S>, x: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.scoreToVelocity, score, x: x, state: state)
}

/// The score s = 2v/β − x (undefined where β = 0: a frozen component has no velocity information).
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func velocityToScore<S: TensorScalar>(_ velocity: Tensor<S>, x: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.velocityToScore, velocity, x: x, state: state)
}

/// The velocity v = ½ β (x − ε/σ).
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func epsilonToVelocity<S: TensorScalar>(_ epsilon: Tensor<S>, x: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.epsilonToVelocity, epsilon, x: x, state: state)
}

/// The noise ε = σ x − 2σ v/β (undefined where β = 0).
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func velocityToEpsilon<S: TensorScalar>(_ velocity: Tensor<S>, x: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.velocityToEpsilon, velocity, x: x, state: state)
}

/// The denoised estimate x̂₀ = (x − σ ε)/α (Tweedie's formula with s = −ε/σ).
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func denoisedEstimate<S: TensorScalar>(x: Tensor<S>, epsilon: Tensor<S>, state: NoisingState<S>) throws -> Tensor<S> {
    try applyComponentwise(.denoised, epsilon, x: x, state: state)
}
