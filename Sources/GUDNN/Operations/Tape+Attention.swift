import GUDNumerics

extension Tape {
    /// Multi-head softmax self-attention on channel-major values (the core, without projections).
    ///
    /// For image n and head h (head dimension d = C / heads), with `Q, K, V ∈ ℝ^{d×L}` the rows
    /// `h·d ..< (h+1)·d` of the q, k and v blocks of `qkv`:
    /// `out_h = V · softmax(Kᵀ Q / √d)` column-wise, i.e. `out[:, i] = Σ_j A[i, j] V[:, j]` with
    /// `A[i, ·] = softmax_j(Q[:, i] · K[:, j] / √d)`. Heads are concatenated along the channels.
    ///
    /// - Parameters:
    ///   - qkv: `[3C, N, L]` (or `[3C, N, H, W]` with L = H·W): q in channels 0..<C, k in C..<2C,
    ///     v in 2C..<3C, as `split(qkv, 3)` of a C → 3C projection.
    ///   - heads: the number of heads; must divide C.
    /// - Returns: `[C, N, …]` with the spatial axes of `qkv`.
    /// - Throws: `GUDError.shapeMismatch` / `GUDError.invalidArgument` when the sizes do not fit.
    public func attention(_ qkv: Variable, heads: Int) throws -> Variable {
        let e = qkv.extents
        guard e.rank >= 2, e[0] % 3 == 0 else {
            throw GUDError.shapeMismatch("attention input has shape \(e); expected [3C, N, …]")
        }
        let c = e[0] / 3
        guard heads > 0, c % heads == 0 else {
            throw GUDError.invalidArgument("\(heads) attention heads do not divide \(c) channels")
        }
        let g = AttentionGeometry(channels: c, images: e[1], length: e.count / (e[0] * e[1]), heads: heads)
        let needs = needsGradient(qkv)
        let (y, yp) = makeNode(e.replacing(0, with: c), requiresGradient: needs)
        let (weightsHandle, weights) = allocate(g.images * heads * g.length * g.length)
        attentionForward(value(qkv), yp, weights, g)
        guard needs else {
            release(weightsHandle)
            return y
        }
        record(y, auxiliary: [weightsHandle]) { tape in
            guard let (dqkv, acc) = tape.gradientForAccumulation(qkv) else { return }
            tape.withScratch(g.parts * g.length * g.length) { s in
                attentionBackward(tape.value(qkv), UnsafePointer(weights), tape.outputGradient(y), dqkv, g, accumulate: acc, scratch: s)
            }
        }
        return y
    }
}

struct AttentionGeometry {
    let channels, images, length, heads: Int
    var headDimension: Int { channels / heads }
    /// The leading dimension of every [d, L] block: channel rows are N·L long.
    var rowLength: Int { images * length }
    var pairs: Int { images * heads }
    var parts: Int { Swift.min(Work.maxParts, pairs) }
}

/// Forward attention; `weights[(n·heads + h), i, j]` receives the softmax matrix A.
@_specialize(where T == Float)
@_specialize(where T == Double)
func attentionForward<T: TensorScalar>(
    _ qkv: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ weights: UnsafeMutablePointer<T>, _ g: AttentionGeometry
) {
    let d = g.headDimension, l = g.length, ld = g.rowLength
    let scale = 1 / T(d).squareRoot()
    let parts = g.parts
    Work.run(parts) { part in
        for pair in Work.range(part, of: parts, g.pairs) {
            let n = pair / g.heads, h = pair % g.heads
            let q = qkv + h * d * ld + n * l
            let k = q + g.channels * ld, v = k + g.channels * ld
            let a = weights + pair * l * l
            // S = scale · Qᵀ K, then softmax over each row.
            BLAS.gemm(transA: true, m: l, n: l, k: d, alpha: scale, a: q, lda: ld, b: k, ldb: ld, c: a, ldc: l)
            for i in 0..<l { softmaxRow(a + i * l, l) }
            // out = V · Aᵀ.
            BLAS.gemm(transB: true, m: d, n: l, k: l, a: v, lda: ld, b: a, ldb: l, c: out + h * d * ld + n * l, ldc: ld)
        }
    }
}

/// In-place softmax of `n` elements.
@_specialize(where T == Float)
@_specialize(where T == Double)
func softmaxRow<T: TensorScalar>(_ r: UnsafeMutablePointer<T>, _ n: Int) {
    var m = r[0]
    for j in 1..<Swift.max(n, 1) where r[j] > m { m = r[j] }
    var s: T = 0
    var j = 0
    while j < n {
        let c = Swift.min(8, n - j)
        let e = vexp(loadPartial(r + j, c) - m)
        storePartial(e, r + j, c)
        for i in 0..<c { s += e[i] }
        j += 8
    }
    let inv = 1 / s
    for j in 0..<n { r[j] *= inv }
}

/// Backward attention: `dV = dO·A`, `dA = dOᵀ V`, `dS = A ⊙ (dA − rowsum(dA ⊙ A))`,
/// `dQ = scale · K dSᵀ`, `dK = scale · Q dS`. `scratch` holds `parts · L²` elements.
@_specialize(where T == Float)
@_specialize(where T == Double)
func attentionBackward<T: TensorScalar>(
    _ qkv: UnsafePointer<T>, _ weights: UnsafePointer<T>, _ dout: UnsafePointer<T>, _ dqkv: UnsafeMutablePointer<T>,
    _ g: AttentionGeometry, accumulate: Bool, scratch: UnsafeMutablePointer<T>
) {
    let d = g.headDimension, l = g.length, ld = g.rowLength, c = g.channels
    let scale = 1 / T(d).squareRoot()
    let beta: T = accumulate ? 1 : 0
    let parts = g.parts
    Work.run(parts) { part in
        let ds = scratch + part * l * l
        for pair in Work.range(part, of: parts, g.pairs) {
            let n = pair / g.heads, h = pair % g.heads
            let off = h * d * ld + n * l
            let q = qkv + off, k = q + c * ld, v = k + c * ld
            let dq = dqkv + off, dk = dq + c * ld, dv = dk + c * ld
            let a = weights + pair * l * l
            let dO = dout + off
            BLAS.gemm(m: d, n: l, k: l, a: dO, lda: ld, b: a, ldb: l, beta: beta, c: dv, ldc: ld)
            BLAS.gemm(transA: true, m: l, n: l, k: d, a: dO, lda: ld, b: v, ldb: ld, c: ds, ldc: l)
            for i in 0..<l {
                let ai = a + i * l, di = ds + i * l
                var dot: T = 0
                for j in 0..<l { dot += ai[j] * di[j] }
                for j in 0..<l { di[j] = ai[j] * (di[j] - dot) }
            }
            BLAS.gemm(transB: true, m: d, n: l, k: l, alpha: scale, a: k, lda: ld, b: ds, ldb: l, beta: beta, c: dq, ldc: ld)
            BLAS.gemm(m: d, n: l, k: l, alpha: scale, a: q, lda: ld, b: ds, ldb: l, beta: beta, c: dk, ldc: ld)
        }
    }
}
