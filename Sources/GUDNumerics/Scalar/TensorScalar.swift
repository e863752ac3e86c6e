import CBLAS
import CFFTW
import CLAPACKE
import RealModule

/// The element type of a ``Tensor``: `Float` or `Double`.
///
/// Beyond the arithmetic of `Real` (from swift-numerics) the protocol carries the *precision dispatch*
/// to the C libraries: each requirement calls the single- or double-precision routine of OpenBLAS,
/// LAPACKE or FFTW. These hooks take raw pointers and check nothing; use the checked wrappers
/// (``BLAS``, ``SymmetricEigendecomposition``, ``FFT``) instead of calling them directly.
public protocol TensorScalar: Real, BinaryFloatingPoint, SIMDScalar, Sendable, Codable,
    LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
    /// The storage type name used in files: `"F32"` or `"F64"` (the safetensors spelling).
    static var dtypeName: String { get }

    /// `C ← α op(A) op(B) + β C`, row-major (`cblas_?gemm`). `op(A)` is m×k, `op(B)` is k×n.
    static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// `y ← α op(A) x + β y`, row-major (`cblas_?gemv`); A is m×n as stored.
    static func blasGemv(
        transA: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, incx: Int, beta: Self, y: UnsafeMutablePointer<Self>, incy: Int)

    /// `y ← α x + y` over `n` elements (`cblas_?axpy`).
    static func blasAxpy(n: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// Σ xᵢ yᵢ over `n` elements (`cblas_?dot`).
    static func blasDot(n: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self

    /// Symmetric eigendecomposition, row-major, upper triangle read (`LAPACKE_?syevd`, jobz = "V").
    /// On return `a` holds the eigenvectors as columns and `w` the eigenvalues in ascending order.
    /// Returns LAPACK's `info`.
    static func lapackSyevd(n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>) -> Int

    /// Creates an FFTW complex-to-complex plan (`fftw[f]_plan_guru_dft`). Pointers are interleaved complex.
    static func fftwPlanGuru(
        dims: [fftw_iodim], howManyDims: [fftw_iodim],
        input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>,
        sign: Int32, flags: UInt32) -> OpaquePointer?

    /// Executes a plan of this precision on new arrays (`fftw[f]_execute_dft`).
    static func fftwExecute(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Self>, output: UnsafeMutablePointer<Self>)

    /// Destroys a plan of this precision (`fftw[f]_destroy_plan`). Not thread-safe: call under the planner lock.
    static func fftwDestroy(_ plan: OpaquePointer)
}

@inline(__always)
@usableFromInline
func blasInt(_ v: Int) -> blasint {
    precondition(v >= 0 && v <= Int(Int32.max), "BLAS dimension \(v) does not fit a 32-bit BLAS integer")
    return blasint(v)
}

@inline(__always)
private func trans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

/// `Float` tensors use the single-precision routines (`sgemm`, `ssyevd`, `fftwf_*`).
extension Float: TensorScalar {
    public static var dtypeName: String { "F32" }

    public static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, trans(transA), trans(transB), blasInt(m), blasInt(n), blasInt(k),
            alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }

    public static func blasGemv(
        transA: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, incx: Int, beta: Float, y: UnsafeMutablePointer<Float>, incy: Int
    ) {
        cblas_sgemv(
            CblasRowMajor, trans(transA), blasInt(m), blasInt(n), alpha, a, blasInt(lda),
            x, blasInt(incx), beta, y, blasInt(incy))
    }

    public static func blasAxpy(n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasInt(n), alpha, x, 1, y, 1)
    }

    public static func blasDot(n: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
        cblas_sdot(blasInt(n), x, 1, y, 1)
    }

    public static func lapackSyevd(n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>) -> Int {
        Int(LAPACKE_ssyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                           Int32(n), a, Int32(n), w))
    }

    public static func fftwPlanGuru(
        dims: [fftw_iodim], howManyDims: [fftw_iodim],
        input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        sign: Int32, flags: UInt32
    ) -> OpaquePointer? {
        input.withMemoryRebound(to: fftwf_complex.self, capacity: 1) { i in
            output.withMemoryRebound(to: fftwf_complex.self, capacity: 1) { o in
                fftwf_plan_guru_dft(
                    Int32(dims.count), dims, Int32(howManyDims.count), howManyDims, i, o, sign, flags)
            }
        }
    }

    public static func fftwExecute(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        input.withMemoryRebound(to: fftwf_complex.self, capacity: 1) { i in
            output.withMemoryRebound(to: fftwf_complex.self, capacity: 1) { o in
                fftwf_execute_dft(plan, i, o)
            }
        }
    }

    public static func fftwDestroy(_ plan: OpaquePointer) { fftwf_destroy_plan(plan) }
}

/// `Double` tensors use the double-precision routines (`dgemm`, `dsyevd`, `fftw_*`).
extension Double: TensorScalar {
    public static var dtypeName: String { "F64" }

    public static func blasGemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, trans(transA), trans(transB), blasInt(m), blasInt(n), blasInt(k),
            alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }

    public static func blasGemv(
        transA: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, incx: Int, beta: Double, y: UnsafeMutablePointer<Double>, incy: Int
    ) {
        cblas_dgemv(
            CblasRowMajor, trans(transA), blasInt(m), blasInt(n), alpha, a, blasInt(lda),
            x, blasInt(incx), beta, y, blasInt(incy))
    }

    public static func blasAxpy(n: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(blasInt(n), alpha, x, 1, y, 1)
    }

    public static func blasDot(n: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
        cblas_ddot(blasInt(n), x, 1, y, 1)
    }

    public static func lapackSyevd(n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>) -> Int {
        Int(LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                           Int32(n), a, Int32(n), w))
    }

    public static func fftwPlanGuru(
        dims: [fftw_iodim], howManyDims: [fftw_iodim],
        input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>,
        sign: Int32, flags: UInt32
    ) -> OpaquePointer? {
        input.withMemoryRebound(to: fftw_complex.self, capacity: 1) { i in
            output.withMemoryRebound(to: fftw_complex.self, capacity: 1) { o in
                fftw_plan_guru_dft(
                    Int32(dims.count), dims, Int32(howManyDims.count), howManyDims, i, o, sign, flags)
            }
        }
    }

    public static func fftwExecute(
        _ plan: OpaquePointer, input: UnsafeMutablePointer<Double>, output: UnsafeMutablePointer<Double>
    ) {
        input.withMemoryRebound(to: fftw_complex.self, capacity: 1) { i in
            output.withMemoryRebound(to: fftw_complex.self, capacity: 1) { o in
                fftw_execute_dft(plan, i, o)
            }
        }
    }

    public static func fftwDestroy(_ plan: OpaquePointer) { fftw_destroy_plan(plan) }
}
