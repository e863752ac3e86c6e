/// Seeded shuffling mini-batches whose content is a pure function of the step index.
///
/// The data is shuffled once per epoch with a permutation drawn from `source.derived(epoch)`;
/// batch k is slice `(k mod b)·B ..< (k mod b + 1)·B` of epoch ⌊k / b⌋'s permutation, where
/// b = ⌊N / B⌋ batches per epoch (the last N mod B images of an epoch's order are skipped that epoch).
/// Because nothing else is remembered, resuming training at step k gives exactly the batches of an
/// uninterrupted run.
public struct BatchSampler<Scalar: TensorScalar>: Sendable {
    /// The images batches are drawn from.
    public let dataset: ImageDataset<Scalar>
    /// B, images per batch.
    public let batchSize: Int
    /// The source of the per-epoch permutations.
    public let source: RandomSource

    /// A sampler of batches of `batchSize` images of `dataset`.
    /// - Throws: `GUDError.invalidArgument` when the batch size is not in 1…count.
    public init(dataset: ImageDataset<Scalar>, batchSize: Int, source: RandomSource) throws {
        guard batchSize > 0, batchSize <= dataset.count else {
            throw GUDError.invalidArgument("batch size \(batchSize) must be between 1 and the data set size \(dataset.count)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.source = source
    }

    /// Batches per epoch.
    public var batchesPerEpoch: Int { dataset.count / batchSize }

    /// The indices of batch `step`.
    public func indices(step: Int) -> [Int] {
        let epoch = step / batchesPerEpoch
        let offset = (step % batchesPerEpoch) * batchSize
        let order = BatchSampler.permutation(dataset.count, source: source.derived(UInt64(epoch)))
        return Array(order[offset..<(offset + batchSize)])
    }

    /// Batch `step`: (batchSize, H·W, C).
    public func batch(step: Int) throws -> Tensor<Scalar> {
        try dataset.subset(indices(step: step)).images
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates) from the source's stream 0.
    public static func permutation(_ n: Int, source: RandomSource) -> [Int] {
        var order = Array(0..<n)
        var rng = source.stream(0)
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}
