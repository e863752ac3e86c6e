import ArgumentParser
import BenchmarkSupport
import Foundation
import GUD

/// How the cost grows with the work: the small U-Net (C = 8, (1, 2), time-conditioned, randomly
/// initialised) at image sides 16, 28, 32, 64 and, at side 28, at batch sizes 1 … 256.
///
/// - `train_side{s}_b{n}`: one training step (forward, backward, MSE, clip 1.0, Adam 3e-4, dropout
///   0.05), as in `gud-bench-nn`;
/// - `sample_side{s}_{n}x10`: `sampleEulerMaruyama` of n samples for 10 steps through
///   ``NetworkEpsilonModel`` in a whitened s × s Fourier space (scale √(1/(1 + |k|²)), a
///   power-law spectrum like natural images') with the soft-conditioning schedule; its metric
///   `ms_per_sample_step` is the median / (n · 10).
///
/// The report's `exponents` are least-squares slopes of log(median) against log(work): against
/// the pixel count s² for the side sweeps (1 = cost proportional to the pixels), against the batch
/// size for the batch sweeps. Peak RSS is the process's so far; run one case with `--case` for its own.
@main
struct ScalingBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-scaling",
        abstract: "Time training steps and sampling as the image side and the batch size grow; fit the exponents.")

    static let sides = [16, 28, 32, 64]
    static let batches = [1, 4, 16, 64, 256]
    static let sweeps: [(name: String, cases: [(name: String, side: Int, batch: Int, training: Bool)])] = [
        ("train_vs_pixels", sides.map { ("train_side\($0)_b64", $0, 64, true) }),
        ("sample_vs_pixels", sides.map { ("sample_side\($0)_16x10", $0, 16, false) }),
        ("train_vs_batch", batches.map { ("train_side28_b\($0)", 28, $0, true) }),
        ("sample_vs_batch", batches.map { ("sample_side28_\($0)x10", 28, $0, false) }),
    ]
    /// Every case once, in sweep order (the side-28 cases shared by two sweeps appear once).
    static var allCases: [String] {
        var seen = Set<String>()
        return sweeps.flatMap(\.cases).map(\.name).filter { seen.insert($0).inserted }
    }

    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var selection: CaseSelection

    func validate() throws { _ = try selection.selected(from: Self.allCases) }

    func run() throws {
        var report = options.startReport()
        let selected = try selection.selected(from: Self.allCases)
        var results: [String: BenchmarkCase] = [:]
        for sweep in Self.sweeps {
            for c in sweep.cases where selected.contains(c.name) && results[c.name] == nil {
                let result = try c.training ? trainingCase(c.name, side: c.side, batch: c.batch) : samplingCase(c.name, side: c.side, batch: c.batch)
                results[c.name] = result
                report.cases.append(result)
            }
        }
        var exponents: [String: Double] = [:]
        for sweep in Self.sweeps {
            let points = sweep.cases.compactMap { c in
                results[c.name].map { (sweep.name.hasSuffix("pixels") ? Double(c.side * c.side) : Double(c.batch), $0.median_ms) }
            }
            if points.count >= 2 { exponents[sweep.name] = Self.logLogSlope(points) }
        }
        report.exponents = exponents
        try report.finish(json: options.json)
    }

    /// The least-squares slope of log y against log x.
    static func logLogSlope(_ points: [(x: Double, y: Double)]) -> Double {
        let u = points.map { Foundation.log($0.x) }, v = points.map { Foundation.log($0.y) }
        let (mu, mv) = (u.reduce(0, +) / Double(u.count), v.reduce(0, +) / Double(v.count))
        let sxy = zip(u, v).reduce(0) { $0 + ($1.0 - mu) * ($1.1 - mv) }
        let sxx = u.reduce(0) { $0 + ($1 - mu) * ($1 - mu) }
        return sxy / sxx
    }

    /// Runs scaled to the cost: fewer for the large cases, so the sweep stays within a minute or two.
    func runs(forWork pixels: Int) -> Int {
        let work = Double(pixels) / Double(64 * 28 * 28)
        return max(3, min(options.runs, Int(Double(options.runs) / max(1, work))))
    }

    func trainingCase(_ name: String, side: Int, batch: Int) throws -> BenchmarkCase {
        let source = RandomSource(seed: 11)
        let network = try UNet<Float>(.small(height: side, width: side), source: source.derived("init"))
        let x: Tensor<Float> = source.derived("x").gaussian(shape: [batch, side * side, 1])
        let eps: Tensor<Float> = source.derived("eps").gaussian(shape: [batch, side * side, 1])
        let t = Tensor<Float>((0..<batch).map { (Float($0) + 0.5) / Float(batch) })
        let adam = try Adam(parameters: network.parameters)
        var step: UInt64 = 0
        var result = try Benchmark.measure(name, warmup: options.warmup, runs: runs(forWork: batch * side * side)) {
            step += 1
            _ = try network.lossAndGradients(x: x, conditioning: .time(t), target: eps, dropoutSource: source.derived(step))
            _ = try clipGradientsByGlobalNorm(network.parameters, maxNorm: 1)
            try adam.update(network.parameters, learningRate: 3e-4)
        }
        result.record("side", Double(side))
        result.record("batch", Double(batch))
        result.record("us_per_pixel", result.median_ms * 1e3 / Double(batch * side * side))
        return result
    }

    func samplingCase(_ name: String, side: Int, batch: Int) throws -> BenchmarkCase {
        let steps = 10
        let power = (0..<(side * side)).map { k -> Float in
            let (r, c) = (min(k / side, side - k / side), min(k % side, side - k % side))
            return 1 / (1 + Float(r * r + c * c))
        }
        let space = try FourierSpace<Float>(shape: [side, side], scale: power.map { $0.squareRoot() })
        let schedule = try softConditioningSchedule(labels: power.map { -Float.log($0) }, softness: 1)
        let source = RandomSource(seed: 12)
        let model = try NetworkEpsilonModel(network: UNet<Float>(.small(height: side, width: side), source: source.derived("init")), space: space)
        var result = try Benchmark.measure(name, warmup: max(1, options.warmup), runs: runs(forWork: 4 * batch * side * side)) {
            _ = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: batch), source: source,
                                        stepSize: Float(1) / Float(steps))
        }
        result.record("side", Double(side))
        result.record("batch", Double(batch))
        result.record("ms_per_sample_step", result.median_ms / Double(batch * steps))
        return result
    }
}
