import ArgumentParser
import BenchmarkSupport
import Foundation
import GUD

/// The overhead of the diffusion core in the sampler loop: 16 samples of 28 × 28 in a whitened
/// Fourier space with a soft-conditioning schedule, 100 Euler–Maruyama steps, and the parts of one
/// step (schedule, noise drawn and transformed, the FFT alone, the update, the dataWhite ↔ compWhite
/// round trip a network needs).
/// The model is the closed-form ``DiagonalGaussianModel``, so the sampler figures are the core's
/// own cost; a network's forward pass comes on top.
@main
struct SamplerBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-sampler",
        abstract: "Measure the per-step overhead of the samplers, spaces and schedules (Float, 16 × 28×28).")

    @OptionGroup var options: BenchmarkOptions

    func run() throws {
        BLAS.setThreadCount(options.threads)
        let baseline = Benchmark.sgemmGFLOPS()
        var report = BenchmarkReport(threads: options.threads, sgemmGFLOPS: baseline)
        let (batch, side) = (16, 28)
        let d = side * side
        let shape = [side, side]
        // A power-law spectrum, symmetric under k → −k, as the whitening scale.
        let power = (0..<d).map { k -> Float in
            let (r, c) = (min(k / side, side - k / side), min(k % side, side - k % side))
            return 1 / (1 + Float(r * r + c * c))
        }
        let space = try FourierSpace<Float>(shape: shape, scale: power.map { $0.squareRoot() })
        let schedule = try softConditioningSchedule(labels: power.map { -Float.log($0) }, softness: 1)
        let model = try DiagonalGaussianModel<Float>(variances: [Float](repeating: 1, count: d))
        let source = RandomSource(seed: 1)
        let x: Tensor<Float> = try space.whiteNoise(batch: batch, channels: 1, source: source)
        let state = schedule(0.5)
        let eps = try model.epsilon(x, state: state)
        let real: Tensor<Float> = source.gaussian(shape: [batch, d, 1])
        let runs = options.runs, warmup = options.warmup

        report.cases.append(try Benchmark.measure("em_100_steps_fourier_16x28x28", warmup: 1, runs: max(3, runs / 5)) {
            _ = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: batch), source: source)
        })
        report.cases.append(try Benchmark.measure("heun_100_steps_fourier_16x28x28", warmup: 1, runs: max(3, runs / 5)) {
            _ = try sampleHeun(model: model, schedule: schedule, space: space, start: .noise(count: batch), source: source)
        })
        report.cases.append(Benchmark.measure("step_schedule_784", warmup: warmup, runs: runs) { _ = schedule(0.37) })
        var streams = (0..<batch).map { source.stream($0) }
        var noise = x
        report.cases.append(try Benchmark.measure("step_white_noise_16x784", warmup: warmup, runs: runs) {
            try space.drawWhiteNoise(into: &noise, streams: &streams, scale: 0.1)
        })
        report.cases.append(try Benchmark.measure("step_transform_noise_fft_16x784", warmup: warmup, runs: runs) {
            _ = try space.transformNoise(real)
        })
        report.cases.append(try Benchmark.measure("step_em_update_16x784", warmup: warmup, runs: runs) {
            var y = x
            try eulerMaruyamaStep(&y, epsilon: eps, increment: x, state: state, dt: -0.01)
        })
        report.cases.append(try Benchmark.measure("step_model_diagonal_gaussian", warmup: warmup, runs: runs) {
            _ = try model.epsilon(x, state: state)
        })
        report.cases.append(try Benchmark.measure("step_datawhite_roundtrip_16x784", warmup: warmup, runs: runs) {
            _ = try space.toComponentSpace(space.fromComponentSpace(x))
        })
        let pca = try LinearSpace<Float>(components: Tensor.identity(d))
        let flat: Tensor<Float> = source.gaussian(shape: [batch, d, 1])
        report.cases.append(try Benchmark.measure("pca_roundtrip_16x784", warmup: warmup, runs: runs,
                                                  flops: 4 * Double(batch * d * d)) {
            _ = try pca.fromComponentSpace(pca.toComponentSpace(flat))
        })
        print(report.table())
        if let em = report.cases.first {
            print(String(format: "Euler–Maruyama overhead per step (closed-form model included): %.3f ms", em.median_ms / 100))
        }
        if let path = options.json {
            try report.write(to: path)
            print("wrote \(path)")
        }
    }
}
