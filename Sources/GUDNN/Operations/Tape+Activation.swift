/// An element-wise activation that operations can apply to their result (fused epilogue).
public enum Activation: String, Codable, Sendable {
    /// f(z) = z.
    case identity
    /// f(z) = z·σ(z) with σ the logistic sigmoid (also called swish).
    case silu
}

extension Tape {
    /// SiLU(x) = x·σ(x), element-wise on a value of any shape.
    public func silu(_ x: Variable) -> Variable {
        let needs = needsGradient(x)
        let (y, yp) = makeNode(x.extents, requiresGradient: needs)
        let n = x.extents.count
        siluForward(value(x), yp, n)
        guard needs else { return y }
        record(y) { tape in
            guard let (dx, acc) = tape.gradientForAccumulation(x) else { return }
            siluBackward(tape.value(x), tape.outputGradient(y), dx, n, accumulate: acc)
        }
        return y
    }
}

/// `y = x·σ(x)`.
@_specialize(where T == Float)
@_specialize(where T == Double)
func siluForward<T: TensorScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
    let parts = Work.parts(n, grain: 1 << 15)
    Work.run(parts) { part in
        let r = Work.range(part, of: parts, n)
        var i = r.lowerBound
        while i + 8 <= r.upperBound {
            let v = load8(x + i)
            store8(v * vsigmoid(v), y + i)
            i += 8
        }
        while i < r.upperBound {
            y[i] = x[i] * ssigmoid(x[i])
            i += 1
        }
    }
}

/// `dx (+)= dy · σ(x)·(1 + x·(1 − σ(x)))`.
@_specialize(where T == Float)
@_specialize(where T == Double)
func siluBackward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>, _ n: Int, accumulate: Bool
) {
    let parts = Work.parts(n, grain: 1 << 15)
    Work.run(parts) { part in
        let r = Work.range(part, of: parts, n)
        var i = r.lowerBound
        while i + 8 <= r.upperBound {
            let v = load8(x + i)
            let s = vsigmoid(v)
            var g = load8(dy + i) * s * (1 + v * (1 - s))
            if accumulate { g += load8(dx + i) }
            store8(g, dx + i)
            i += 8
        }
        while i < r.upperBound {
            let s = ssigmoid(x[i])
            let g = dy[i] * s * (1 + x[i] * (1 - s))
            dx[i] = accumulate ? dx[i] + g : g
            i += 1
        }
    }
}

/// The derivative factor of an activation at pre-activation z, and its value.
@inline(__always)
func activate<T: TensorScalar>(_ z: SIMD8<T>, _ a: Activation) -> (value: SIMD8<T>, slope: SIMD8<T>) {
    switch a {
    case .identity:
        return (z, SIMD8(repeating: 1))
    case .silu:
        let s = vsigmoid(z)
        return (z * s, s * (1 + z * (1 - s)))
    }
}

/// `z += b; y = f(z)` over `n` elements (in place when `y == z`).
@_specialize(where T == Float)
@_specialize(where T == Double)
func biasActivate<T: TensorScalar>(_ z: UnsafeMutablePointer<T>, _ b: T, _ y: UnsafeMutablePointer<T>, _ n: Int, _ a: Activation) {
    if a == .identity && b == 0 && z == y { return }
    var i = 0
    while i < n {
        let k = Swift.min(8, n - i)
        let v = loadPartial(z + i, k) + b
        if z != y { storePartial(v, z + i, k) }
        storePartial(activate(v, a).value, y + i, k)
        i += 8
    }
}

/// `dz (=)= dy · f′(z)` over `n` elements, with the parts spread over the cores.
@_specialize(where T == Float)
@_specialize(where T == Double)
func activationBackward<T: TensorScalar>(
    _ z: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dz: UnsafeMutablePointer<T>, _ n: Int, _ a: Activation
) {
    let parts = Work.parts(n, grain: 1 << 15)
    Work.run(parts) { part in
        let r = Work.range(part, of: parts, n)
        var i = r.lowerBound
        while i < r.upperBound {
            let k = Swift.min(8, r.upperBound - i)
            storePartial(loadPartial(dy + i, k) * activate(loadPartial(z + i, k), a).slope, dz + i, k)
            i += 8
        }
    }
}
