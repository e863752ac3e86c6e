import ArgumentParser
import GUD

/// Where the images come from (overrides the configuration file's `data`).
struct DataOptions: ParsableArguments {
    @Option(help: "Data set: mnist, digits (both bundled), idx or npy.")
    var dataset: String?

    @Option(name: .customLong("data-path"), help: "The IDX image file or .npy file (for --dataset idx/npy).")
    var dataPath: String?

    @Option(name: .customLong("labels-path"), help: "An IDX label file (for --dataset idx).")
    var labelsPath: String?

    @Option(name: .customLong("max-value"), help: "The largest IDX pixel value, mapped to +1 (default 255).")
    var maxValue: Double?

    @Option(name: .customLong("image-height"), help: "Image height for flat .npy arrays (N, D).")
    var imageHeight: Int?

    @Option(name: .customLong("image-width"), help: "Image width for flat .npy arrays (N, D).")
    var imageWidth: Int?

    @Option(help: "Use only the first N images.")
    var limit: Int?

    @Option(name: .customLong("crop-size"), help: "Cut random square crops of this size (with --crop-count).")
    var cropSize: Int?

    @Option(name: .customLong("crop-count"), help: "The number of random crops.")
    var cropCount: Int?

    /// Applies the options that were given.
    func apply(to c: inout DataConfiguration) {
        if let dataset { c.dataset = dataset }
        if let dataPath { c.path = dataPath }
        if let labelsPath { c.labelsPath = labelsPath }
        if let maxValue { c.maxValue = maxValue }
        if let imageHeight { c.height = imageHeight }
        if let imageWidth { c.width = imageWidth }
        if let limit { c.limit = limit }
        if let cropSize { c.cropSize = cropSize }
        if let cropCount { c.cropCount = cropCount }
    }

    var isEmpty: Bool {
        [dataset, dataPath, labelsPath].allSatisfy { $0 == nil } && maxValue == nil
            && [imageHeight, imageWidth, limit, cropSize, cropCount].allSatisfy { $0 == nil }
    }
}
