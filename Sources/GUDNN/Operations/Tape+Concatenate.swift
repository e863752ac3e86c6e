extension Tape {
    /// `a` and `b` joined along `axis`; all other extents must agree. For channel-major images
    /// `[C, N, H, W]`, axis 0 concatenates channels.
    /// - Throws: `GUDError.shapeMismatch` when ranks or the other extents differ.
    public func concatenate(_ a: Variable, _ b: Variable, axis: Int) throws -> Variable {
        let ea = a.extents, eb = b.extents
        guard ea.rank == eb.rank, axis >= 0, axis < ea.rank,
            (0..<ea.rank).allSatisfy({ $0 == axis || ea[$0] == eb[$0] })
        else {
            throw GUDError.shapeMismatch("cannot concatenate \(ea) and \(eb) along axis \(axis); expected equal ranks and equal extents off that axis")
        }
        let outer = (0..<axis).reduce(1) { $0 * ea[$1] }
        let inner = ((axis + 1)..<ea.rank).reduce(1) { $0 * ea[$1] }
        let la = ea[axis] * inner, lb = eb[axis] * inner
        let needs = needsGradient(a, b)
        let (y, yp) = makeNode(ea.replacing(axis, with: ea[axis] + eb[axis]), requiresGradient: needs)
        concatKernel(value(a), value(b), yp, outer: outer, la: la, lb: lb)
        guard needs else { return y }
        record(y) { tape in
            let dy = tape.outputGradient(y)
            if let (da, acc) = tape.gradientForAccumulation(a) {
                sliceKernel(dy, da, outer: outer, offset: 0, length: la, stride: la + lb, accumulate: acc)
            }
            if let (db, acc) = tape.gradientForAccumulation(b) {
                sliceKernel(dy, db, outer: outer, offset: la, length: lb, stride: la + lb, accumulate: acc)
            }
        }
        return y
    }
}

/// `y[o] = [a[o] | b[o]]` for each of `outer` blocks of lengths `la` and `lb`.
@_specialize(where T == Float)
@_specialize(where T == Double)
func concatKernel<T: TensorScalar>(
    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, outer: Int, la: Int, lb: Int
) {
    let parts = Work.parts(outer * (la + lb), grain: 1 << 16) > 1 ? Swift.min(outer, Work.maxParts) : 1
    Work.run(parts) { part in
        for o in Work.range(part, of: parts, outer) {
            (y + o * (la + lb)).update(from: a + o * la, count: la)
            (y + o * (la + lb) + la).update(from: b + o * lb, count: lb)
        }
    }
}

/// `d[o] (+)= src[o·stride + offset ..< + length]` for each of `outer` blocks.
@_specialize(where T == Float)
@_specialize(where T == Double)
func sliceKernel<T: TensorScalar>(
    _ src: UnsafePointer<T>, _ d: UnsafeMutablePointer<T>, outer: Int, offset: Int, length: Int, stride: Int,
    accumulate: Bool
) {
    let parts = Work.parts(outer * length, grain: 1 << 16) > 1 ? Swift.min(outer, Work.maxParts) : 1
    Work.run(parts) { part in
        for o in Work.range(part, of: parts, outer) {
            let s = src + o * stride + offset, t = d + o * length
            if accumulate {
                for i in 0..<length { t[i] += s[i] }
            } else {
                t.update(from: s, count: length)
            }
        }
    }
}
