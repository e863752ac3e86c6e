/// Matrix products of tensors through BLAS.
extension Tensor {
    /// The matrix product `op(a) · op(b)`, batched over leading axes.
    ///
    /// - `a` has shape (…, M, K) — or (…, K, M) when `transposeA` — and `b` has shape (…, K, N) — or
    ///   (…, N, K) when `transposeB`. Rank-2 operands are matrices.
    /// - Leading (batch) axes must be equal, or one operand may be a plain matrix, which is then used
    ///   for every batch element (broadcast).
    /// - Result: (…, M, N). Each batch element is one `?gemm` call.
    /// - Throws: ``GUDError/shapeMismatch(_:)`` naming both shapes when they do not fit.
    public static func matmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
    ) throws -> Tensor {
        guard a.rank >= 2, b.rank >= 2 else {
            throw GUDError.shapeMismatch("matmul needs operands of rank ≥ 2, got \(a.shape) and \(b.shape)")
        }
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeB ? (bc, br) : (br, bc)
        guard k == k2 else {
            throw GUDError.shapeMismatch(
                "matmul of \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : ""): inner extents \(k) and \(k2) differ")
        }
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        let batchShape: [Int]
        if aBatch == bBatch || bBatch.isEmpty { batchShape = aBatch }
        else if aBatch.isEmpty { batchShape = bBatch }
        else {
            throw GUDError.shapeMismatch("matmul batch axes \(aBatch) and \(bBatch) differ; expected equal, or one operand a matrix")
        }
        let batch = batchShape.reduce(1, *)
        var out = Tensor(shape: batchShape + [m, n])
        let aStep = aBatch.isEmpty ? 0 : ar * ac
        let bStep = bBatch.isEmpty ? 0 : br * bc
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                out.withUnsafeMutableBufferPointer { cb in
                    guard let ap = ab.baseAddress, let bp = bb.baseAddress, let cp = cb.baseAddress else { return }
                    for i in 0..<batch {
                        BLAS.gemm(
                            transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                            a: ap + i * aStep, lda: ac, b: bp + i * bStep, ldb: bc,
                            c: cp + i * m * n, ldc: n)
                    }
                }
            }
        }
        return out
    }

    /// The matrix–vector product `op(a) · x` of a matrix (M, N) with a vector: (N) → (M), or with
    /// `transposeA` (M) → (N). Uses `?gemv`.
    public static func matvec(_ a: Tensor, _ x: Tensor, transposeA: Bool = false) throws -> Tensor {
        guard a.rank == 2, x.rank == 1 else {
            throw GUDError.shapeMismatch("matvec needs a matrix and a vector, got \(a.shape) and \(x.shape)")
        }
        let (m, n) = (a.shape[0], a.shape[1])
        let (inN, outN) = transposeA ? (m, n) : (n, m)
        guard x.shape[0] == inN else {
            throw GUDError.shapeMismatch("matvec of \(a.shape)\(transposeA ? "ᵀ" : "") with a vector of \(x.shape[0]); expected \(inN)")
        }
        var y = Tensor(shape: [outN])
        guard outN > 0 else { return y }
        if inN == 0 { return y }
        a.withUnsafeBufferPointer { ab in
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeMutableBufferPointer { yb in
                    Scalar.blasGemv(
                        transA: transposeA, m: m, n: n, alpha: 1, a: ab.baseAddress!, lda: n,
                        x: xb.baseAddress!, incx: 1, beta: 0, y: yb.baseAddress!, incy: 1)
                }
            }
        }
        return y
    }
}
