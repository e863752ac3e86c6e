import Foundation
import Testing
@testable import GUD

/// The sample-quality classifier: its gradient check, training, weights files, and the shipped weights.
struct MNISTClassifierTests {
    /// Every path at a tiny size: a stride-1 and a stride-2 convolution (6×5 → 6×5 → 3×3), flattening,
    /// the feature layer and the logits; 204 parameters.
    static let tiny = MNISTClassifierConfiguration(height: 6, width: 5, channels: [2, 3], strides: [1, 2], featureDimension: 4, classes: 3)

    static func uniform(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor<Double> {
        var s = RandomSource(seed: seed).stream(0)
        return Tensor(shape: shape) { _ in scale * (2 * s.nextUniform() - 1) }
    }

    /// The cross-entropy loss of the classifier and its gradients with respect to every parameter and
    /// every input pixel, against central finite differences, element by element, in Double.
    @Test func forwardAndBackwardPassTheGradientCheck() throws {
        let net = try MNISTClassifier<Double>(Self.tiny, source: RandomSource(seed: 1))
        #expect(net.parameters.scalarCount == 204)
        // Random parameters (not the initialisers' zero biases), so no gradient path hides.
        var stream = RandomSource(seed: 2).stream(0)
        for i in 0..<net.parameters.scalarCount { net.parameters.values[i] = 2 * stream.nextUniform() - 1 }
        let x = Self.uniform([3, 30, 1], seed: 3)
        let labels = [2, 0, 1]
        func loss(_ x: Tensor<Double>) throws -> Double {
            net.tape.begin(parameters: net.parameters, recording: false)
            defer { net.tape.end() }
            let l = try net.tape.softmaxCrossEntropy(net.forward(net.tape.input(x), on: net.tape).logits, labels: labels)
            return net.tape.withValue(l) { $0[0] }
        }
        let value = try net.lossAndGradients(images: x, labels: labels)
        #expect(abs(value - (try loss(x))) < 1e-15)
        let analytic = (0..<net.parameters.scalarCount).map { net.parameters.gradients[$0] }
        net.tape.begin(parameters: net.parameters, recording: true, parameterGradients: false)
        let xv = try net.tape.input(x, requiresGradient: true)
        try net.tape.backward(from: net.tape.softmaxCrossEntropy(net.forward(xv, on: net.tape).logits, labels: labels))
        let analyticX = net.tape.gradient(xv)!.scalars
        net.tape.end()

        let h = 1e-6
        func relativeError(_ a: [Double], _ b: [Double]) -> Double {
            let d = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            return d / max(a.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-300)
        }
        for spec in net.parameters.specs {
            let numeric = try (spec.offset..<(spec.offset + spec.count)).map { i in
                let v = net.parameters.values[i]
                net.parameters.values[i] = v + h
                let lp = try loss(x)
                net.parameters.values[i] = v - h
                let lm = try loss(x)
                net.parameters.values[i] = v
                return (lp - lm) / (2 * h)
            }
            let e = relativeError(Array(analytic[spec.offset..<(spec.offset + spec.count)]), numeric)
            #expect(e < 1e-6, "\(spec.name): relative error \(e)")
        }
        let numericX = try (0..<x.count).map { i in
            var xp = x, xm = x
            xp[flat: i] += h
            xm[flat: i] -= h
            return (try loss(xp) - loss(xm)) / (2 * h)
        }
        #expect(relativeError(analyticX, numericX) < 1e-6)
    }

    /// A short run on the bundled 8×8 digits lowers the loss, and the same seed gives the same weights.
    @Test func trainingIsSeededAndLearns() throws {
        let digits = try ImageDataset<Float>.bundled(.digits).prefix(256)
        let cfg = MNISTClassifierConfiguration(height: 8, width: 8, channels: [4, 4], strides: [2, 2], featureDimension: 8)
        let training = ClassifierTraining(epochs: 3, batchSize: 16, learningRate: 1e-2, warmupSteps: 2)
        func train() throws -> (MNISTClassifier<Float>, [ClassifierTraining.Epoch]) {
            let source = RandomSource(seed: 4)
            let net = try MNISTClassifier<Float>(cfg, source: source.derived("init"))
            return (net, try training.run(net, data: digits, source: source))
        }
        let (a, epochs) = try train()
        let (b, _) = try train()
        #expect(epochs.count == 3 && epochs[2].meanLoss < 0.75 * epochs[0].meanLoss, "\(epochs.map(\.meanLoss))")
        #expect(a.parameters.namedValues() == b.parameters.namedValues())
        #expect(throws: GUDError.self) { try training.run(a, data: ImageDataset(images: digits.images, height: 8, width: 8, name: "unlabelled"), source: RandomSource(seed: 0)) }
        #expect(throws: GUDError.self) { try ClassifierTraining(epochs: 0).run(a, data: digits, source: RandomSource(seed: 0)) }
    }

    @Test func weightsRoundTripAndBadFilesAreRejected() throws {
        let net = try MNISTClassifier<Float>(Self.tiny, source: RandomSource(seed: 5))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-classifier-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.safetensors").path
        try net.checkpoint(metadata: ["training.test_accuracy": "0.5"]).write(to: path)
        let loaded = try MNISTClassifier<Float>.read(from: path)
        #expect(loaded.configuration == Self.tiny && loaded.recordedTestAccuracy == 0.5)
        let x = Self.uniform([4, 30, 1], seed: 6).converted(to: Float.self)
        #expect(try loaded.evaluate(x).features == net.evaluate(x).features)

        var wrongArchitecture = try net.checkpoint()
        wrongArchitecture.metadata["gud.architecture"] = "unet"
        #expect(throws: GUDError.self) { try MNISTClassifier.restored(from: wrongArchitecture) }
        var wrongConfiguration = try net.checkpoint()
        wrongConfiguration.metadata["gud.configuration"] = "{\"height\": 6}"
        #expect(throws: GUDError.self) { try MNISTClassifier.restored(from: wrongConfiguration) }
        var missing = try net.checkpoint()
        missing.weights.removeLast()
        #expect(throws: GUDError.self) { try MNISTClassifier.restored(from: missing) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.dropLast(3).write(to: URL(fileURLWithPath: path))
        #expect(throws: GUDError.self) { try MNISTClassifier<Float>.read(from: path) }
    }

    @Test func badImagesThrow() throws {
        let net = try MNISTClassifier<Float>(Self.tiny, source: RandomSource(seed: 7))
        #expect(throws: GUDError.self) { try net.evaluate(Tensor(shape: [2, 31, 1])) }
        #expect(throws: GUDError.self) { try net.evaluate(Tensor(shape: [2, 30])) }
        var nan = Tensor<Float>(shape: [2, 30, 1])
        nan[1, 3, 0] = .nan
        #expect(throws: GUDError.self) { try net.evaluate(nan) }
        #expect(throws: GUDError.self) { try net.lossAndGradients(images: Tensor(shape: [2, 30, 1]), labels: [0, 3]) }
        #expect(throws: GUDError.self) { try MNISTClassifier<Float>(MNISTClassifierConfiguration(channels: [4], strides: [1, 2]), source: RandomSource(seed: 0)) }
    }

    /// The shipped weights load, carry their provenance, and classify test digits.
    @Test func shippedClassifier() throws {
        let net = try MNISTClassifier<Float>.bundled()
        #expect(net.configuration == MNISTClassifierConfiguration())
        #expect(net.parameters.scalarCount == 85_770)
        #expect(net.metadata["training.seed"] == "0")
        #expect(net.metadata["training.command"]?.contains("train-classifier") == true)
        #expect((net.recordedTestAccuracy ?? 0) >= 0.985)
        #expect(try net.accuracy(on: SampleQualityTests.images(0..<100)) >= 0.97)
    }
}
