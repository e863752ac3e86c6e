import ArgumentParser
import BenchmarkSupport
import Foundation
import GUD

/// sgemm and dgemm GFLOP/s for the matrix shapes the networks use, and for large square products.
/// This is the baseline every later speed figure is printed next to.
@main
struct GemmBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-gemm",
        abstract: "Measure sgemm/dgemm GFLOP/s for network-sized and large square products.")

    @OptionGroup var options: BenchmarkOptions

    /// (name, M, K, N): C[M, N] = A[M, K] · B[K, N], row-major, no transposes.
    static let shapes: [(String, Int, Int, Int)] = [
        ("mlp_b256_64x256", 256, 64, 256),
        ("mlp_b256_256x256", 256, 256, 256),
        ("conv3x3_8ch_28x28_b64_chmajor", 8, 72, 50176),
        ("conv3x3_8ch_28x28_b64_pixmajor", 50176, 72, 8),
        ("conv3x3_16ch_28x28_b64_chmajor", 16, 144, 50176),
        ("conv3x3_16ch_28x28_b64_pixmajor", 50176, 144, 16),
        ("conv3x3_32ch_14x14_b64_chmajor", 32, 288, 12544),
        ("conv3x3_64ch_7x7_b64_chmajor", 64, 576, 3136),
        ("conv3x3_8ch_28x28_b16_chmajor", 8, 72, 12544),
        ("pca_784_b256", 256, 784, 784),
        ("square_512", 512, 512, 512),
        ("square_1024", 1024, 1024, 1024),
        ("square_2048", 2048, 2048, 2048),
    ]

    func run() throws {
        var report = options.startReport()
        report.cases += try cases(Float.self, prefix: "sgemm")
        report.cases += try cases(Double.self, prefix: "dgemm")
        try report.finish(json: options.json)
    }

    func cases<S: TensorScalar>(_: S.Type, prefix: String) throws -> [BenchmarkCase] {
        let source = RandomSource(seed: 7)
        return Self.shapes.map { (name, m, k, n) in
            let a: Tensor<S> = source.derived(name + "a").gaussian(shape: [m, k])
            let b: Tensor<S> = source.derived(name + "b").gaussian(shape: [k, n])
            var c = [S](repeating: 0, count: m * n)
            let flops = 2 * Double(m) * Double(k) * Double(n)
            // Fewer runs for the largest products keeps the whole table to well under a minute.
            let runs = flops > 5e9 ? min(options.runs, 5) : options.runs
            return Benchmark.measure("\(prefix)_\(name)", warmup: options.warmup, runs: runs, flops: flops) {
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            BLAS.gemm(m: m, n: n, k: k, a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!)
                        }
                    }
                }
            }
        }
    }
}
