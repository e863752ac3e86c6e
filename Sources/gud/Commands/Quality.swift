import ArgumentParser
import Foundation
import GUD

/// `gud quality`: the Fréchet distance and class histogram of generated MNIST-sized images.
struct Quality: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the quality of generated 28×28 images: Fréchet distance in the features of the shipped MNIST classifier and the predicted-class histogram.",
        discussion: """
            Reads a .npy of images in [−1, 1] (as written by gud sample: (N, 28, 28) or (N, 784, 1), float32 or \
            float64; values are clipped to [−1, 1]) and compares them with the bundled MNIST test split \
            (10,000 images). The bootstrap spread measures sampling noise only: the distance is biased upwards \
            at small N, so compare distances at equal sample counts.
            """)

    @Option(name: .shortAndLong, help: "The .npy file of generated images.")
    var samples: String

    @Option(help: "Bootstrap resamples for the error estimate (0: none).")
    var bootstrap = 20

    @Option(help: "Seed of the bootstrap resamples.")
    var seed: UInt64 = 0

    @Option(help: "Also write the figures as JSON to this file.")
    var json: String?

    func validate() throws {
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be non-negative") }
    }

    func run() throws {
        let file = try NPYFile(contentsOf: URL(fileURLWithPath: samples))
        var images: Tensor<Float> = file.tensor()
        let count = images.shape.first ?? 0
        guard images.rank >= 2, count >= 2, images.count == count * 784 else {
            throw GUDError.shapeMismatch("\(samples) holds shape \(images.shape); expected at least two 28×28 images, (N, 28, 28) or (N, 784, 1)")
        }
        try images.checkFinite("samples in \(samples)")
        images = try images.reshaped([count, 784, 1])
        images.formMap { Swift.min(Swift.max($0, -1), 1) }
        print("samples: \(samples), \(count) images; bootstrap seed: \(seed)")
        let report = try SampleQuality().evaluate(images, bootstrapResamples: bootstrap, source: RandomSource(seed: seed))
        print(report.description)
        if let json {
            let fields: [String: Any] = [
                "samples": samples, "sample_count": report.sampleCount, "reference": report.referenceName,
                "reference_count": report.referenceCount, "frechet_distance": report.frechetDistance,
                "bootstrap_sd": report.bootstrapStandardDeviation ?? NSNull(), "bootstrap_resamples": report.bootstrapResamples,
                "bootstrap_seed": report.bootstrapSeed, "classifier_test_accuracy": report.classifierTestAccuracy ?? NSNull(),
                "class_counts": report.histogram.counts, "covered_classes": report.coveredClasses,
            ]
            try JSONOutput.write(fields, to: json)
            print("json: \(json)")
        }
    }
}
