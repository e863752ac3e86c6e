import Foundation

/// The result of ``SampleQuality/evaluate(_:bootstrapResamples:source:)``: the Fréchet distance in the
/// classifier's feature space with its bootstrap error, the sample counts it was computed from, and the
/// predicted-class histograms. `description` gives a readable summary.
public struct SampleQualityReport: Sendable, CustomStringConvertible {
    /// d² between the Gaussians fitted to the features of the samples and of the reference set.
    public var frechetDistance: Double
    /// The standard deviation of d² over the bootstrap resamples (`nil` for fewer than two).
    public var bootstrapStandardDeviation: Double?
    /// The number of bootstrap resamples of the generated images.
    public var bootstrapResamples: Int
    /// The seed of the source the resamples were drawn from.
    public var bootstrapSeed: UInt64
    /// The number of generated images.
    public var sampleCount: Int
    /// The number of reference images.
    public var referenceCount: Int
    /// The name of the reference set, e.g. `mnist`.
    public var referenceName: String
    /// The dimension of the classifier features.
    public var featureDimension: Int
    /// The classifier's test accuracy as recorded in its weights' metadata, if known.
    public var classifierTestAccuracy: Double?
    /// The classifier's predicted classes of the samples.
    public var histogram: ClassHistogram
    /// The classifier's predicted classes of the reference images.
    public var referenceHistogram: ClassHistogram

    /// The number of classes that receive at least half the uniform share of the samples' predictions.
    public var coveredClasses: Int { histogram.coveredClasses(minimumShare: histogram.halfUniformShare) }

    /// A readable summary: the distance with its bootstrap spread, the sizes and the class coverage.
    public var description: String {
        var lines: [String] = []
        var fd = String(format: "Fréchet distance (classifier features, %d-d): %.3f", featureDimension, frechetDistance)
        if let sd = bootstrapStandardDeviation {
            fd += String(format: " ± %.3f (bootstrap sd, %d resamples, seed %llu)", sd, bootstrapResamples, bootstrapSeed)
        }
        lines.append(fd)
        var counts = "samples: \(sampleCount); reference: \(referenceName), \(referenceCount) images"
        if let a = classifierTestAccuracy { counts += String(format: "; classifier test accuracy %.2f %%", 100 * a) }
        lines.append(counts)
        lines.append("predicted classes of the samples:   \(histogram)")
        lines.append("predicted classes of the reference: \(referenceHistogram)")
        let k = histogram.counts.count
        var coverage = String(
            format: "entropy %.3f of %.3f bits (%.3f); classes with ≥ %.0f %% of the samples: %d of %d",
            histogram.entropy, Foundation.log2(Double(k)), histogram.normalizedEntropy, 100 * histogram.halfUniformShare, coveredClasses, k)
        if let tv = try? histogram.totalVariation(from: referenceHistogram) {
            coverage += String(format: "; total variation from the reference %.3f", tv)
        }
        lines.append(coverage)
        return lines.joined(separator: "\n")
    }
}
