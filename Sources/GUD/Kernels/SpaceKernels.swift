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

/// The mean over the batch axis: one value per element of a sample.
@_specialize(where S == Float)
@_specialize(where S == Double)
func batchMean<S: TensorScalar>(_ x: Tensor<S>) throws -> [S] {
    guard x.rank >= 1, x.shape[0] > 0 else {
        throw GUDError.shapeMismatch("data has shape \(x.shape); expected at least one sample")
    }
    let n = x.shape[0], row = x.count / n
    var sum = [Double](repeating: 0, count: row)
    x.withUnsafeBufferPointer { p in
        for b in 0..<n { for j in 0..<row { sum[j] += Double(p[b * row + j]) } }
    }
    return sum.map { S($0 / Double(n)) }
}

/// Samples `range` of x (axis 0), minus `mean` (one value per element of a sample).
@_specialize(where S == Float)
@_specialize(where S == Double)
func centredSamples<S: TensorScalar>(_ x: Tensor<S>, _ range: Range<Int>, mean: [S]) throws -> Tensor<S> {
    let row = mean.count
    var out = [S](repeating: 0, count: range.count * row)
    x.withUnsafeBufferPointer { p in
        for (k, b) in range.enumerated() { for j in 0..<row { out[k * row + j] = p[b * row + j] - mean[j] } }
    }
    return try Tensor(shape: [range.count] + Array(x.shape.dropFirst()), scalars: out)
}

/// x minus its mean over the batch axis.
func subtractingBatchMean<S: TensorScalar>(_ x: Tensor<S>) throws -> Tensor<S> {
    try centredSamples(x, 0..<x.shape[0], mean: batchMean(x))
}

/// The chunks of at most `size` samples that cover a batch of `count`.
func sampleChunks(_ count: Int, size: Int = 1024) -> [Range<Int>] {
    stride(from: 0, to: count, by: size).map { $0..<Swift.min($0 + size, count) }
}

/// Adds Σ over samples and inner elements of x² to `sums`, per component (re² + im² for complex values).
@_specialize(where S == Float)
@_specialize(where S == Double)
func accumulateSquares<S: TensorScalar>(_ x: Tensor<S>, into sums: inout [Double]) throws {
    let layout = try ComponentLayout(shape: x.shape, what: "values")
    x.withUnsafeBufferPointer { p in
        CoefficientIndexer(sharedVectorOf: layout.components).forEachBlock(layout) { c, start in
            for j in start..<(start + layout.inner) { sums[c] += Double(p[j]) * Double(p[j]) }
        }
    }
}
