/// Global-norm gradient clipping (optax's `clip_by_global_norm`): with ‖g‖ the Euclidean norm of all
/// gradients of the store together, every gradient is multiplied by `maxNorm / ‖g‖` when ‖g‖ > maxNorm
/// and left unchanged otherwise.
///
/// - Returns: ‖g‖ before clipping.
/// - Throws: `GUDError.invalidArgument` for a non-positive `maxNorm`.
@discardableResult
public func clipGradientsByGlobalNorm<Scalar>(_ store: ParameterStore<Scalar>, maxNorm: Double) throws -> Double {
    guard maxNorm > 0 else { throw GUDError.invalidArgument("maximum gradient norm must be positive, got \(maxNorm)") }
    let n = store.scalarCount
    let norm = Double(squaredErrorSum(store.gradients, nil, n)).squareRoot()
    if norm > maxNorm {
        scaleKernel(store.gradients, Scalar(maxNorm / norm), store.gradients, n, accumulate: false)
    }
    return norm
}
