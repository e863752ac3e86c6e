import ArgumentParser
import Foundation
import GUD

/// A short demonstration of the numeric core: BLAS, LAPACKE, FFTW and the random source.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Demonstrate the numeric core (matrix products, eigendecomposition, FFT, random draws).")

    @Option(help: "Seed of the random source.")
    var seed: UInt64 = 0

    func run() throws {
        let source = RandomSource(seed: seed)
        print("seed: \(seed)")

        // A covariance from random data, and its eigendecomposition (the PCA basis).
        let x: Tensor<Double> = source.derived("data").gaussian(shape: [500, 16])
        let cov = try Tensor.matmul(x, x, transposeA: true) / 500
        let eig = try SymmetricEigendecomposition(cov)
        let lo = eig.values.scalars.first!, hi = eig.values.scalars.last!
        print(String(format: "eigenvalues of a 16×16 sample covariance (500 draws): %.3f … %.3f", lo, hi))

        // An orthonormal FFT of a 28×28 image keeps its energy (Parseval).
        let image: Tensor<Float> = source.derived("image").gaussian(shape: [28, 28])
        let spectrum = try FFT.forwardReal(image)
        print(String(format: "28×28 FFT: energy %.4f in data space, %.4f in Fourier space",
                     image.sumOfSquares(), spectrum.sumOfSquares()))

        // The sgemm rate on this machine.
        let n = 512
        let a: Tensor<Float> = source.derived("a").gaussian(shape: [n, n])
        let start = Date()
        var reps = 0
        while Date().timeIntervalSince(start) < 0.5 {
            _ = try Tensor.matmul(a, a)
            reps += 1
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "sgemm %d×%d×%d: %.1f GFLOP/s with %d OpenBLAS threads",
                     n, n, n, 2 * Double(n * n * n) * Double(reps) / seconds / 1e9, BLAS.threadCount))
    }
}
