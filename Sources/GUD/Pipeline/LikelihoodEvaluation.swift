import Foundation

/// Bits per dimension of a trained model on images, per image and averaged, with error estimates.
public struct BitsPerDimensionReport: Sendable, CustomStringConvertible {
    /// Bits/dim of every image.
    public let perImage: [Double]
    /// The Hutchinson standard error of every image's bits/dim (nil for the exact divergence).
    public let hutchinsonStandardErrors: [Double]?
    /// The mean over images.
    public let mean: Double
    /// The standard error of the mean from the spread over images (s/√n).
    public let standardErrorOverImages: Double
    /// The standard error of the mean from the Hutchinson estimates (√Σ seᵢ² / n).
    public let hutchinsonStandardError: Double?
    /// The bits added for the quantisation bins (7 for 8-bit data in [−1, 1]).
    public let offset: Double
    /// Whether uniform dequantisation noise was added.
    public let dequantized: Bool
    /// ODE right-hand-side evaluations, summed over batches.
    public let evaluations: Int

    /// One line: the mean with its standard errors, the offset and the number of ODE evaluations.
    public var description: String {
        var s = String(format: "bits/dim: %.4f ± %.4f (standard error over %d images)", mean, standardErrorOverImages, perImage.count)
        if let h = hutchinsonStandardError { s += String(format: " ± %.4f (Hutchinson)", h) }
        s += String(format: "; offset %.3f bits%@; %d ODE evaluations", offset, dequantized ? ", uniform dequantisation" : ", no dequantisation", evaluations)
        return s
    }
}

/// Evaluates bits/dim of images under a ``TrainedModel`` through the probability-flow ODE.
public enum LikelihoodEvaluation {
    /// Bits/dim of images (N, H·W, C) in [−1, 1] quantised to `levels` values.
    ///
    /// With `dequantize`, image i is v + u with v its pixel level and u ~ U[0, 1) per pixel from
    /// `source.derived("dequantize").stream(i)`, mapped back as x = (v + u)·2/levels − 1; the
    /// log-density of x (of the process's t = 0 marginal, through ``logLikelihood(model:schedule:data:divergence:prior:tStart:tEnd:relativeTolerance:absoluteTolerance:firstSample:)``
    /// with the standard normal prior) gives bits/dim = −log p(x)/(D ln 2) + log₂(levels/2).
    ///
    /// - Parameters:
    ///   - model: the trained model; its EMA or raw weights as loaded.
    ///   - images: (N, H·W, C) in [−1, 1], the run's image size.
    ///   - dequantize: add uniform noise within each quantisation bin (default true).
    ///   - levels: the number of quantisation levels, ≥ 2 (default 256: 8-bit images).
    ///   - probes: Hutchinson probes per image (≥ 2, drawn from `source.derived("probes")`), or nil for the exact divergence.
    ///   - tolerance: the ODE solver's relative and absolute tolerance (default 1e-4).
    ///   - batchSize: images per solver run (default 16).
    ///   - softness: the schedule member (default: the run's softness); a family-trained network
    ///     can be evaluated at any member.
    ///   - secondarySoftness: the column softness of a wavelet-column schedule (default: the run's).
    ///   - source: the source of the dequantisation noise and the probes.
    ///   - progress: called after every batch with the number of images done.
    /// - Throws: `GUDError.shapeMismatch` for images of another size, `GUDError.invalidArgument` for
    ///   fewer than 2 levels, and the errors of ``logLikelihood(model:schedule:data:divergence:prior:tStart:tEnd:relativeTolerance:absoluteTolerance:firstSample:)``.
    public static func bitsPerDimension<S: TensorScalar>(
        model: TrainedModel<S>, images: Tensor<S>, dequantize: Bool = true, levels: Int = 256, probes: Int? = 2,
        tolerance: S = 1e-4, batchSize: Int = 16, softness: Double? = nil, secondarySoftness: Double? = nil, source: RandomSource,
        progress: ((Int) -> Void)? = nil
    ) throws -> BitsPerDimensionReport {
        let setup = model.setup
        guard images.rank == 3, images.shape[1] == setup.height * setup.width, images.shape[2] == setup.channels, images.shape[0] > 0 else {
            throw GUDError.shapeMismatch("images have shape \(images.shape); expected (N, \(setup.height * setup.width), \(setup.channels))")
        }
        guard levels >= 2 else { throw GUDError.invalidArgument("quantisation levels must be at least 2, got \(levels)") }
        let n = images.shape[0], per = images.count / n
        let epsilonModel = try model.model()
        let schedule = try setup.schedule(softness: softness, secondarySoftness: secondarySoftness)
        let offset = dequantizationOffset(levels: levels)
        var bits = [Double](), errors = [Double](), evaluations = 0
        var first = 0
        while first < n {
            let count = Swift.min(batchSize, n - first)
            var batch = try Tensor(shape: [count, images.shape[1], images.shape[2]], scalars: Array(images.scalars[(first * per)..<((first + count) * per)]))
            if dequantize {
                let noise = source.derived("dequantize")
                batch.withUnsafeMutableBufferPointer { b in
                    for i in 0..<count {
                        var stream = noise.stream(first + i)
                        for j in 0..<per {
                            let v = ((Double(b[i * per + j]) + 1) / 2 * Double(levels - 1)).rounded()
                            b[i * per + j] = S((v + stream.nextUniform()) * 2 / Double(levels) - 1)
                        }
                    }
                }
            }
            let data = try DataValue(setup.space, data: setup.shifted(batch, by: -1))
            let divergence: DivergenceMethod = probes.map { .hutchinson(probes: $0, source: source.derived("probes")) } ?? .exact
            let result = try logLikelihood(
                model: epsilonModel, schedule: schedule, data: data, divergence: divergence, tEnd: model.startTime,
                relativeTolerance: tolerance, absoluteTolerance: tolerance, firstSample: first)
            let dims = Double(result.dimension)
            bits += result.logDensity.map { -Double($0) / (dims * Foundation.log(2)) + offset }
            if let se = result.standardError { errors += se.map { Double($0) / (dims * Foundation.log(2)) } }
            evaluations += result.evaluations
            first += count
            progress?(first)
        }
        let mean = bits.reduce(0, +) / Double(n)
        let variance = n > 1 ? bits.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1) : 0
        return BitsPerDimensionReport(
            perImage: bits, hutchinsonStandardErrors: probes == nil ? nil : errors, mean: mean,
            standardErrorOverImages: (variance / Double(n)).squareRoot(),
            hutchinsonStandardError: probes == nil ? nil : errors.map { $0 * $0 }.reduce(0, +).squareRoot() / Double(n),
            offset: offset, dequantized: dequantize, evaluations: evaluations)
    }
}
