import Foundation
import GUD

/// Writing image batches as a PNG grid and as `.npy`.
enum ImageOutput {
    /// Writes images (N, H·W, C) as `<prefix>.png` (a grid) and `<prefix>.npy` (float32, (N, H, W) or
    /// (N, H, W, C), values in [−1, 1] as generated); returns both paths.
    static func write(
        _ images: Tensor<Float>, height: Int, width: Int, prefix: URL, columns: Int? = nil
    ) throws -> (png: URL, npy: URL) {
        let png = prefix.appendingPathExtension("png"), npy = prefix.appendingPathExtension("npy")
        try ImageGrid.render(images, height: height, width: width, columns: columns).write(to: png)
        let c = images.shape[2]
        let shape = c == 1 ? [images.shape[0], height, width] : [images.shape[0], height, width, c]
        try NPYFile(try images.reshaped(shape)).write(to: npy)
        return (png, npy)
    }

    /// Stacks rows of images: rows[r] holds the columns of row r, each (1, H·W, C).
    static func grid(rows: [[Tensor<Float>]], height: Int, width: Int, to url: URL) throws {
        guard let columns = rows.first?.count, columns > 0 else { throw GUDError.invalidArgument("an empty picture") }
        let c = rows[0][0].shape[2]
        var all = [Float]()
        for row in rows { for image in row { all += image.scalars } }
        let stacked = try Tensor(shape: [rows.count * columns, height * width, c], scalars: all)
        try ImageGrid.render(stacked, height: height, width: width, columns: columns).write(to: url)
    }
}
