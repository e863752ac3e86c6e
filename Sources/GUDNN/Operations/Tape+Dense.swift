import GUDNumerics

extension Tape {
    /// A dense (fully connected) layer on rows: `y[n, o] = b[o] + Σ_i x[n, i] · w[i, o]`.
    ///
    /// - Parameters:
    ///   - x: `[N, In]`.
    ///   - weight: `[In, Out]` (as flax stores it).
    ///   - bias: `[Out]`, or `nil`.
    /// - Returns: `[N, Out]`.
    /// - Throws: `GUDError.shapeMismatch` when the shapes do not fit.
    public func dense(_ x: Variable, weight: Parameter, bias: Parameter?) throws -> Variable {
        let xe = x.extents, we = weight.extents
        guard we.rank == 2, xe.rank == 2, xe[1] == we[0] else {
            throw GUDError.shapeMismatch("dense layer with weight \(we) applied to \(xe); expected weight [In, Out] and input [N, In]")
        }
        let (n, fin, fout) = (xe[0], we[0], we[1])
        if let bias, bias.extents != Extents(fout) {
            throw GUDError.shapeMismatch("dense bias has shape \(bias.extents); expected [\(fout)]")
        }
        let needs = needsGradient(x, usesParameters: true)
        let (y, yp) = makeNode(Extents(n, fout), requiresGradient: needs)
        denseForward(value(x), parameterValue(weight), bias.map { UnsafePointer(parameterValue($0)) }, yp, n: n, fin: fin, fout: fout)
        guard needs else { return y }
        record(y) { tape in
            let dy = tape.outputGradient(y)
            let w = tape.parameterValue(weight)
            if let dw = tape.parameterGradient(weight) {
                denseBackwardWeight(tape.value(x), dy, dw, n: n, fin: fin, fout: fout)
            }
            if let bias, let db = tape.parameterGradient(bias) {
                addColumnSums(dy, rows: n, columns: fout, into: db)
            }
            if let (dx, acc) = tape.gradientForAccumulation(x) {
                denseBackwardInput(w, dy, dx, n: n, fin: fin, fout: fout, accumulate: acc)
            }
        }
        return y
    }
}

/// Dense products of at least 2²⁰ multiply-adds are split into two blocks of `splitting` rows (a count
/// that depends only on the sizes); smaller ones run on one thread.
func denseParts(_ n: Int, _ fin: Int, _ fout: Int, splitting rows: Int) -> Int {
    n * fin * fout < 1 << 20 ? 1 : Swift.min(Work.parts(rows, grain: 16), 2)
}

/// `y = x·w + b` with rows split over the cores.
@_specialize(where T == Float)
@_specialize(where T == Double)
func denseForward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ b: UnsafePointer<T>?, _ y: UnsafeMutablePointer<T>,
    n: Int, fin: Int, fout: Int
) {
    let parts = denseParts(n, fin, fout, splitting: n)
    Work.run(parts) { part in
        let r = Work.range(part, of: parts, n)
        if let b {
            for i in r { (y + i * fout).update(from: b, count: fout) }
        }
        BLAS.gemm(
            m: r.count, n: fout, k: fin, a: x + r.lowerBound * fin, b: w,
            beta: b == nil ? 0 : 1, c: y + r.lowerBound * fout)
    }
}

/// `dw += xᵀ·dy`, with the rows of `dw` (input features) split over the cores.
@_specialize(where T == Float)
@_specialize(where T == Double)
func denseBackwardWeight<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dw: UnsafeMutablePointer<T>, n: Int, fin: Int, fout: Int
) {
    let parts = denseParts(n, fin, fout, splitting: fin)
    Work.run(parts) { part in
        let r = Work.range(part, of: parts, fin)
        BLAS.gemm(
            transA: true, m: r.count, n: fout, k: n, a: x + r.lowerBound, lda: fin, b: dy,
            beta: 1, c: dw + r.lowerBound * fout)
    }
}

/// `dx (+)= dy·wᵀ`, rows split over the cores.
@_specialize(where T == Float)
@_specialize(where T == Double)
func denseBackwardInput<T: TensorScalar>(
    _ w: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>, n: Int, fin: Int, fout: Int,
    accumulate: Bool
) {
    let parts = denseParts(n, fin, fout, splitting: n)
    Work.run(parts) { part in
        let r = Work.range(part, of: parts, n)
        BLAS.gemm(
            transB: true, m: r.count, n: fin, k: fout, a: dy + r.lowerBound * fout, lda: fout, b: w, ldb: fout,
            beta: accumulate ? 1 : 0, c: dx + r.lowerBound * fin)
    }
}

/// `sums[j] += Σ_i m[i, j]` for a row-major `rows × columns` matrix.
@_specialize(where T == Float)
@_specialize(where T == Double)
func addColumnSums<T: TensorScalar>(_ m: UnsafePointer<T>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<T>) {
    for i in 0..<rows {
        let row = m + i * columns
        for j in 0..<columns { sums[j] += row[j] }
    }
}
