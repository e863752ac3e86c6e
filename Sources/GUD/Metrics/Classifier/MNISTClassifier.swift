import Foundation

/// A small convolutional classifier of MNIST-sized images, trained with the project's own engine; its
/// feature layer is the feature space of the sample-quality metric (``SampleQuality``, "FID for MNIST").
///
/// Input: images in GUD's `(batch, height · width, 1)` layout with values in [−1, 1]. Structure
/// (channel-major `[C, N, H, W]` inside):
/// - `conv.i`: a 3×3 convolution (zero padding 1) to `channels[i]` with stride `strides[i]`, + SiLU;
/// - flattening of the last `[C, N, h, w]` to `[N, C·h·w]` (order c, row, column);
/// - `feature`: dense to `featureDimension`, + SiLU: the **features** (penultimate activations);
/// - `output`: dense to `classes` logits.
///
/// The default configuration (28×28 → 14×14 → 7×7 → 4×4 with 32 channels, 512 → 128 → 10) has 85,770
/// parameters. Training uses the softmax cross-entropy
/// (``lossAndGradients(images:labels:)``; see ``ClassifierTraining``); the shipped weights are loaded
/// with ``bundled()``.
///
/// A classifier runs one call at a time (its tape and buffers are shared by its calls).
public final class MNISTClassifier<Scalar: TensorScalar> {
    /// The architecture name stored in the weights' metadata (`gud.architecture`).
    public static var architectureName: String { "mnist-classifier" }
    /// The architecture's settings.
    public let configuration: MNISTClassifierConfiguration
    /// The weights.
    public let parameters: ParameterStore<Scalar>
    /// The tape of its passes (one call at a time).
    public let tape: Tape<Scalar>
    /// The metadata of the weights file it was restored from (training seed, epochs, command, test
    /// accuracy, …); empty for a newly built classifier.
    public internal(set) var metadata: [String: String] = [:]

    let convolutions: [Conv2D]
    let feature: Dense
    let output: Dense

    /// Builds the classifier with parameters initialised deterministically from `source` (LeCun-normal
    /// kernels, zero biases).
    /// - Throws: `GUDError.invalidArgument` for an invalid configuration.
    public init(_ configuration: MNISTClassifierConfiguration = MNISTClassifierConfiguration(), source: RandomSource) throws {
        try configuration.validate()
        self.configuration = configuration
        let store = ParameterStore<Scalar>()
        parameters = store
        tape = Tape(parameters: store)
        let b = ParameterBuilder(store: store, source: source)
        var inputs = 1
        var convolutions: [Conv2D] = []
        for (i, (c, s)) in zip(configuration.channels, configuration.strides).enumerated() {
            convolutions.append(try Conv2D(b.scope("conv").scope("\(i)"), inputs: inputs, outputs: c, stride: s))
            inputs = c
        }
        self.convolutions = convolutions
        let (h, w) = configuration.finalImageSize
        feature = try Dense(b.scope("feature"), inputs: inputs * h * w, outputs: configuration.featureDimension)
        output = try Dense(b.scope("output"), inputs: configuration.featureDimension, outputs: configuration.classes)
    }

    /// The number of spatial positions of an input image.
    public var space: Int { configuration.height * configuration.width }

    /// Records the features and logits of `x` on `tape` (in a pass begun by the caller).
    /// - Parameters:
    ///   - x: `[N, height · width, 1]`.
    ///   - tape: the tape of the caller's pass.
    /// - Returns: features `[N, featureDimension]` and logits `[N, classes]`.
    public func forward(_ x: Variable, on tape: Tape<Scalar>) throws -> (features: Variable, logits: Variable) {
        let cfg = configuration
        // (N, H·W, 1) is [1, N, H, W] in memory.
        var h = try tape.reshape(x, Extents(1, x.extents[0], cfg.height, cfg.width))
        for conv in convolutions { h = try conv(h, on: tape, activation: .silu) }
        // [C, N, h, w] → [N, C, h, w] → [N, C·h·w].
        let e = h.extents
        let flat = try tape.reshape(tape.transpose(h, axes: [1, 0, 2, 3]), Extents(e[1], e[0] * e[2] * e[3]))
        let features = try tape.silu(feature(flat, on: tape))
        return (features, try output(features, on: tape))
    }

