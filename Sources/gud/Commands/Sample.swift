import ArgumentParser
import Foundation
import GUD

/// `gud sample`: draws images from a trained run.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw samples from a trained run (EMA weights by default): a PNG grid and a .npy array, optionally a trajectory picture.",
        discussion: """
            Sample i uses the random streams of index i of the seed, so a sample does not depend on how many \
            are drawn (use --first-sample to regenerate particular ones). The trajectory picture has one row \
            per sample (at most 8) and one column per time, each state decoded to data space.
            """)

    @Option(name: [.short, .customLong("run")], help: "The run directory (from gud train).")
    var runPath: String

    @Option(name: .shortAndLong, help: "Samples to draw.")
    var count = 16

    @Option(help: "The sampler.")
    var sampler: SamplerKind = .eulerMaruyama

    @Option(help: "Steps of the fixed-step samplers (step size 1/steps).")
    var steps = 100

    @Option(help: "Relative and absolute tolerance of rk45.")
    var tolerance: Double = 1e-4

    @Option(help: "Seed of the samples.")
    var seed: UInt64 = 0

    @Option(name: .customLong("first-sample"), help: "Index of the first sample (samples first…first+count−1).")
    var firstSample = 0

    @Option(help: "Schedule softness to sample with (default: the run's; any value for a family-trained run).")
    var softness: Double?

    @Option(name: .customLong("column-softness"), help: "Column softness (wavelet-column schedule).")
    var columnSoftness: Double?

    @Flag(name: .customLong("raw-weights"), help: "Use the raw weights instead of the EMA weights.")
    var rawWeights = false

    @Option(name: .shortAndLong, help: "Output prefix (default: <run>/samples): writes .png and .npy.")
    var output: String?

    @Option(help: "Also write <output>-trajectory.png with the state at these times, e.g. 1,0.8,0.6,0.4,0.2,0.")
    var trajectory: NumberList?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be positive") }
        guard steps >= 1 else { throw ValidationError("--steps must be positive") }
        guard firstSample >= 0 else { throw ValidationError("--first-sample must be non-negative") }
        if let trajectory, !trajectory.values.allSatisfy({ (0...1).contains($0) }) {
            throw ValidationError("trajectory times must lie in [0, 1]")
        }
    }

    func run() throws {
        let model = try TrainedModel<Float>(run: URL(fileURLWithPath: runPath), useEMA: !rawWeights)
        let prefix = URL(fileURLWithPath: output ?? (runPath as NSString).appendingPathComponent("samples"))
        print("run: \(runPath) (step \(model.step), \(model.usesEMA ? "EMA" : "raw") weights)")
        print("seed: \(seed); samples \(firstSample)…\(firstSample + count - 1) (sample i uses stream i)")
        let times = (trajectory?.values ?? []).map { Float($0) }.map { Swift.min($0, model.startTime) }
        let line = ProgressLine(total: sampler == .rk45 ? 0 : steps, label: "step")
        let start = Date()
        let (images, path) = try model.sample(
            count: count, sampler: sampler, steps: steps, source: RandomSource(seed: seed), firstSample: firstSample,
            softness: softness, secondarySoftness: columnSoftness, saveTimes: times, tolerance: Float(tolerance)
        ) { k, _ in line.update(step: k) }
        line.finish()
        try images.checkFinite("samples")
        let (h, w) = (model.setup.height, model.setup.width)
        let files = try ImageOutput.write(images, height: h, width: w, prefix: prefix)
        print(String(format: "sampled %d images with %@ in %.2f s", count, sampler.rawValue, Date().timeIntervalSince(start)))
        print("samples: \(files.png.path)")
        print("array: \(files.npy.path)")
        if !path.isEmpty {
            let shown = Swift.min(count, 8)
            let rows = try (0..<shown).map { i in
                try path.map { try Tensor<Float>(shape: [1, h * w, model.setup.channels], scalars: Array($0.images.scalars[(i * h * w * model.setup.channels)..<((i + 1) * h * w * model.setup.channels)])) }
            }
            let url = URL(fileURLWithPath: prefix.path + "-trajectory.png")
            try ImageOutput.grid(rows: rows, height: h, width: w, to: url)
            print("trajectory: \(url.path) (columns: t = \(path.map { String(format: "%.2f", $0.time) }.joined(separator: ", ")))")
        }
    }
}
