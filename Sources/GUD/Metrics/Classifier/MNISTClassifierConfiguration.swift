/// The configuration of an ``MNISTClassifier`` (stored as JSON in its weights' metadata).
///
/// Defaults: 28×28 gray images, three 3×3 convolutions with 32 channels at stride 2
/// (28×28 → 14×14 → 7×7 → 4×4), a 128-dimensional feature layer and 10 classes.
public struct MNISTClassifierConfiguration: Codable, Sendable, Equatable {
    /// Image height; inputs have `height · width` spatial positions (row-major), one channel.
    public var height: Int = 28
    /// Image width.
    public var width: Int = 28
    /// The output channels of the 3×3 convolutions, in order.
    public var channels: [Int] = [32, 32, 32]
    /// The stride of each convolution (one per entry of `channels`).
    public var strides: [Int] = [2, 2, 2]
    /// The width of the feature layer whose activations the Fréchet distance compares.
    public var featureDimension: Int = 128
    /// The number of classes.
    public var classes: Int = 10

    /// A configuration; the defaults are those of the shipped classifier. ``validate()`` checks it.
    public init(
        height: Int = 28, width: Int = 28, channels: [Int] = [32, 32, 32], strides: [Int] = [2, 2, 2],
        featureDimension: Int = 128, classes: Int = 10
    ) {
        self.height = height
        self.width = width
        self.channels = channels
        self.strides = strides
        self.featureDimension = featureDimension
        self.classes = classes
    }

    /// The image size after the convolutions: a 3×3 convolution with padding 1 and stride s maps a side
    /// of n pixels to ⌊(n − 1) / s⌋ + 1.
    public var finalImageSize: (height: Int, width: Int) {
        strides.reduce((height, width)) { size, s in ((size.0 - 1) / s + 1, (size.1 - 1) / s + 1) }
    }

    /// Throws `GUDError.invalidArgument` naming the first invalid setting.
    public func validate() throws {
        func fail(_ m: String) -> GUDError { .invalidArgument("MNIST classifier configuration: \(m)") }
        guard height > 0, width > 0, featureDimension > 0, classes >= 2 else {
            throw fail("sizes must be positive and classes ≥ 2; got \(height)×\(width), \(featureDimension) features, \(classes) classes")
        }
        guard !channels.isEmpty, channels.allSatisfy({ $0 > 0 }) else {
            throw fail("convolution channels \(channels) must be non-empty and positive")
        }
        guard strides.count == channels.count, strides.allSatisfy({ $0 >= 1 }) else {
            throw fail("strides \(strides) must be ≥ 1, one per convolution (\(channels.count))")
        }
    }
}
