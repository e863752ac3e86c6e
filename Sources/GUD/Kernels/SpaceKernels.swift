// Element loops used by the spaces. Each is specialised for Float and Double (the attributes make
// calls from unspecialised generic code dispatch to the specialised bodies at run time).

/// x with component i of every sample multiplied (or divided) by `factors[i]`.
@_specialize(where S == Float)
@_specialize(where S == Double)
func scaleComponents<S: TensorScalar>(_ x: Tensor<S>, by factors: [S], dividing: Bool) throws -> Tensor<S> {
    let layout = try ComponentLayout(shape: x.shape, what: "values")
    guard factors.count == layout.components else {
        throw GUDError.shapeMismatch("\(factors.count) scale factors for \(layout.components) components")
    }
    var out = x
    let indexer = CoefficientIndexer(sharedVectorOf: factors.count)
    factors.withUnsafeBufferPointer { f in
        out.withUnsafeMutableBufferPointer { o in
            indexer.forEachBlock(layout) { c, start in
                let s = f[c]
                if dividing {
                    for j in start..<(start + layout.inner) { o[j] /= s }
                } else {
                    for j in start..<(start + layout.inner) { o[j] *= s }
                }
            }
        }
    }
    return out
}

/// x minus its mean over the batch axis.
@_specialize(where S == Float)
@_specialize(where S == Double)
func subtractingBatchMean<S: TensorScalar>(_ x: Tensor<S>) throws -> Tensor<S> {
    guard x.rank >= 1, x.shape[0] > 0 else {
        throw GUDError.shapeMismatch("data has shape \(x.shape); expected at least one sample")
    }
    let n = x.shape[0], row = x.count / n
    var mean = [S](repeating: 0, count: row)
    var out = x
    out.withUnsafeMutableBufferPointer { o in
        for b in 0..<n { for j in 0..<row { mean[j] += o[b * row + j] } }
        for j in 0..<row { mean[j] /= S(n) }
        for b in 0..<n { for j in 0..<row { o[b * row + j] -= mean[j] } }
    }
    return out
}

/// Σ over samples and inner elements of x², divided by (batch · channels), per component; for
/// complex values re² + im² counts once per channel.
@_specialize(where S == Float)
@_specialize(where S == Double)
func meanSquarePerComponent<S: TensorScalar>(_ x: Tensor<S>, layout: ComponentLayout) -> [S] {
    var acc = [Double](repeating: 0, count: layout.components)
    let complexFactor = x.shape.count == 4 ? 2 : 1
    let channels = layout.inner / complexFactor
    x.withUnsafeBufferPointer { p in
        CoefficientIndexer(sharedVectorOf: layout.components).forEachBlock(layout) { c, start in
            for j in start..<(start + layout.inner) { acc[c] += Double(p[j]) * Double(p[j]) }
        }
    }
    let denominator = Double(layout.batch * channels)
    return acc.map { S($0 / denominator) }
}
