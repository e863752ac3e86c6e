import CBLAS

/// OpenBLAS configuration and the raw-pointer entry points used by the hot loops of the framework.
public enum BLAS {
    /// The number of threads OpenBLAS uses for one call (`openblas_get_num_threads`).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of OpenBLAS threads (`openblas_set_num_threads`).
    ///
    /// Results of a BLAS call can change in the last bits with the thread count (different reduction
    /// order), so tests pin it to 1 (also via the environment variable `OPENBLAS_NUM_THREADS=1`).
    public static func setThreadCount(_ n: Int) {
        openblas_set_num_threads(Int32(Swift.max(1, n)))
    }

    /// `C ← α op(A) op(B) + β C` on row-major matrices; `op(A)` is m×k and `op(B)` is k×n.
    /// Leading dimensions default to the dense ones. Nothing is checked beyond 32-bit extents.
    @inlinable
    public static func gemm<S: TensorScalar>(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: S = 1, a: UnsafePointer<S>, lda: Int? = nil,
        b: UnsafePointer<S>, ldb: Int? = nil,
        beta: S = 0, c: UnsafeMutablePointer<S>, ldc: Int? = nil
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // BLAS with k = 0 scales C by β; do it here so that β = 0 also clears NaN.
            let ldcV = ldc ?? n
            for i in 0..<m { for j in 0..<n { c[i * ldcV + j] = beta == 0 ? 0 : beta * c[i * ldcV + j] } }
            return
        }
        S.blasGemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda ?? (transA ? m : k), b: b, ldb: ldb ?? (transB ? k : n),
            beta: beta, c: c, ldc: ldc ?? n)
    }
}
