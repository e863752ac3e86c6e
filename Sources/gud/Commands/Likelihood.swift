import ArgumentParser
import Foundation
import GUD

/// `gud likelihood`: bits/dim of a trained run on a data set.
struct Likelihood: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report bits/dim of a trained run on a data set through the probability-flow ODE.",
        discussion: """
            The data default to the run's training data (use the data options for another set, e.g. \
            --dataset idx --data-path …). 8-bit pixels are dequantised uniformly, x = (v + u)·2/256 − 1 with \
            u ~ U[0, 1), and bits/dim = −log p(x)/(D ln 2) + 7 (the 7 bits of the 1/128-wide bins of [−1, 1]). \
            The divergence is estimated with Hutchinson probes (seeded), reported with its standard error, \
            or computed exactly with --exact (D backward passes per evaluation: small images only).
            """)

    @Option(name: [.short, .customLong("run")], help: "The run directory.")
    var runPath: String

    @OptionGroup(title: "Data") var data: DataOptions

    @Option(name: .shortAndLong, help: "Images to evaluate (the first ones of the data set).")
    var count = 64

    @Option(name: .customLong("batch-size"), help: "Images per ODE solve.")
    var batchSize = 16

    @Option(help: "Hutchinson probe vectors per image (at least 2).")
    var probes = 2

    @Flag(help: "Exact divergence instead of Hutchinson.")
    var exact = false

    @Option(help: "Relative and absolute tolerance of the ODE solver.")
    var tolerance: Double = 1e-4

    @Option(help: "Seed of the dequantisation noise and the probes.")
    var seed: UInt64 = 0

    @Option(help: "Schedule softness to evaluate (default: the run's; any value for a family-trained run).")
    var softness: Double?

    @Option(name: .customLong("column-softness"), help: "Column softness (wavelet-column schedule).")
    var columnSoftness: Double?

    @Option(help: "Also write the result as JSON to this file.")
    var json: String?

    @Flag(name: .customLong("no-dequantize"), help: "Evaluate the pixel values as they are (no uniform noise).")
    var noDequantize = false

    func validate() throws {
        guard count >= 1, batchSize >= 1 else { throw ValidationError("--count and --batch-size must be positive") }
        guard exact || probes >= 2 else { throw ValidationError("--probes must be at least 2 (or use --exact)") }
        guard tolerance > 0 else { throw ValidationError("--tolerance must be positive") }
        for value in [softness, columnSoftness].compactMap({ $0 }) where !(value > 0) {
            throw ValidationError("softness must be positive, got \(value)")
        }
    }

    func run() throws {
        let model = try TrainedModel<Float>(run: URL(fileURLWithPath: runPath))
        var config = model.configuration.data
        if !data.isEmpty {
            config = DataConfiguration()
            data.apply(to: &config)
        }
        let dataset = try config.load(source: RandomSource(seed: model.configuration.seed).derived("data"), as: Float.self).prefix(count)
        guard dataset.height == model.setup.height, dataset.width == model.setup.width, dataset.channels == model.setup.channels else {
            throw GUDError.shapeMismatch("the data are \(dataset.height)×\(dataset.width)×\(dataset.channels) but the run was trained on \(model.setup.height)×\(model.setup.width)×\(model.setup.channels)")
        }
        let source = RandomSource(seed: seed)
        print("run: \(runPath) (step \(model.step)); data: \(config.summary), \(dataset.count) images; seed: \(seed)")
        let result = try LikelihoodEvaluation.bitsPerDimension(
            model: model, images: dataset.images, dequantize: !noDequantize, levels: Int(config.maxValue) + 1,
            probes: exact ? nil : probes, tolerance: Float(tolerance), batchSize: batchSize,
            softness: softness, secondarySoftness: columnSoftness, source: source) { done in print("  \(done)/\(dataset.count) images") }
        print(result.description)
        if let json {
            let fields: [String: Any] = [
                "run": runPath, "step": model.step, "images": dataset.count, "data": config.summary, "seed": seed,
                "softness": softness ?? NSNull(), "column_softness": columnSoftness ?? NSNull(),
                "bits_per_dim": result.mean, "standard_error_over_images": result.standardErrorOverImages,
                "hutchinson_standard_error": result.hutchinsonStandardError ?? NSNull(), "offset_bits": result.offset,
                "dequantized": result.dequantized, "ode_evaluations": result.evaluations,
                "per_image": result.perImage,
            ]
            try JSONOutput.write(fields, to: json)
            print("json: \(json)")
        }
    }
}
