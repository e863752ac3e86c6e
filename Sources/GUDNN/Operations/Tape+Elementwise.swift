extension Tape {
    /// `a + b` with numpy broadcasting (shapes aligned on the right; an extent of 1 repeats).
    /// - Throws: `GUDError.shapeMismatch` when the shapes do not broadcast.
    public func add(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(a, b, .add)
    }

    /// `a − b` with numpy broadcasting.
    public func subtract(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(a, b, .subtract)
    }

    /// `a ⊙ b` (element-wise product) with numpy broadcasting.
    public func multiply(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(a, b, .multiply)
    }

    /// `c · x` for a constant scalar c.
    public func scale(_ x: Variable, by c: Scalar) -> Variable {
        let needs = needsGradient(x)
        let (y, yp) = makeNode(x.extents, requiresGradient: needs)
        let n = x.extents.count
        scaleKernel(value(x), c, yp, n, accumulate: false)
        guard needs else { return y }
        record(y) { tape in
            guard let (dx, acc) = tape.gradientForAccumulation(x) else { return }
            scaleKernel(tape.outputGradient(y), c, dx, n, accumulate: acc)
        }
        return y
    }

    private func binary(_ a: Variable, _ b: Variable, _ op: BinaryOperation) throws -> Variable {
        let plan = try BroadcastPlan(a.extents, b.extents)
        let needs = needsGradient(a, b)
        let (y, yp) = makeNode(plan.output, requiresGradient: needs)
        broadcastForward(value(a), value(b), yp, plan, op)
        guard needs else { return y }
        record(y) { tape in
            let dy = tape.outputGradient(y)
            if let (da, acc) = tape.gradientForAccumulation(a) {
                broadcastBackward(dy, other: tape.value(b), da, plan, op, first: true, accumulate: acc)
            }
            if let (db, acc) = tape.gradientForAccumulation(b) {
                broadcastBackward(dy, other: tape.value(a), db, plan, op, first: false, accumulate: acc)
            }
        }
        return y
    }
}

enum BinaryOperation {
    case add, subtract, multiply
}

/// How two shapes broadcast: both padded to rank 4; strides are 0 along repeated axes.
struct BroadcastPlan {
    let output: Extents
    let out: (Int, Int, Int, Int)
    let strideA: (Int, Int, Int, Int)
    let strideB: (Int, Int, Int, Int)
    let sameShape: Bool

    init(_ a: Extents, _ b: Extents) throws {
        let ea = a.paddedToFour, eb = b.paddedToFour
        func combine(_ x: Int, _ y: Int) -> Int? { x == y || y == 1 ? x : x == 1 ? y : nil }
        guard let o0 = combine(ea.0, eb.0), let o1 = combine(ea.1, eb.1), let o2 = combine(ea.2, eb.2),
            let o3 = combine(ea.3, eb.3)
        else {
            throw GUDError.shapeMismatch("shapes \(a) and \(b) do not broadcast; expected equal extents or 1 on every right-aligned axis")
        }
        func strides(_ e: (Int, Int, Int, Int)) -> (Int, Int, Int, Int) {
            (e.0 == 1 ? 0 : e.1 * e.2 * e.3, e.1 == 1 ? 0 : e.2 * e.3, e.2 == 1 ? 0 : e.3, e.3 == 1 ? 0 : 1)
        }
        out = (o0, o1, o2, o3)
        output = Extents.suffix(out, rank: Swift.max(a.rank, b.rank))
        strideA = strides(ea)
        strideB = strides(eb)
        sameShape = a == b
    }
}

@inline(__always)
func apply<T: TensorScalar>(_ a: T, _ b: T, _ op: BinaryOperation) -> T {
    switch op {
    case .add: return a + b
    case .subtract: return a - b
    case .multiply: return a * b
    }
}

/// `y = a ∘ b` with broadcasting.
@_specialize(where T == Float)
@_specialize(where T == Double)
func broadcastForward<T: TensorScalar>(
    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ p: BroadcastPlan, _ op: BinaryOperation
) {
    if p.sameShape {
        let n = p.output.count
        let parts = Work.parts(n, grain: 1 << 15)
        Work.run(parts) { part in
            for i in Work.range(part, of: parts, n) { y[i] = apply(a[i], b[i], op) }
        }
        return
    }
    var o = 0
    for i0 in 0..<p.out.0 {
        for i1 in 0..<p.out.1 {
            for i2 in 0..<p.out.2 {
                let ba = i0 * p.strideA.0 + i1 * p.strideA.1 + i2 * p.strideA.2
                let bb = i0 * p.strideB.0 + i1 * p.strideB.1 + i2 * p.strideB.2
                for i3 in 0..<p.out.3 {
                    y[o] = apply(a[ba + i3 * p.strideA.3], b[bb + i3 * p.strideB.3], op)
                    o += 1
                }
            }
        }
    }
}

/// The gradient of `a ∘ b` with respect to `a` (`first`) or `b`, summed over broadcast axes.
@_specialize(where T == Float)
@_specialize(where T == Double)
func broadcastBackward<T: TensorScalar>(
    _ dy: UnsafePointer<T>, other: UnsafePointer<T>, _ d: UnsafeMutablePointer<T>, _ p: BroadcastPlan,
    _ op: BinaryOperation, first: Bool, accumulate: Bool
) {
    let sign: T = (op == .subtract && !first) ? -1 : 1
    if p.sameShape {
        let n = p.output.count
        let parts = Work.parts(n, grain: 1 << 15)
        Work.run(parts) { part in
            for i in Work.range(part, of: parts, n) {
                let g = op == .multiply ? dy[i] * other[i] : sign * dy[i]
                d[i] = accumulate ? d[i] + g : g
            }
        }
        return
    }
    let (sd, so) = first ? (p.strideA, p.strideB) : (p.strideB, p.strideA)
    if !accumulate {
        let n = (sd.0 == 0 ? 1 : p.out.0) * (sd.1 == 0 ? 1 : p.out.1) * (sd.2 == 0 ? 1 : p.out.2) * (sd.3 == 0 ? 1 : p.out.3)
        d.update(repeating: 0, count: n)
    }
    var o = 0
    for i0 in 0..<p.out.0 {
        for i1 in 0..<p.out.1 {
            for i2 in 0..<p.out.2 {
                let bd = i0 * sd.0 + i1 * sd.1 + i2 * sd.2
                let bo = i0 * so.0 + i1 * so.1 + i2 * so.2
                for i3 in 0..<p.out.3 {
                    let g = op == .multiply ? dy[o] * other[bo + i3 * so.3] : sign * dy[o]
                    d[bd + i3 * sd.3] += g
                    o += 1
                }
            }
        }
    }
}

/// `y (+)= c · x`.
@_specialize(where T == Float)
@_specialize(where T == Double)
func scaleKernel<T: TensorScalar>(_ x: UnsafePointer<T>, _ c: T, _ y: UnsafeMutablePointer<T>, _ n: Int, accumulate: Bool) {
    let parts = Work.parts(n, grain: 1 << 15)
    Work.run(parts) { part in
        for i in Work.range(part, of: parts, n) { y[i] = accumulate ? y[i] + c * x[i] : c * x[i] }
    }
}
