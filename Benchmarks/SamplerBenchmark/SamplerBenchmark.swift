import ArgumentParser
import BenchmarkSupport
import Foundation
import GUD
import MallocCounter

/// Sampling: the issue-7 case and the overhead of the diffusion core in the sampler loop.
///
/// - `sample_unet_small_16x100`: 16 samples, 100 Euler–Maruyama steps from t = 1 to 0, in the
///   whitened Fourier space of the bundled MNIST with the soft-conditioning schedule (labels
///   −log power, softness 1), the model a randomly initialised small U-Net (time-conditioned,
///   28,761 parameters) through ``NetworkEpsilonModel`` and ``sampleEulerMaruyama`` — the public
///   path a user calls. Its metrics: heap allocations per step in steady state, counted by the
///   process's malloc wrappers as (allocations of a 100-step run − of a 50-step run) / 50, so the
///   setup of a run is left out (and, of those, the aligned ones: FFTW's temporary buffers inside
///   its buffered solvers); allocations of a whole 100-step run; ms per step.
/// - `em_100_steps_fourier_16x28x28`, `heun_100_steps_fourier_16x28x28` and the `step_*` parts:
///   the same loop with the closed-form ``DiagonalGaussianModel``, the core's own cost.
@main
struct SamplerBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-sampler",
        abstract: "Time sampling with the small U-Net (issue 7) and the sampler's own per-step overhead.")

    static let allCases = [
        "sample_unet_small_16x100", "em_100_steps_fourier_16x28x28", "heun_100_steps_fourier_16x28x28",
        "step_schedule_784", "step_white_noise_16x784", "step_transform_noise_fft_16x784", "step_em_update_16x784",
        "step_model_diagonal_gaussian", "step_datawhite_roundtrip_16x784", "pca_roundtrip_16x784",
    ]

    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var selection: CaseSelection

    func validate() throws { _ = try selection.selected(from: Self.allCases) }

    func run() throws {
        // The network's parallel loops run on GUD's workers; the count is read once, so set it first.

        var report = options.startReport()
        let setting = try WhitenedMNIST()
        for name in try selection.selected(from: Self.allCases) {
            report.cases.append(try measure(name, setting))
        }
        try report.finish(json: options.json)
    }

    func measure(_ name: String, _ setting: WhitenedMNIST) throws -> BenchmarkCase {
        let (batch, steps) = (16, 100)
        let space = setting.space, schedule = setting.schedule
        let source = RandomSource(seed: 1)
        let runs = options.runs, warmup = options.warmup
        let wholeRuns = max(5, runs / 3)
        switch name {
        case "sample_unet_small_16x100":
            let network = try UNet<Float>(.small(), source: source.derived("init"))
            let model = try NetworkEpsilonModel(network: network, space: space)
            func sample(until tEnd: Float = 0) throws -> SamplingResult<Float> {
                try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: batch),
                                        source: source, tEnd: tEnd)
            }
            var result = try Benchmark.measure(name, warmup: max(1, warmup), runs: wholeRuns) {
                let out = try sample()
                guard out.steps == steps, out.modelEvaluations == steps else {
                    throw GUDError.numericalFailure("sampling took \(out.steps) steps and \(out.modelEvaluations) model calls; expected \(steps) each")
                }
            }
            // Allocations of a 100-step run minus those of a 50-step run, per step: the steady state.
            let counts = { (gud_malloc_count(), gud_aligned_allocation_count()) }
            let c0 = counts()
            _ = try sample(until: 0.5)
            let c1 = counts()
            _ = try sample()
            let c2 = counts()
            let samples = try sample().samples.data
            result.record("steps", Double(steps))
            result.record("ms_per_step", result.median_ms / Double(steps))
            if gud_malloc_counter_active() != 0 {
                result.record("allocations_per_step", Double(Int(c2.0 - c1.0) - Int(c1.0 - c0.0)) / 50)
                result.record("aligned_allocations_per_step", Double(Int(c2.1 - c1.1) - Int(c1.1 - c0.1)) / 50)
                result.record("allocations_per_run", Double(c2.0 - c1.0))
            }
            result.record("samples_finite", samples.isFinite ? 1 : 0)
            return result
        case "em_100_steps_fourier_16x28x28", "heun_100_steps_fourier_16x28x28":
            let model = try DiagonalGaussianModel<Float>(variances: [Float](repeating: 1, count: space.dimension))
            return try Benchmark.measure(name, warmup: 1, runs: wholeRuns) {
                if name.hasPrefix("em") {
                    _ = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: batch), source: source)
                } else {
                    _ = try sampleHeun(model: model, schedule: schedule, space: space, start: .noise(count: batch), source: source)
                }
            }
        default:
            return try stepPart(name, space: space, schedule: schedule, batch: batch, source: source, warmup: warmup, runs: runs)
        }
    }

    /// One part of a sampler step, timed alone.
    func stepPart(_ name: String, space: FourierSpace<Float>, schedule: LinearSchedule<Float>, batch: Int,
                  source: RandomSource, warmup: Int, runs: Int) throws -> BenchmarkCase {
        let d = space.dimension
        let model = try DiagonalGaussianModel<Float>(variances: [Float](repeating: 1, count: d))
        let x: Tensor<Float> = try space.whiteNoise(batch: batch, channels: 1, source: source)
        let state = schedule(0.5)
        switch name {
        case "step_schedule_784":
            return Benchmark.measure(name, warmup: warmup, runs: runs) { _ = schedule(0.37) }
        case "step_white_noise_16x784":
            var streams = (0..<batch).map { source.stream($0) }
            var noise = x
            return try Benchmark.measure(name, warmup: warmup, runs: runs) {
                try space.drawWhiteNoise(into: &noise, streams: &streams, scale: 0.1)
            }
        case "step_transform_noise_fft_16x784":
            let real: Tensor<Float> = source.gaussian(shape: [batch, d, 1])
            return try Benchmark.measure(name, warmup: warmup, runs: runs) { _ = try space.transformNoise(real) }
        case "step_em_update_16x784":
            let eps = try model.epsilon(x, state: state)
            return try Benchmark.measure(name, warmup: warmup, runs: runs) {
                var y = x
                try eulerMaruyamaStep(&y, epsilon: eps, increment: x, state: state, dt: -0.01)
            }
        case "step_model_diagonal_gaussian":
            return try Benchmark.measure(name, warmup: warmup, runs: runs) { _ = try model.epsilon(x, state: state) }
        case "step_datawhite_roundtrip_16x784":
            return try Benchmark.measure(name, warmup: warmup, runs: runs) {
                _ = try space.toComponentSpace(space.fromComponentSpace(x))
            }
        default:
            let pca = try LinearSpace<Float>(components: Tensor.identity(d))
            let flat: Tensor<Float> = source.gaussian(shape: [batch, d, 1])
            return try Benchmark.measure(name, warmup: warmup, runs: runs, flops: 4 * Double(batch * d * d)) {
                _ = try pca.fromComponentSpace(pca.toComponentSpace(flat))
            }
        }
    }
}
