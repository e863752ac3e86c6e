import GUDNumerics

/// Deterministic test data and tolerances shared by the numeric-core tests.
enum TestSupport {
    /// Pins OpenBLAS to one thread so results are reproducible (the test script also sets
    /// `OPENBLAS_NUM_THREADS=1`). Evaluated once.
    static let pinThreads: Void = BLAS.setThreadCount(1)

    /// Uniform values in [−1, 1) from a seeded stream.
    static func uniform<S: TensorScalar>(_ shape: [Int], seed: UInt64, as: S.Type = S.self) -> Tensor<S> {
        var s = RandomSource(seed: seed).stream(0)
        return Tensor(shape: shape) { _ in S(2 * s.nextUniform() - 1) }
    }

    /// Relative tolerance for results of O(n) accumulated roundings in precision S.
    static func tolerance<S: TensorScalar>(_: S.Type) -> S { S.self == Float.self ? 1e-5 : 1e-12 }
}
