extension Tape {
    /// The softmax cross-entropy of logits against integer class labels, averaged over the batch:
    ///
    ///     L = (1/N) Σ_n ( log Σ_k exp(z[n, k]) − z[n, y_n] )
    ///
    /// The log-sum-exp is computed stably, as `m_n + log Σ_k exp(z[n, k] − m_n)` with `m_n` the row
    /// maximum, so large logits neither overflow nor lose the loss. The gradient is
    /// `∂L/∂z[n, k] = (softmax(z[n])_k − [k = y_n]) / N`; backward recomputes the softmax from the saved
    /// per-row log-sum-exp.
    ///
    /// - Parameters:
    ///   - logits: `[N, K]` (N ≥ 1, K ≥ 1).
    ///   - labels: N class indices, each in `0..<K`.
    /// - Returns: the loss, rank 0.
    /// - Throws: `GUDError.shapeMismatch` when the logits are not `[N, K]` or the label count is not N,
    ///   `GUDError.invalidArgument` for a label outside `0..<K`.
    public func softmaxCrossEntropy(_ logits: Variable, labels: [Int]) throws -> Variable {
        let e = logits.extents
        guard e.rank == 2, e[0] > 0, e[1] > 0 else {
            throw GUDError.shapeMismatch("softmax cross-entropy needs logits [N, K] with N, K ≥ 1, got \(e)")
        }
        let (n, k) = (e[0], e[1])
        guard labels.count == n else {
            throw GUDError.shapeMismatch("softmax cross-entropy got \(labels.count) labels for \(n) rows of logits; expected one per row")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= k }) {
            throw GUDError.invalidArgument("class label \(bad) outside 0..<\(k) (the logits have \(k) classes)")
        }
        let needs = needsGradient(logits)
        let (y, yp) = makeNode(Extents(), requiresGradient: needs)
        let (lseHandle, lse) = allocate(n)
        yp.pointee = labels.withUnsafeBufferPointer { crossEntropyForward(value(logits), $0.baseAddress!, lse, n: n, k: k) } / Scalar(n)
        guard needs else {
            release(lseHandle)
            return y
        }
        record(y, auxiliary: [lseHandle]) { tape in
            guard let (dz, acc) = tape.gradientForAccumulation(logits) else { return }
            let c = tape.outputGradient(y).pointee / Scalar(n)
            labels.withUnsafeBufferPointer {
                crossEntropyBackward(tape.value(logits), $0.baseAddress!, UnsafePointer(lse), c, dz, n: n, k: k, accumulate: acc)
            }
        }
        return y
    }
}

/// Writes the log-sum-exp of every row of `z` (`[n, k]`) into `lse` and returns
/// `Σ_n (lse_n − z[n, y_n])`, summed in fixed parts in order.
@_specialize(where T == Float)
@_specialize(where T == Double)
func crossEntropyForward<T: TensorScalar>(
    _ z: UnsafePointer<T>, _ labels: UnsafePointer<Int>, _ lse: UnsafeMutablePointer<T>, n: Int, k: Int
) -> T {
    let parts = Work.parts(n * k, grain: 1 << 15)
    var partial = SIMD8<T>()
    withUnsafeMutablePointer(to: &partial) { pp in
        let sums = UnsafeMutableRawPointer(pp).assumingMemoryBound(to: T.self)
        Work.run(parts) { part in
            var s: T = 0
            for i in Work.range(part, of: parts, n) {
                let row = z + i * k
                var m = row[0]
                for j in 1..<k { m = Swift.max(m, row[j]) }
                var total: T = 0
                for j in 0..<k { total += T.exp(row[j] - m) }
                lse[i] = m + T.log(total)
                s += lse[i] - row[labels[i]]
            }
            sums[part] = s
        }
    }
    var total: T = 0
    for p in 0..<parts { total += partial[p] }
    return total
}

/// `dz[i, j] (+)= c · (exp(z[i, j] − lse_i) − [j = y_i])`.
@_specialize(where T == Float)
@_specialize(where T == Double)
func crossEntropyBackward<T: TensorScalar>(
    _ z: UnsafePointer<T>, _ labels: UnsafePointer<Int>, _ lse: UnsafePointer<T>, _ c: T, _ dz: UnsafeMutablePointer<T>,
    n: Int, k: Int, accumulate: Bool
) {
    let parts = Work.parts(n * k, grain: 1 << 15)
    Work.run(parts) { part in
        for i in Work.range(part, of: parts, n) {
            let row = z + i * k, out = dz + i * k
            for j in 0..<k {
                let g = c * (T.exp(row[j] - lse[i]) - (j == labels[i] ? 1 : 0))
                out[j] = accumulate ? out[j] + g : g
            }
        }
    }
}
