extension Tape {
    /// The same elements with another shape of equal element count (no copy).
    /// - Throws: `GUDError.shapeMismatch` when the counts differ.
    public func reshape(_ x: Variable, _ extents: Extents) throws -> Variable {
        guard extents.count == x.extents.count else {
            throw GUDError.shapeMismatch("cannot reshape \(x.extents) (\(x.extents.count) elements) to \(extents)")
        }
        let needs = needsGradient(x)
        let y = makeAlias(of: x, extents: extents, requiresGradient: needs)
        guard needs else { return y }
        let n = extents.count
        record(y) { tape in
            guard let (dx, acc) = tape.gradientForAccumulation(x) else { return }
            scaleKernel(tape.outputGradient(y), 1, dx, n, accumulate: acc)
        }
        return y
    }

    /// The axes reordered: axis k of the result is axis `axes[k]` of `x` (rank ≤ 4).
    /// - Throws: `GUDError.invalidArgument` when `axes` is not a permutation of the axes of `x`.
    public func transpose(_ x: Variable, axes: [Int]) throws -> Variable {
        let r = x.extents.rank
        guard axes.count == r, axes.sorted() == Array(0..<r) else {
            throw GUDError.invalidArgument("\(axes) is not a permutation of the \(r) axes of \(x.extents)")
        }
        var p = [0, 1, 2, 3]
        for k in 0..<r { p[4 - r + k] = 4 - r + axes[k] }
        return permute(x, Permutation(p[0], p[1], p[2], p[3]))
    }

    /// ``transpose(_:axes:)`` with the permutation given on rank-4 padded axes (no allocation).
    func permute(_ x: Variable, _ perm: Permutation) -> Variable {
        let plan = PermutePlan(x.extents, perm)
        let needs = needsGradient(x)
        let (y, yp) = makeNode(plan.output, requiresGradient: needs)
        permuteKernel(value(x), yp, plan, inverse: false, accumulate: false)
        guard needs else { return y }
        record(y) { tape in
            guard let (dx, acc) = tape.gradientForAccumulation(x) else { return }
            permuteKernel(tape.outputGradient(y), dx, plan, inverse: true, accumulate: acc)
        }
        return y
    }
}

/// A permutation of four axes: output axis k is input axis `p.k`.
struct Permutation {
    let p0, p1, p2, p3: Int
    init(_ a: Int, _ b: Int, _ c: Int, _ d: Int) { p0 = a; p1 = b; p2 = c; p3 = d }
    subscript(i: Int) -> Int { i == 0 ? p0 : i == 1 ? p1 : i == 2 ? p2 : p3 }
}

/// Output extents and the input strides read along each output axis.
struct PermutePlan {
    let output: Extents
    let out: (Int, Int, Int, Int)
    let stride: (Int, Int, Int, Int)

    init(_ input: Extents, _ perm: Permutation) {
        let e = input.paddedToFour
        func extent(_ i: Int) -> Int { i == 0 ? e.0 : i == 1 ? e.1 : i == 2 ? e.2 : e.3 }
        func step(_ i: Int) -> Int { i == 0 ? e.1 * e.2 * e.3 : i == 1 ? e.2 * e.3 : i == 2 ? e.3 : 1 }
        out = (extent(perm[0]), extent(perm[1]), extent(perm[2]), extent(perm[3]))
        stride = (step(perm[0]), step(perm[1]), step(perm[2]), step(perm[3]))
        output = Extents.suffix(out, rank: input.rank)
    }
}

/// `y[o] = x[src(o)]`, or with `inverse` the scatter `x[src(o)] (+)= y[o]` (here `x` is the destination).
@_specialize(where T == Float)
@_specialize(where T == Double)
func permuteKernel<T: TensorScalar>(
    _ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ p: PermutePlan, inverse: Bool, accumulate: Bool
) {
    var o = 0
    for i0 in 0..<p.out.0 {
        for i1 in 0..<p.out.1 {
            for i2 in 0..<p.out.2 {
                let base = i0 * p.stride.0 + i1 * p.stride.1 + i2 * p.stride.2
                for i3 in 0..<p.out.3 {
                    let s = base + i3 * p.stride.3
                    if inverse {
                        dst[s] = accumulate ? dst[s] + src[o] : src[o]
                    } else {
                        dst[o] = src[s]
                    }
                    o += 1
                }
            }
        }
    }
}
