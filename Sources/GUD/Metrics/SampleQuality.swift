/// The sample quality of generated MNIST-like images, measured in the feature space of the project's
/// own classifier (``MNISTClassifier``): the usual "FID for MNIST".
///
/// For generated images and a reference set (default: the bundled MNIST test split, 10,000 images) it
/// computes:
/// - the **Fréchet distance** ``FrechetDistance`` between Gaussians fitted to the classifier's features
///   (the 128 penultimate activations) of the two sets, `‖μ₁ − μ₂‖² + tr(C₁ + C₂ − 2 (C₁^{1/2} C₂ C₁^{1/2})^{1/2})`
///   with unbiased covariances and matrix square roots through the symmetric eigendecomposition;
/// - a **bootstrap error estimate** of it: the standard deviation of the distance over B resamples, each
///   drawing both sets with replacement (seeded by the caller's source). It measures the sampling
///   noise, not the estimator's upward bias at small sample counts: compare distances at equal counts;
/// - the **predicted-class histogram** of the samples (mode coverage) and of the reference set.
///
/// The reference features are computed once, at creation. Values are used as given: clip samples to
/// [−1, 1] first if the sampler can leave that range.
public final class SampleQuality {
    /// The classifier whose features and predictions are compared.
    public let classifier: MNISTClassifier<Float>
    /// A name of the reference set, e.g. `mnist`.
    public let referenceName: String
    /// The classifier features of the reference images, `(n, featureDimension)`.
    public let referenceFeatures: Tensor<Float>
    /// The classifier's predicted-class histogram of the reference images.
    public let referenceHistogram: ClassHistogram
    let referenceMoments: (mean: Tensor<Double>, covariance: Tensor<Double>)

    /// The metric for a classifier and reference images, whose features and histogram are computed once.
    ///
    /// - Parameters:
    ///   - classifier: default: the shipped classifier (``MNISTClassifier/bundled()``).
    ///   - reference: images of the classifier's size, at least 2; default: the bundled MNIST test split.
    /// - Throws: `GUDError.shapeMismatch` when the reference images do not fit the classifier, and the
    ///   errors of loading the bundled files.
    public init(classifier: MNISTClassifier<Float>? = nil, reference: ImageDataset<Float>? = nil) throws {
        let classifier = try classifier ?? MNISTClassifier<Float>.bundled()
        let reference = try reference ?? ImageDataset<Float>.bundled(.mnist)
        self.classifier = classifier
        referenceName = reference.name
        (referenceFeatures, referenceHistogram) = try Self.features(of: reference.images, classifier, what: "reference images")
        referenceMoments = try FrechetDistance.moments(referenceFeatures)
    }

    /// The number of reference images.
    public var referenceCount: Int { referenceFeatures.shape[0] }

    /// Evaluates generated images.
    /// - Parameters:
    ///   - samples: `(N ≥ 2, height · width, 1)` in [−1, 1], Float or Double.
    ///   - bootstrapResamples: B ≥ 0 (0: no error estimate); default 20.
    ///   - source: the source of the bootstrap resamples (resample b uses `source.derived(b)`).
    /// - Throws: `GUDError.shapeMismatch` for samples of the wrong shape or fewer than two,
    ///   `GUDError.nonFinite` for NaN or infinite values, `GUDError.invalidArgument` for B < 0.
    public func evaluate<S: TensorScalar>(_ samples: Tensor<S>, bootstrapResamples: Int = 20, source: RandomSource) throws -> SampleQualityReport {
        guard bootstrapResamples >= 0 else {
            throw GUDError.invalidArgument("bootstrap resamples must be ≥ 0, got \(bootstrapResamples)")
        }
        guard samples.rank == 3, samples.shape[0] >= 2 else {
            throw GUDError.shapeMismatch("samples have shape \(samples.shape); expected (count ≥ 2, \(classifier.space), 1)")
        }
        let (features, histogram) = try Self.features(of: samples.converted(to: Float.self), classifier, what: "samples")
        let moments = try FrechetDistance.moments(features)
        let distance = try FrechetDistance.distance(
            mean1: referenceMoments.mean, covariance1: referenceMoments.covariance, mean2: moments.mean, covariance2: moments.covariance)
        let resampled = try (0..<bootstrapResamples).map { b in
            let s = source.derived(UInt64(b))
            return try FrechetDistance.distance(
                Self.resample(referenceFeatures, source: s.derived("reference")), Self.resample(features, source: s.derived("samples")))
        }
        return SampleQualityReport(
            frechetDistance: distance, bootstrapStandardDeviation: Self.standardDeviation(resampled),
            bootstrapResamples: bootstrapResamples, bootstrapSeed: source.seed,
            sampleCount: features.shape[0], referenceCount: referenceCount, referenceName: referenceName,
            featureDimension: features.shape[1], classifierTestAccuracy: classifier.recordedTestAccuracy,
            histogram: histogram, referenceHistogram: referenceHistogram)
    }

    /// The features and the predicted-class histogram of images.
    static func features(of images: Tensor<Float>, _ classifier: MNISTClassifier<Float>, what: String) throws -> (Tensor<Float>, ClassHistogram) {
        do {
            let (features, logits) = try classifier.evaluate(images)
            let histogram = try ClassHistogram(
                classes: MNISTClassifier.predictedClasses(logits), classCount: classifier.configuration.classes)
            return (features, histogram)
        } catch let e as GUDError {
            switch e {
            case .shapeMismatch(let m): throw GUDError.shapeMismatch("\(what): \(m)")
            case .nonFinite(let m): throw GUDError.nonFinite("\(what): \(m)")
            default: throw e
            }
        }
    }

    /// n rows of `x` drawn uniformly with replacement (n = the row count of `x`).
    static func resample(_ x: Tensor<Float>, source: RandomSource) throws -> Tensor<Float> {
        let (n, d) = (x.shape[0], x.shape[1])
        var stream = source.stream(0)
        var out = Tensor<Float>(shape: [n, d])
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let j = Int(stream.next() % UInt64(n))
                    (dst.baseAddress! + i * d).update(from: src.baseAddress! + j * d, count: d)
                }
            }
        }
        return out
    }

    /// The sample standard deviation (divisor m − 1), `nil` for fewer than two values.
    static func standardDeviation(_ v: [Double]) -> Double? {
        guard v.count >= 2 else { return nil }
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
    }
}
