import ArgumentParser
import BenchmarkSupport
import Foundation
import GUD

/// Encode + decode (data → compWhite → data) of a batch of 256 MNIST test images (256 × 784 × 1,
/// Float) in each space, each next to the cost of one sgemm of the same size (256 × 784 × 784)
/// measured in the same process:
///
/// - `gemm_256x784x784`: C[256, 784] = A[256, 784] · B[784, 784], the unit of comparison;
/// - `transform_pca_784_b256`: PCA fitted to the bundled MNIST (784 × 784 components, eigenvalues
///   below 1e-6 × the largest raised to that floor), whitened — two such products plus whitening;
/// - `transform_fourier_28x28_b256`: the orthonormal 2-D FFT, whitened by √power spectrum;
/// - `transform_haar_28x28_b256`, `transform_daubechies4_28x28_b256`: 2-level wavelet transforms
///   (28 = 7 · 2²), whitened by the fitted coefficient standard deviations.
///
/// Every transform case records `gemm_equivalents` = its median / the gemm case's median.
@main
struct TransformBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-transforms",
        abstract: "Time encode + decode of 256 MNIST images in every space against one 256×784×784 sgemm.")

    static let allCases = [
        "gemm_256x784x784", "transform_pca_784_b256", "transform_fourier_28x28_b256",
        "transform_haar_28x28_b256", "transform_daubechies4_28x28_b256",
    ]

    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var selection: CaseSelection

    func validate() throws { _ = try selection.selected(from: Self.allCases) }

    func run() throws {
        var report = options.startReport()
        let setting = try WhitenedMNIST()
        let batch = try setting.firstImages(256)
        let names = try selection.selected(from: Self.allCases)
        // The gemm of the same size is always measured: every transform is compared with it.
        let gemm = try measureGemm()
        if names.contains("gemm_256x784x784") { report.cases.append(gemm) }
        for name in names where name != "gemm_256x784x784" {
            var result = try measure(name, setting: setting, batch: batch)
            result.record("gemm_equivalents", result.median_ms / gemm.median_ms)
            report.cases.append(result)
        }
        try report.finish(json: options.json)
    }

    /// One sgemm of the transforms' size, 2 · 256 · 784 · 784 FLOP.
    func measureGemm() throws -> BenchmarkCase {
        let (m, k, n) = (256, 784, 784)
        let source = RandomSource(seed: 3)
        let a: Tensor<Float> = source.derived("a").gaussian(shape: [m, k])
        let b: Tensor<Float> = source.derived("b").gaussian(shape: [k, n])
        var c = [Float](repeating: 0, count: m * n)
        return Benchmark.measure("gemm_256x784x784", warmup: options.warmup, runs: options.runs, flops: 2 * Double(m * k * n)) {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BLAS.gemm(m: m, n: n, k: k, a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!)
                    }
                }
            }
        }
    }

    func measure(_ name: String, setting: WhitenedMNIST, batch: Tensor<Float>) throws -> BenchmarkCase {
        let floor = VarianceFloor<Float>.clamp(relative: 1e-6)
        let space: any Space<Float>
        var flops: Double?
        switch name {
        case "transform_pca_784_b256":
            space = try LinearSpace(data: setting.images, floor: floor)
            flops = 2 * 2 * Double(256 * 784 * 784)
        case "transform_fourier_28x28_b256":
            space = setting.space
        case "transform_haar_28x28_b256":
            space = try WaveletSpace(height: 28, width: 28, levels: 2, wavelet: .haar, data: setting.images, floor: floor)
        default:
            space = try WaveletSpace(height: 28, width: 28, levels: 2, wavelet: .daubechies4, data: setting.images, floor: floor)
        }
        var result = try Benchmark.measure(name, warmup: options.warmup, runs: options.runs, flops: flops) {
            _ = try space.decode(space.encode(batch))
        }
        result.record("roundtrip_max_abs_error", Double(try space.decode(space.encode(batch)).maxAbsDifference(batch)))
        return result
    }
}
