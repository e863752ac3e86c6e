import Foundation

/// Where the training images come from.
///
/// `dataset` is a bundled data set (`mnist`, `digits`), `idx` (an IDX image file, optionally with
/// an IDX label file) or `npy` (a `.npy` array). Optionally only the first `limit` images are used,
/// or, with `cropSize`, `cropCount` random square crops (seeded) are cut from the images — the way to
/// train on the large stationary textures.
public struct DataConfiguration: Codable, Equatable, Sendable {
    /// `mnist`, `digits`, `idx` or `npy`.
    public var dataset: String = "mnist"
    /// The IDX image file or `.npy` file (for `idx` and `npy`).
    public var path: String?
    /// An IDX label file (for `idx`).
    public var labelsPath: String?
    /// The largest pixel value of IDX files, mapped to +1 (default 255).
    public var maxValue: Double = 255
    /// Image height for flat `.npy` arrays (N, D) or (N, D, C) (with `width`).
    public var height: Int?
    /// Image width for flat `.npy` arrays (with `height`).
    public var width: Int?
    /// Use only the first `limit` images.
    public var limit: Int?
    /// Cut `cropCount` random crops of `cropSize × cropSize` pixels from the images.
    public var cropSize: Int?
    /// The number of crops (with `cropSize`).
    public var cropCount: Int?

    /// A configuration for a data set: `mnist` (default), `digits`, `idx` or `npy` (then set `path`).
    public init(dataset: String = "mnist") { self.dataset = dataset }

    /// Throws `GUDError.invalidArgument` for an unknown data set or a missing or inconsistent field.
    public func validate() throws {
        switch dataset {
        case "idx", "npy":
            guard path != nil else { throw GUDError.invalidArgument("data set '\(dataset)' needs a file path") }
        default:
            guard BundledDataset(rawValue: dataset) != nil else {
                let names = BundledDataset.allCases.map(\.rawValue).joined(separator: ", ")
                throw GUDError.invalidArgument("unknown data set '\(dataset)'; expected one of \(names), idx or npy")
            }
        }
        if let limit, limit < 1 { throw GUDError.invalidArgument("data limit must be positive, got \(limit)") }
        guard maxValue > 0 else { throw GUDError.invalidArgument("maximum pixel value must be positive, got \(maxValue)") }
        if (cropSize == nil) != (cropCount == nil) {
            throw GUDError.invalidArgument("crops need both a crop size and a crop count")
        }
        if let s = cropSize, s < 2 { throw GUDError.invalidArgument("crop size must be at least 2, got \(s)") }
        if let c = cropCount, c < 1 { throw GUDError.invalidArgument("crop count must be positive, got \(c)") }
    }

    /// Loads the images (and labels, when known), applies `limit` and the crops (crop positions drawn
    /// from `source`).
    public func load<S: TensorScalar>(source: RandomSource, as: S.Type = S.self) throws -> ImageDataset<S> {
        try validate()
        var data: ImageDataset<S>
        switch dataset {
        case "idx":
            data = try .idx(
                images: URL(fileURLWithPath: path!), labels: labelsPath.map { URL(fileURLWithPath: $0) },
                maxValue: maxValue)
        case "npy":
            data = try .npy(URL(fileURLWithPath: path!), height: height, width: width)
        default:
            data = try .bundled(BundledDataset(rawValue: dataset)!)
        }
        if let limit { data = try data.prefix(limit) }
        if let size = cropSize, let count = cropCount {
            data = try data.randomCrops(size: size, count: count, source: source)
        }
        return data
    }

    /// A short description, e.g. `mnist (first 2000)`.
    public var summary: String {
        var s = dataset == "idx" || dataset == "npy" ? "\(dataset) \(path ?? "")" : dataset
        if let limit { s += " (first \(limit))" }
        if let size = cropSize, let count = cropCount { s += ", \(count) random \(size)×\(size) crops" }
        return s
    }
}
