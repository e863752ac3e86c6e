import Testing
@testable import GUD

/// The sample-quality metric with the shipped classifier, on small parts of the MNIST test split (the
/// classifier runs in debug builds here, so the sets are kept to about a hundred images). Each test
/// loads its own classifier: a classifier runs one call at a time and the tests run in parallel.
struct SampleQualityTests {
    /// The bundled MNIST test split, loaded once for all tests.
    static let test = Result { try ImageDataset<Float>.bundled(.mnist) }

    static func images(_ range: Range<Int>) throws -> ImageDataset<Float> { try test.get().subset(Array(range)) }

    @Test func distanceOfASetToItselfIsZero() throws {
        let set = try Self.images(0..<64)
        let quality = try SampleQuality(reference: set)
        let report = try quality.evaluate(set.images, bootstrapResamples: 0, source: RandomSource(seed: 0))
        #expect(abs(report.frechetDistance) < 1e-6, "\(report.frechetDistance)")
        #expect(report.histogram == quality.referenceHistogram)
        #expect(report.bootstrapStandardDeviation == nil)
    }

    /// Two sets of test images are close; test images and noise, or digits of one class, are far.
    @Test func separatesDigitsFromNoise() throws {
        let quality = try SampleQuality(reference: Self.images(0..<128))
        let source = RandomSource(seed: 1)
        let other = try quality.evaluate(Self.images(128..<256).images, bootstrapResamples: 3, source: source)
        let noise = try quality.evaluate(source.gaussian(shape: [32, 784, 1], as: Float.self).map { max(-1, min(1, $0)) }, bootstrapResamples: 0, source: source)
        let test = try Self.test.get()
        let ones = try test.subset(Array((0..<1000).filter { test.labels![$0] == 1 }.prefix(32)))
        let onlyOnes = try quality.evaluate(ones.images, bootstrapResamples: 3, source: source)
        #expect(other.frechetDistance < 0.2 * noise.frechetDistance, "\(other.frechetDistance) vs noise \(noise.frechetDistance)")
        #expect(other.frechetDistance < 0.2 * onlyOnes.frechetDistance, "\(other.frechetDistance) vs ones \(onlyOnes.frechetDistance)")
        #expect((other.bootstrapStandardDeviation ?? 0) > 0)
        #expect(other.coveredClasses == 10 && onlyOnes.coveredClasses == 1)
        #expect(other.sampleCount == 128 && other.referenceCount == 128)
        #expect(other.description.contains("samples: 128") && other.description.contains("Fréchet distance"))
        // Seeded: the same source gives the same error estimate.
        let again = try quality.evaluate(ones.images, bootstrapResamples: 3, source: source)
        #expect(again.bootstrapStandardDeviation == onlyOnes.bootstrapStandardDeviation && again.bootstrapStandardDeviation != nil)
    }

    /// The predicted classes of test images differ from their labels only by the misclassified images:
    /// the total variation between the two histograms is at most the error rate.
    @Test func histogramMatchesTheLabelsWithinTheClassifierError() throws {
        let set = try Self.images(256..<356)
        let quality = try SampleQuality(reference: set)
        let labels = try ClassHistogram(classes: set.labels!, classCount: 10)
        let errors = zip(try quality.classifier.predict(set.images), set.labels!).filter { $0 != $1 }.count
        let error = Double(errors) / Double(set.count)
        #expect(error <= 0.05)
        #expect(try quality.referenceHistogram.totalVariation(from: labels) <= error + 1e-12)
    }

    /// An untrained classifier suffices: only the checks of the input are exercised.
    @Test func badSamplesThrow() throws {
        let classifier = try MNISTClassifier<Float>(source: RandomSource(seed: 0))
        let reference = try ImageDataset(images: RandomSource(seed: 1).gaussian(shape: [4, 784, 1], as: Float.self), height: 28, width: 28, name: "noise")
        let quality = try SampleQuality(classifier: classifier, reference: reference)
        let source = RandomSource(seed: 0)
        func expectError(_ body: () throws -> Void, _ check: (GUDError) -> Bool) {
            do {
                try body()
                Issue.record("expected a GUDError")
            } catch let e as GUDError {
                #expect(check(e), "\(e)")
            } catch {
                Issue.record("expected a GUDError, got \(error)")
            }
        }
        func isShape(_ e: GUDError) -> Bool { if case .shapeMismatch = e { return true } else { return false } }
        expectError({ _ = try quality.evaluate(Tensor<Float>(shape: [4, 783, 1]), source: source) }, isShape)
        expectError({ _ = try quality.evaluate(Tensor<Float>(shape: [4, 784]), source: source) }, isShape)
        expectError({ _ = try quality.evaluate(Tensor<Double>(shape: [1, 784, 1]), source: source) }, isShape)
        var nan = Tensor<Double>(shape: [3, 784, 1])
        nan[2, 400, 0] = .nan
        expectError({ _ = try quality.evaluate(nan, source: source) }) { if case .nonFinite = $0 { return true } else { return false } }
        expectError({ _ = try quality.evaluate(Tensor<Float>(shape: [3, 784, 1]), bootstrapResamples: -1, source: source) }) {
            if case .invalidArgument = $0 { return true } else { return false }
        }
    }
}

struct ClassHistogramTests {
    @Test func entropyCoverageAndTotalVariation() throws {
        let uniform = try ClassHistogram(counts: [5, 5, 5, 5])
        #expect(abs(uniform.entropy - 2) < 1e-15 && abs(uniform.normalizedEntropy - 1) < 1e-15)
        #expect(uniform.coveredClasses(minimumShare: uniform.halfUniformShare) == 4)
        let single = try ClassHistogram(classes: [2, 2, 2], classCount: 4)
        #expect(single.counts == [0, 0, 3, 0] && single.entropy == 0 && single.coveredClasses(minimumShare: 0.125) == 1)
        #expect(abs(try single.totalVariation(from: uniform) - 0.75) < 1e-15)
        #expect(try ClassHistogram(counts: [0, 0]).entropy == 0)
        #expect(throws: GUDError.self) { try ClassHistogram(classes: [4], classCount: 4) }
        #expect(throws: GUDError.self) { try ClassHistogram(counts: [3]) }
        #expect(throws: GUDError.self) { try uniform.totalVariation(from: ClassHistogram(counts: [1, 1])) }
    }
}