    /// One training evaluation: the mean softmax cross-entropy of the logits against `labels` and its
    /// gradient with respect to every parameter, written to `parameters.gradients` (overwritten).
    /// - Parameters:
    ///   - images: `(N, height · width, 1)`.
    ///   - labels: N classes in `0..<classes`.
    /// - Returns: the loss.
    /// - Throws: `GUDError.shapeMismatch` / `GUDError.invalidArgument` for bad shapes or labels.
    public func lossAndGradients(images: Tensor<Scalar>, labels: [Int]) throws -> Scalar {
        try checkImages(images)
        parameters.zeroGradients()
        tape.begin(parameters: parameters, recording: true, workspaceKey: 2 * images.shape[0] + 1)
        defer { tape.end() }
        let loss = try tape.softmaxCrossEntropy(forward(tape.input(images), on: tape).logits, labels: labels)
        let value = tape.withValue(loss) { $0[0] }
        try tape.backward(from: loss)
        return value
    }

    /// The features `(N, featureDimension)` and logits `(N, classes)` of images `(N, height · width, 1)`,
    /// computed in batches of at most `batchSize` (inference: nothing is recorded).
    /// - Throws: `GUDError.shapeMismatch` for images of the wrong shape,
    ///   `GUDError.nonFinite` for NaN or infinite pixels, `GUDError.invalidArgument` for a
    ///   batch size below 1.
    public func evaluate(_ images: Tensor<Scalar>, batchSize: Int = 250) throws -> (features: Tensor<Scalar>, logits: Tensor<Scalar>) {
        try checkImages(images)
        try images.checkFinite("images given to the classifier")
        guard batchSize >= 1 else { throw GUDError.invalidArgument("batch size must be at least 1, got \(batchSize)") }
        let n = images.shape[0], d = space
        let (f, k) = (configuration.featureDimension, configuration.classes)
        var features = Tensor<Scalar>(shape: [n, f]), logits = Tensor<Scalar>(shape: [n, k])
        try images.withUnsafeBufferPointer { src in
            try features.withUnsafeMutableBufferPointer { fOut in
                try logits.withUnsafeMutableBufferPointer { lOut in
                    for start in stride(from: 0, to: n, by: batchSize) {
                        let m = Swift.min(batchSize, n - start)
                        tape.begin(parameters: parameters, recording: false, workspaceKey: 2 * m)
                        defer { tape.end() }
                        let x = tape.input(Extents(m, d, 1)) { $0.baseAddress!.update(from: src.baseAddress! + start * d, count: m * d) }
                        let (fv, lv) = try forward(x, on: tape)
                        tape.withValue(fv) { (fOut.baseAddress! + start * f).update(from: $0.baseAddress!, count: m * f) }
                        tape.withValue(lv) { (lOut.baseAddress! + start * k).update(from: $0.baseAddress!, count: m * k) }
                    }
                }
            }
        }
        return (features, logits)
    }

    /// The predicted class (arg max of the logits; the lowest index on ties) of every image.
    public func predict(_ images: Tensor<Scalar>) throws -> [Int] {
        Self.predictedClasses(try evaluate(images).logits)
    }

    /// The fraction of a labelled data set that the classifier predicts correctly.
    /// - Throws: `GUDError.invalidArgument` for a data set without labels, and as ``evaluate(_:batchSize:)``.
    public func accuracy(on dataset: ImageDataset<Scalar>) throws -> Double {
        guard let labels = dataset.labels else {
            throw GUDError.invalidArgument("accuracy needs a labelled data set; \(dataset.name) has no labels")
        }
        let correct = zip(try predict(dataset.images), labels).filter { $0 == $1 }.count
        return Double(correct) / Double(dataset.count)
    }

