/// The forward (noising) process in `compWhite`: χ̂_t = α χ̂₀ + σ z, with z white noise passed
/// through the space's ``Space/transformNoise(_:)`` (the reference's `ou_process`).
///
/// Sample b's noise is drawn from `source.stream(firstSample + b)` (through
/// ``Space/drawWhiteNoise(into:streams:scale:)``), so it does not depend on the batch size. Returns the noised values and the noise z (the ε-matching target), both as lazy
/// ``DataValue``s in the space of `x`.
///
/// - Parameters:
///   - x: the clean values (any representation).
///   - state: the noising state, shared or one row per sample.
///   - source: the caller's random source.
///   - firstSample: the global index of the first sample of the batch.
/// - Throws: `GUDError.shapeMismatch` when the state does not broadcast to the batch.
public func ouProcess<S: TensorScalar>(
    _ x: DataValue<S>, state: NoisingState<S>, source: RandomSource, firstSample: Int = 0
) throws -> (noised: DataValue<S>, noise: DataValue<S>) {
    let x0 = try x.compWhite
    var streams = (0..<x0.shape[0]).map { source.stream(firstSample + $0) }
    var z = Tensor<S>(shape: x0.shape)
    try x.space.drawWhiteNoise(into: &z, streams: &streams, scale: 1)
    return try noise(x0, space: x.space, state: state, noise: z)
}

/// The forward process with a given real noise draw `realNoise` (batch, D, C) in place of the
/// random one: z = transformNoise(realNoise), χ̂_t = α χ̂₀ + σ z.
/// - Throws: `GUDError.shapeMismatch` for mismatched shapes.
public func ouProcess<S: TensorScalar>(
    _ x: DataValue<S>, state: NoisingState<S>, realNoise: Tensor<S>
) throws -> (noised: DataValue<S>, noise: DataValue<S>) {
    let x0 = try x.compWhite
    let z = try x.space.transformNoise(realNoise)
    guard z.shape == x0.shape else {
        throw GUDError.shapeMismatch(
            "noise of shape \(realNoise.shape) gives components \(z.shape) but the data's are \(x0.shape); expected equal shapes")
    }
    return try noise(x0, space: x.space, state: state, noise: z)
}

private func noise<S: TensorScalar>(
    _ x0: Tensor<S>, space: any Space<S>, state: NoisingState<S>, noise z: Tensor<S>
) throws -> (noised: DataValue<S>, noise: DataValue<S>) {
    let noised = try applyComponentwise(.forward, z, x: x0, state: state)
    return (try DataValue(space, compWhite: noised), try DataValue(space, compWhite: z))
}

/// The ε-matching loss mean |ε̂ − z|² over all elements, in `compWhite` (|·|² of a complex value
/// counts re² + im² once): the reference's loss. For an orthonormal U it equals the mean squared
/// error in `dataWhite`.
/// - Throws: `GUDError.shapeMismatch` when the shapes differ.
public func epsilonMatchingLoss<S: TensorScalar>(predicted: DataValue<S>, target: DataValue<S>) throws -> S {
    let p = try predicted.compWhite, z = try target.compWhite
    let squares = try (p - z).sumOfSquares()
    let complexFactor = predicted.space.isComplex ? 2 : 1
    return squares / S(p.count / complexFactor)
}
