import Testing
@testable import GUD

/// The sample-quality metric.
struct SampleQualityTests {
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
