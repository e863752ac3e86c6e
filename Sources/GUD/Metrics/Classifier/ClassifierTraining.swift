import Foundation

/// Supervised training of an ``MNISTClassifier``: Adam on the mean softmax cross-entropy over seeded
/// shuffled mini-batches (``BatchSampler``), with global-norm gradient clipping and a warm-up + cosine
/// learning rate. A run is a pure function of the data, the configuration and the random source (and
/// bit-identical for any thread count).
///
/// Defaults (those of the shipped classifier): 4 epochs of batches of 64, Adam with optax's defaults,
/// a learning rate warmed up over 200 steps to 2e-3 and decayed to 1e-5, gradients clipped at norm 1.
public struct ClassifierTraining: Codable, Sendable, Equatable {
    /// Passes over the training data.
    public var epochs: Int = 4
    /// Images per step (default 64).
    public var batchSize: Int = 64
    /// The peak of the learning rate: linear warm-up from 0 over `warmupSteps`, then cosine decay to
    /// `finalLearningRate` at the last step (`LearningRateSchedule.warmupCosine(peak:warmupSteps:totalSteps:final:)`).
    public var learningRate: Double = 2e-3
    /// Steps of linear warm-up from 0 to `learningRate` (default 200).
    public var warmupSteps: Int = 200
    /// The learning rate at the last step (default 1e-5).
    public var finalLearningRate: Double = 1e-5
    /// Gradients are clipped to this global norm (`clipGradientsByGlobalNorm(_:maxNorm:)`).
    public var maxGradientNorm: Double = 1

    /// A configuration; the defaults are those of the shipped classifier.
    public init(
        epochs: Int = 4, batchSize: Int = 64, learningRate: Double = 2e-3, warmupSteps: Int = 200,
        finalLearningRate: Double = 1e-5, maxGradientNorm: Double = 1
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.warmupSteps = warmupSteps
        self.finalLearningRate = finalLearningRate
        self.maxGradientNorm = maxGradientNorm
    }

    /// What happened in one epoch.
    public struct Epoch: Sendable {
        /// 1-based.
        public var epoch: Int
        /// The mean training loss over the epoch's steps.
        public var meanLoss: Double
        /// The accuracy on the evaluation set after the epoch, when one was given.
        public var evaluationAccuracy: Double?
        /// Wall-clock seconds of the epoch's steps (evaluation excluded).
        public var seconds: Double
    }

    /// The learning-rate schedule for a run of `totalSteps` updates.
    public func schedule(totalSteps: Int) -> LearningRateSchedule {
        .warmupCosine(peak: learningRate, warmupSteps: Swift.min(warmupSteps, totalSteps), totalSteps: totalSteps, final: finalLearningRate)
    }

    /// Trains `classifier` in place.
    ///
    /// Batch k of the run is batch k of a ``BatchSampler`` over `data` with `source.derived("batches")`
    /// (initialise the classifier from another derivation of the same source, e.g. `source.derived("init")`).
    ///
    /// - Parameters:
    ///   - classifier: the network to train, updated in place.
    ///   - data: labelled images with the classifier's size.
    ///   - evaluation: when given, its accuracy is measured after every epoch (reported, never used to
    ///     choose anything).
    ///   - step: called after every update with the 1-based step, the total and the loss.
    ///   - epochEnd: called after every epoch.
    ///   - source: the source of the batch order (batches are drawn from `source.derived("batches")`).
    /// - Returns: one summary per epoch.
    /// - Throws: `GUDError.invalidArgument` for a bad setting, unlabelled data, or a non-finite loss.
    @discardableResult
    public func run<Scalar>(
        _ classifier: MNISTClassifier<Scalar>, data: ImageDataset<Scalar>, evaluation: ImageDataset<Scalar>? = nil,
        source: RandomSource, step: (Int, Int, Double) -> Void = { _, _, _ in }, epochEnd: (Epoch) -> Void = { _ in }
    ) throws -> [Epoch] {
        try validate()
        guard let labels = data.labels else {
            throw GUDError.invalidArgument("classifier training needs labels; \(data.name) has none")
        }
        let sampler = try BatchSampler(dataset: data, batchSize: batchSize, source: source.derived("batches"))
        let steps = sampler.batchesPerEpoch
        let total = epochs * steps
        let learningRate = schedule(totalSteps: total)
        let adam = try Adam(parameters: classifier.parameters)
        var summaries: [Epoch] = []
        for epoch in 0..<epochs {
            let start = Date()
            var lossSum = 0.0
            for s in (epoch * steps)..<((epoch + 1) * steps) {
                let indices = sampler.indices(step: s)
                let images = try data.subset(indices).images
                let loss = Double(try classifier.lossAndGradients(images: images, labels: indices.map { labels[$0] }))
                guard loss.isFinite else {
                    throw GUDError.invalidArgument("classifier training diverged: loss \(loss) at step \(s + 1); lower the learning rate")
                }
                try clipGradientsByGlobalNorm(classifier.parameters, maxNorm: maxGradientNorm)
                try adam.update(classifier.parameters, learningRate: learningRate(s))
                lossSum += loss
                step(s + 1, total, loss)
            }
            let seconds = Date().timeIntervalSince(start)
            let summary = Epoch(
                epoch: epoch + 1, meanLoss: lossSum / Double(steps),
                evaluationAccuracy: try evaluation.map { try classifier.accuracy(on: $0) }, seconds: seconds)
            summaries.append(summary)
            epochEnd(summary)
        }
        return summaries
    }

    /// Throws `GUDError.invalidArgument` naming the first invalid setting.
    public func validate() throws {
        guard epochs >= 1, batchSize >= 1, warmupSteps >= 0 else {
            throw GUDError.invalidArgument("classifier training needs epochs ≥ 1, batch size ≥ 1 and warm-up ≥ 0; got \(epochs), \(batchSize), \(warmupSteps)")
        }
        guard learningRate > 0, finalLearningRate >= 0, maxGradientNorm > 0 else {
            throw GUDError.invalidArgument("classifier training needs a positive learning rate and gradient norm bound and a final rate ≥ 0; got \(learningRate), \(maxGradientNorm), \(finalLearningRate)")
        }
    }
}
