import Foundation

/// The data sets bundled with the library, usable without any download.
public enum BundledDataset: String, CaseIterable, Sendable, Codable {
    /// The MNIST test split: 10,000 digits, 28×28, gray (CC BY-SA 3.0, LeCun, Cortes, Burges).
    case mnist
    /// The UCI / scikit-learn handwritten digits: 1,797 digits, 8×8, values 0–16 (CC BY 4.0).
    case digits

    var files: (images: String, labels: String, maxValue: Double) {
        switch self {
        case .mnist: return ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 255)
        case .digits: return ("digits-images-idx3-ubyte", "digits-labels-idx1-ubyte", 16)
        }
    }
}

/// A set of images in GUD's layout, scaled to [−1, 1].
///
/// `images` has shape (count, H·W, C): the spatial axes are flattened row-major (pixel (r, c) at
/// index r·W + c) and `height`, `width` keep the spatial shape as metadata. Labels, when known,
/// are one integer per image.
public struct ImageDataset<Scalar: TensorScalar>: Sendable {
    /// The images, (count, H·W, C) in [−1, 1].
    public let images: Tensor<Scalar>
    /// One class label per image, when known.
    public let labels: [Int]?
    /// H, the image height.
    public let height: Int
    /// W, the image width.
    public let width: Int
    /// A short description of the source, e.g. "mnist" or a file path.
    public let name: String

    /// The number of images.
    public var count: Int { images.shape[0] }
    /// Channels per pixel.
    public var channels: Int { images.shape[2] }
    /// H·W.
    public var spaceDimension: Int { height * width }
    /// The spatial shape [H, W].
    public var spatialShape: [Int] { [height, width] }

    /// A data set from images already in GUD's layout.
    /// - Throws: when the shape is not (count, height·width, channels), labels do not match the
    ///   count, or a value is not finite.
    public init(images: Tensor<Scalar>, height: Int, width: Int, labels: [Int]? = nil, name: String) throws {
        guard images.rank == 3, height > 0, width > 0, images.shape[1] == height * width, images.shape[2] > 0 else {
            throw GUDError.shapeMismatch("images have shape \(images.shape); expected (count, \(height)·\(width), channels)")
        }
        if let labels, labels.count != images.shape[0] {
            throw GUDError.shapeMismatch("\(labels.count) labels for \(images.shape[0]) images")
        }
        try images.checkFinite("images of \(name)")
        self.images = images
        self.labels = labels
        self.height = height
        self.width = width
        self.name = name
    }

    /// A bundled data set, scaled from its pixel range to [−1, 1].
    public static func bundled(_ which: BundledDataset) throws -> ImageDataset {
        func url(_ name: String) throws -> URL {
            guard let u = Bundle.module.url(forResource: name, withExtension: "gz", subdirectory: "Datasets") else {
                throw GUDError.io("the bundled data file \(name).gz is missing from the GUD resource bundle")
            }
            return u
        }
        let f = which.files
        return try idx(images: try url(f.images), labels: try url(f.labels), maxValue: f.maxValue, name: which.rawValue)
    }

    /// Images from an IDX file of rank 3 (N, H, W) or 4 (N, H, W, C), or one image of rank 2 (H, W)
    /// (a texture to cut crops from), optionally with an IDX label file of rank 1; pixel values
    /// v ∈ [0, maxValue] become 2v/maxValue − 1.
    public static func idx(images: URL, labels: URL? = nil, maxValue: Double = 255, name: String? = nil) throws -> ImageDataset {
        let file = try IDXFile(contentsOf: images)
        guard (2...4).contains(file.shape.count) else {
            throw GUDError.shapeMismatch("\(images.path) holds an array of shape \(file.shape); expected one image (H, W) or images (N, H, W) or (N, H, W, C)")
        }
        var pixels: Tensor<Scalar> = file.tensor()
        if file.shape.count == 2 { pixels = try pixels.reshaped([1] + file.shape) }
        var labelValues: [Int]?
        if let labels {
            let l = try IDXFile(contentsOf: labels)
            guard l.shape.count == 1 else {
                throw GUDError.shapeMismatch("\(labels.path) holds shape \(l.shape); expected labels (N)")
            }
            labelValues = l.tensor(as: Double.self).scalars.map { Int($0) }
        }
        return try fromPixels(pixels, maxValue: maxValue, labels: labelValues, name: name ?? images.lastPathComponent)
    }

