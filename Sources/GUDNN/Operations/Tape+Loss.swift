extension Tape {
    /// The mean squared error `(1/n) Σ_i (prediction_i − target_i)²` over all n elements, as a rank-0 value.
    /// - Throws: `GUDError.shapeMismatch` when the shapes differ.
    public func meanSquaredError(_ prediction: Variable, _ target: Variable) throws -> Variable {
        guard prediction.extents == target.extents else {
            throw GUDError.shapeMismatch("mean squared error between \(prediction.extents) and \(target.extents); expected equal shapes")
        }
        let n = prediction.extents.count
        let needs = needsGradient(prediction, target)
        let (y, yp) = makeNode(Extents(), requiresGradient: needs)
        yp.pointee = squaredErrorSum(value(prediction), value(target), n) / Scalar(n)
        guard needs else { return y }
        record(y) { tape in
            let c = 2 * tape.outputGradient(y).pointee / Scalar(n)
            if let (dp, acc) = tape.gradientForAccumulation(prediction) {
                differenceKernel(tape.value(prediction), tape.value(target), c, dp, n, accumulate: acc)
            }
            if let (dt, acc) = tape.gradientForAccumulation(target) {
                differenceKernel(tape.value(prediction), tape.value(target), -c, dt, n, accumulate: acc)
            }
        }
        return y
    }
}

/// Σ (a − b)² (Σ a² when `b` is nil), summed in fixed parts in order.
@_specialize(where T == Float)
@_specialize(where T == Double)
func squaredErrorSum<T: TensorScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>?, _ n: Int) -> T {
    let parts = Work.parts(n, grain: 1 << 15)
    var partial = SIMD8<T>()
    withUnsafeMutablePointer(to: &partial) { pp in
        let sums = UnsafeMutableRawPointer(pp).assumingMemoryBound(to: T.self)
        Work.run(parts) { part in
            let r = Work.range(part, of: parts, n)
            var acc = SIMD8<T>()
            var i = r.lowerBound
            while i + 8 <= r.upperBound {
                let d = b.map { load8(a + i) - load8($0 + i) } ?? load8(a + i)
                acc += d * d
                i += 8
            }
            var s = acc.sum()
            while i < r.upperBound {
                let d = a[i] - (b?[i] ?? 0)
                s += d * d
                i += 1
            }
            sums[part] = s
        }
    }
    var total: T = 0
    for p in 0..<parts { total += partial[p] }
    return total
}

/// `d (+)= c · (a − b)`.
@_specialize(where T == Float)
@_specialize(where T == Double)
func differenceKernel<T: TensorScalar>(
    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ c: T, _ d: UnsafeMutablePointer<T>, _ n: Int, accumulate: Bool
) {
    let parts = Work.parts(n, grain: 1 << 15)
    Work.run(parts) { part in
        for i in Work.range(part, of: parts, n) {
            let v = c * (a[i] - b[i])
            d[i] = accumulate ? d[i] + v : v
        }
    }
}
