import GUD

/// The diffusion setting of the issue-7 benchmarks: the bundled MNIST test split (10,000 images in
/// [−1, 1], (N, 784, 1)), the whitened Fourier space fitted to it (scale = √power spectrum, entries
/// below 1e-6 × the largest raised to that floor), and the soft-conditioning schedule with labels
/// −log power and softness 1 (γ̃ from −7 to 3).
public struct WhitenedMNIST: Sendable {
    /// The bundled images, (10000, 784, 1).
    public let images: Tensor<Float>
    /// The whitened Fourier space over 28 × 28.
    public let space: FourierSpace<Float>
    /// The soft-conditioning schedule in that space.
    public let schedule: LinearSchedule<Float>

    /// Loads the bundled MNIST and fits the space and schedule.
    public init() throws {
        let data = try ImageDataset<Float>.bundled(.mnist)
        images = data.images
        space = try FourierSpace(shape: data.spatialShape, data: data.images, floor: .clamp(relative: 1e-6))
        schedule = try softConditioningSchedule(labels: space.scale!.map { -2 * Float.log($0) }, softness: 1)
    }

    /// The first `count` images, (count, 784, 1).
    public func firstImages(_ count: Int) throws -> Tensor<Float> {
        try Tensor(shape: [count, images.shape[1], images.shape[2]],
                   scalars: Array(images.scalars.prefix(count * images.shape[1] * images.shape[2])))
    }
}