    /// Images from a `.npy` array (N, H, W), (N, H, W, C) or, with `height` and `width` given, (N, D)
    /// or (N, D, C). uint8 arrays are scaled from [0, 255] to [−1, 1]; float arrays are used as they are.
    public static func npy(_ url: URL, height: Int? = nil, width: Int? = nil, labels: [Int]? = nil) throws -> ImageDataset {
        let file = try NPYFile(contentsOf: url)
        var t: Tensor<Scalar> = file.tensor()
        if file.shape.count == 2 || (file.shape.count == 3 && height != nil) {
            guard let height, let width else {
                throw GUDError.invalidArgument("\(url.path) holds flat data of shape \(file.shape); give the image height and width")
            }
            let c = file.shape.count == 3 ? file.shape[2] : 1
            t = try t.reshaped([file.shape[0], height, width, c])
        } else if file.shape.count == 3 {
            t = try t.reshaped(file.shape + [1])
        } else if file.shape.count != 4 {
            throw GUDError.shapeMismatch("\(url.path) holds an array of shape \(file.shape); expected (N, H, W), (N, H, W, C), or (N, D) with --height/--width")
        }
        if file.elementType == .uint8 {
            return try fromPixels(t, maxValue: 255, labels: labels, name: url.lastPathComponent)
        }
        return try ImageDataset(
            images: try t.reshaped([t.shape[0], t.shape[1] * t.shape[2], t.shape[3]]),
            height: t.shape[1], width: t.shape[2], labels: labels, name: url.lastPathComponent)
    }

    /// Scales pixel values (N, H, W) or (N, H, W, C) in [0, maxValue] to [−1, 1] and flattens space.
    static func fromPixels(_ pixels: Tensor<Scalar>, maxValue: Double, labels: [Int]?, name: String) throws -> ImageDataset {
        let s = pixels.rank == 3 ? pixels.shape + [1] : pixels.shape
        let scale = Scalar(2 / maxValue)
        let scaled = try pixels.map { $0 * scale - 1 }.reshaped([s[0], s[1] * s[2], s[3]])
        return try ImageDataset(images: scaled, height: s[1], width: s[2], labels: labels, name: name)
    }

    /// The images at the given indices, in that order.
    public func subset(_ indices: [Int]) throws -> ImageDataset {
        guard indices.allSatisfy({ $0 >= 0 && $0 < count }) else {
            throw GUDError.invalidArgument("subset index out of range 0..<\(count)")
        }
        let per = spaceDimension * channels
        var out = Tensor<Scalar>(shape: [indices.count, spaceDimension, channels])
        images.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (k, i) in indices.enumerated() {
                    for j in 0..<per { dst[k * per + j] = src[i * per + j] }
                }
            }
        }
        return try ImageDataset(images: out, height: height, width: width, labels: labels.map { l in indices.map { l[$0] } }, name: name)
    }

    /// The first `n` images (all of them when `n ≥ count`).
    public func prefix(_ n: Int) throws -> ImageDataset {
        try subset(Array(0..<Swift.min(Swift.max(n, 0), count)))
    }

    /// `count` square crops of `size × size` pixels at random positions of random images: crop k
    /// draws its image and position from `source.stream(k)`. Labels are dropped.
    /// - Throws: when `size` exceeds the image or `count` < 1.
    public func randomCrops(size: Int, count: Int, source: RandomSource) throws -> ImageDataset {
        guard size >= 1, size <= height, size <= width, count >= 1 else {
            throw GUDError.invalidArgument("cannot cut \(count) crops of \(size)×\(size) from \(height)×\(width) images")
        }
        let c = channels
        var out = Tensor<Scalar>(shape: [count, size * size, c])
        images.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for k in 0..<count {
                    var rng = source.stream(k)
                    let i = Int(rng.next() % UInt64(self.count))
                    let r0 = Int(rng.next() % UInt64(height - size + 1))
                    let c0 = Int(rng.next() % UInt64(width - size + 1))
                    for r in 0..<size {
                        for col in 0..<size {
                            for ch in 0..<c {
                                dst[((k * size + r) * size + col) * c + ch] =
                                    src[((i * height + r0 + r) * width + c0 + col) * c + ch]
                            }
                        }
                    }
                }
            }
        }
        return try ImageDataset(images: out, height: size, width: size, name: "\(name) \(size)×\(size) crops")
    }

    /// A seeded random split into a training and a validation part; `validationFraction` ∈ [0, 1).
    public func split(validationFraction: Double, source: RandomSource) throws -> (train: ImageDataset, validation: ImageDataset) {
        guard validationFraction >= 0, validationFraction < 1 else {
            throw GUDError.invalidArgument("validation fraction must be in [0, 1), got \(validationFraction)")
        }
        let order = BatchSampler<Scalar>.permutation(count, source: source)
        let nVal = Int((Double(count) * validationFraction).rounded())
        return (try subset(Array(order[nVal...])), try subset(Array(order[..<nVal])))
    }
}