    /// The arg max of every row of logits `(N, K)` (the lowest index on ties).
    static func predictedClasses(_ logits: Tensor<Scalar>) -> [Int] {
        let k = logits.shape[1]
        return logits.withUnsafeBufferPointer { z in
            (0..<logits.shape[0]).map { i in
                var best = 0
                for j in 1..<k where z[i * k + j] > z[i * k + best] { best = j }
                return best
            }
        }
    }

    /// Throws unless `images` is `(N ≥ 1, height · width, 1)`.
    func checkImages(_ images: Tensor<Scalar>) throws {
        let s = images.shape
        guard s.count == 3, s[0] > 0, s[1] == space, s[2] == 1 else {
            throw GUDError.shapeMismatch("images have shape \(s); expected (batch, \(space), 1) for \(configuration.height)×\(configuration.width) gray images")
        }
    }
}

extension MNISTClassifier {
    /// The weights as a checkpoint with the architecture and configuration in the metadata
    /// (`gud.architecture`, `gud.configuration`) plus the caller's entries.
    public func checkpoint(metadata: [String: String] = [:]) throws -> Checkpoint<Scalar> {
        var m = metadata
        m["gud.architecture"] = Self.architectureName
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        m["gud.configuration"] = String(decoding: try encoder.encode(configuration), as: UTF8.self)
        return Checkpoint(weights: parameters.namedValues(), metadata: m)
    }

    /// A classifier built from the configuration stored in `checkpoint`, with its weights and metadata.
    /// - Throws: `GUDError.malformedData` when the architecture is not ``architectureName``, the
    ///   configuration is missing or invalid, or the tensors are not exactly the configuration's
    ///   parameters with their shapes.
    public static func restored(from checkpoint: Checkpoint<Scalar>) throws -> MNISTClassifier {
        let m = checkpoint.metadata
        guard m["gud.architecture"] == architectureName else {
            throw GUDError.malformedData("checkpoint architecture is \(m["gud.architecture"] ?? "missing"), expected \(architectureName)")
        }
        guard let json = m["gud.configuration"],
            let configuration = try? JSONDecoder().decode(MNISTClassifierConfiguration.self, from: Data(json.utf8)),
            (try? configuration.validate()) != nil
        else {
            throw GUDError.malformedData("checkpoint metadata gud.configuration is missing or not a valid MNIST classifier configuration")
        }
        guard checkpoint.ema == nil, checkpoint.optimizer == nil else {
            throw GUDError.malformedData("a classifier checkpoint holds weights only (model.*), found EMA or optimizer tensors")
        }
        let classifier = try MNISTClassifier(configuration, source: RandomSource(seed: 0))
        do {
            try classifier.parameters.load(checkpoint.weights)
        } catch let e as GUDError {
            throw GUDError.malformedData("checkpoint model. tensors: \(e.message)")
        }
        classifier.metadata = m
        return classifier
    }

    /// Reads and validates a weights file (see `Checkpoint.read(from:)` and ``restored(from:)``).
    public static func read(from path: String) throws -> MNISTClassifier {
        try restored(from: Checkpoint.read(from: path))
    }

    /// The test accuracy recorded in the metadata (`training.test_accuracy`), if any.
    public var recordedTestAccuracy: Double? { metadata["training.test_accuracy"].flatMap(Double.init) }
}

extension MNISTClassifier where Scalar == Float {
    /// The classifier shipped with the library (`Resources/Classifier/mnist-classifier.safetensors`;
    /// its README gives the command, seed and test accuracy), validated on loading.
    /// - Throws: `GUDError.io` when the resource is missing, `GUDError.malformedData` when
    ///   it is corrupt.
    public static func bundled() throws -> MNISTClassifier {
        guard let url = Bundle.module.url(forResource: "mnist-classifier", withExtension: "safetensors", subdirectory: "Classifier") else {
            throw GUDError.io("the bundled classifier mnist-classifier.safetensors is missing from the GUD resource bundle")
        }
        return try read(from: url.path)
    }
}
