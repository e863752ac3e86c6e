// Loops of the likelihood's divergence estimates, specialised for Float and Double.

/// Probe k of every sample from draws of shape (batch, probes, N), each shaped `shape` (batch, D, C).
@_specialize(where S == Float)
@_specialize(where S == Double)
func splitProbes<S: TensorScalar>(_ draws: Tensor<S>, shape: [Int]) throws -> [Tensor<S>] {
    let (batch, count, n) = (draws.shape[0], draws.shape[1], draws.shape[2])
    return try (0..<count).map { k in
        var probe = [S](repeating: 0, count: batch * n)
        draws.withUnsafeBufferPointer { src in
            for b in 0..<batch { for j in 0..<n { probe[b * n + j] = src[(b * count + k) * n + j] } }
        }
        return try Tensor(shape: shape, scalars: probe)
    }
}

/// For each row r of `rows` (r, …): a tensor (batch, …) with that row repeated for every sample.
@_specialize(where S == Float)
@_specialize(where S == Double)
func tiledRows<S: TensorScalar>(_ rows: Tensor<S>, batch: Int) throws -> [Tensor<S>] {
    let count = rows.shape[0], n = rows.count / Swift.max(count, 1)
    return try (0..<count).map { r in
        var tiled = [S](repeating: 0, count: batch * n)
        rows.withUnsafeBufferPointer { src in
            for b in 0..<batch { for j in 0..<n { tiled[b * n + j] = src[r * n + j] } }
        }
        return try Tensor(shape: [batch] + Array(rows.shape.dropFirst()), scalars: tiled)
    }
}

/// Σⱼ vjps[j][b, j] per sample b: the trace of the Jacobian products with the basis cotangents.
@_specialize(where S == Float)
@_specialize(where S == Double)
func diagonalTraces<S: TensorScalar>(_ vjps: [Tensor<S>]) -> [S] {
    guard let first = vjps.first else { return [] }
    let batch = first.shape[0], n = first.count / Swift.max(batch, 1)
    var out = [S](repeating: 0, count: batch)
    for (j, v) in vjps.enumerated() {
        v.withUnsafeBufferPointer { p in
            for b in 0..<batch { out[b] += p[b * n + j] }
        }
    }
    return out
}
