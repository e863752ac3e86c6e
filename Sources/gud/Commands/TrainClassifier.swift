import ArgumentParser
import Foundation
import GUD

/// Trains the MNIST classifier of the sample-quality metric and writes its weights.
struct TrainClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classifier",
        abstract: "Train the MNIST classifier whose features the sample-quality metric (Fréchet distance) uses.",
        discussion: """
            Trains on the MNIST training split (IDX files, gzip allowed), reports the accuracy on the bundled \
            test split after every epoch and the reference Fréchet distances at the end, and writes the weights \
            atomically as safetensors with the seed, configuration, command line and test accuracy in the metadata.
            """)

    @Option(help: "The training images (train-images-idx3-ubyte[.gz]).")
    var trainImages: String

    @Option(help: "The training labels (train-labels-idx1-ubyte[.gz]).")
    var trainLabels: String

    @Option(help: "Seed of the random source (initialisation and batch order).")
    var seed: UInt64 = 0

    @Option(help: "Passes over the training split.")
    var epochs = ClassifierTraining().epochs

    @Option(help: "Mini-batch size.")
    var batchSize = ClassifierTraining().batchSize

    @Option(help: "Peak learning rate (warm-up, then cosine decay).")
    var learningRate = ClassifierTraining().learningRate

    @Option(help: "Where to write the weights (.safetensors).")
    var output = "mnist-classifier.safetensors"

    func run() throws {
        let source = RandomSource(seed: seed)
        print("seed: \(seed)")
        let training = ClassifierTraining(epochs: epochs, batchSize: batchSize, learningRate: learningRate)
        let train = try ImageDataset<Float>.idx(
            images: URL(fileURLWithPath: trainImages), labels: URL(fileURLWithPath: trainLabels), name: "mnist-train")
        let test = try ImageDataset<Float>.bundled(.mnist)
        let classifier = try MNISTClassifier<Float>(source: source.derived("init"))
        print("training: \(train.count) images, test: \(test.count) images (bundled), \(classifier.parameters.scalarCount) parameters")
        print("configuration: \(classifier.configuration)")
        print("training: \(training)")

        let start = Date()
        let progress = ProgressLine(total: training.epochs * (train.count / training.batchSize))
        try training.run(
            classifier, data: train, evaluation: test, source: source,
            step: { s, _, loss in progress.update(step: s, loss: loss) },
            epochEnd: { e in
                progress.finish()
                print(String(format: "epoch %d: mean loss %.4f, test accuracy %.2f %%, %.1f s",
                             e.epoch, e.meanLoss, 100 * (e.evaluationAccuracy ?? .nan), e.seconds))
            })
        let seconds = Date().timeIntervalSince(start)
        let accuracy = try classifier.accuracy(on: test)
        print(String(format: "test accuracy: %.2f %% (%d images); training time %.0f s", 100 * accuracy, test.count, seconds))

        // Reference points of the metric: two random halves of the test split (the noise floor at 5,000
        // samples), its first and last 5,000 images (two writer populations), and the training split.
        let halves = try test.split(validationFraction: 0.5, source: source.derived("halves"))
        let references: [(key: String, title: String, reference: ImageDataset<Float>, samples: ImageDataset<Float>)] = [
            ("test_random_halves", "test split, random halves (seed \(seed)) 5k vs 5k", halves.train, halves.validation),
            ("test_first_last_halves", "test split, first 5k vs last 5k", try test.prefix(5000), try test.subset(Array(5000..<10000))),
            ("train_vs_test", "training split (60k) vs test split (10k)", test, train),
        ]
        var metadata: [String: String] = [:]
        for r in references {
            let report = try SampleQuality(classifier: classifier, reference: r.reference)
                .evaluate(r.samples.images, source: source)
            print("reference point — \(r.title):\n\(report)")
            metadata["reference.fd." + r.key] = String(format: "%.4f ± %.4f", report.frechetDistance, report.bootstrapStandardDeviation ?? .nan)
        }

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        metadata.merge([
            "training.seed": String(seed),
            "training.epochs": String(training.epochs),
            "training.configuration": String(decoding: try encoder.encode(training), as: UTF8.self),
            "training.command": CommandLine.arguments.joined(separator: " "),
            "training.test_accuracy": String(accuracy),
            "training.seconds": String(format: "%.0f", seconds),
            "training.date": ISO8601DateFormatter().string(from: Date()),
        ]) { $1 }
        try classifier.checkpoint(metadata: metadata).write(to: output)
        print("weights: \(output)")
    }
}
