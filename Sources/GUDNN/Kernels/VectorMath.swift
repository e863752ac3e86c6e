/// SIMD helpers for the kernels: unaligned 8-lane loads and stores and a vectorised exponential.

@inline(__always)
func load8<T: TensorScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
}

@inline(__always)
func load8<T: TensorScalar>(_ p: UnsafeMutablePointer<T>) -> SIMD8<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
}

@inline(__always)
func store8<T: TensorScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self)
}

/// Loads `count` ≤ 8 elements, zero-filling the rest.
@inline(__always)
func loadPartial<T: TensorScalar>(_ p: UnsafePointer<T>, _ count: Int) -> SIMD8<T> {
    if count == 8 { return load8(p) }
    var v = SIMD8<T>()
    for i in 0..<count { v[i] = p[i] }
    return v
}

/// Stores the first `count` ≤ 8 lanes.
@inline(__always)
func storePartial<T: TensorScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>, _ count: Int) {
    if count == 8 { store8(v, p); return }
    for i in 0..<count { p[i] = v[i] }
}

/// e^x lane-wise. For `Float`: Cephes' `expf` polynomial (relative error ≈ 2 ulp) with the argument
/// clamped to [−87.3, 88]; for `Double`: the platform `exp` per lane.
@inline(__always)
func vexp<T: TensorScalar>(_ v: SIMD8<T>) -> SIMD8<T> {
    if T.self == Float.self {
        return unsafeBitCast(fastExp(unsafeBitCast(v, to: SIMD8<Float>.self)), to: SIMD8<T>.self)
    }
    var r = v
    for i in 0..<8 { r[i] = T.exp(v[i]) }
    return r
}

/// e^x for one scalar with the same accuracy as ``vexp(_:)``.
@inline(__always)
func sexp<T: TensorScalar>(_ x: T) -> T {
    if T.self == Float.self { return vexp(SIMD8<T>(repeating: x))[0] }
    return T.exp(x)
}

@inline(__always)
func fastExp(_ v: SIMD8<Float>) -> SIMD8<Float> {
    let lo = SIMD8<Float>(repeating: -87.3), hi = SIMD8<Float>(repeating: 88.0)
    let x = v.replacing(with: lo, where: v .< lo).replacing(with: hi, where: v .> hi)
    // n = round(x / ln 2) via the 1.5·2²³ trick; its integer value sits in the low mantissa bits of t.
    let t = x * 1.44269504088896341 + 12582912.0
    let n = t - 12582912.0
    let r = x - n * 0.693359375 + n * 2.12194440e-4
    var p = SIMD8<Float>(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let y = p * r * r + r + 1
    let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((ni &+ 127) &<< 23, to: SIMD8<Float>.self)
    return y * scale
}

/// The logistic sigmoid 1 / (1 + e^−x) lane-wise.
@inline(__always)
func vsigmoid<T: TensorScalar>(_ x: SIMD8<T>) -> SIMD8<T> {
    1 / (1 + vexp(-x))
}

/// The logistic sigmoid of one scalar.
@inline(__always)
func ssigmoid<T: TensorScalar>(_ x: T) -> T {
    1 / (1 + sexp(-x))
}

/// Σ p[0..<n].
@_specialize(where T == Float)
@_specialize(where T == Double)
func rowSum<T: TensorScalar>(_ p: UnsafePointer<T>, _ n: Int) -> T {
    var acc = SIMD8<T>()
    var i = 0
    while i + 8 <= n {
        acc += load8(p + i)
        i += 8
    }
    var s = acc.sum()
    while i < n {
        s += p[i]
        i += 1
    }
    return s
}

/// `dst[i] += src[i]` for i < n.
@_specialize(where T == Float)
@_specialize(where T == Double)
func addInPlace<T: TensorScalar>(_ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ n: Int) {
    for i in 0..<n { dst[i] += src[i] }
}

