/// Arranges images into one picture: a grid of tiles separated by a border.
public enum ImageGrid {
    /// Renders images as a grid.
    ///
    /// - Parameters:
    ///   - images: (count, H·W, C) with C = 1 (gray) or 3 (RGB), values mapped from `range` to 0…255
    ///     and clipped (NaN becomes 0).
    ///   - height: H, the number of pixel rows of an image.
    ///   - width: W, the number of pixel columns (pixel (r, c) at index r·W + c).
    ///   - columns: tiles per row (default: ⌈√count⌉).
    ///   - padding: border width in pixels between and around tiles (default 2).
    ///   - background: border gray level (default 128).
    ///   - range: the values mapped to black and white (default −1…1, the range of GUD's images).
    /// - Throws: `GUDError.shapeMismatch` when the images do not have H·W pixels or C ∉ {1, 3}.
    public static func render<S: TensorScalar>(
        _ images: Tensor<S>, height: Int, width: Int, columns: Int? = nil, padding: Int = 2,
        background: UInt8 = 128, range: ClosedRange<Double> = -1...1
    ) throws -> PNGImage {
        guard images.rank == 3, images.shape[1] == height * width, [1, 3].contains(images.shape[2]), images.shape[0] > 0 else {
            throw GUDError.shapeMismatch("image grid needs (count > 0, \(height)·\(width), 1 or 3) images, got \(images.shape)")
        }
        let n = images.shape[0], c = images.shape[2]
        let cols = Swift.max(1, Swift.min(columns ?? Int(Double(n).squareRoot().rounded(.up)), n))
        let rows = (n + cols - 1) / cols
        let gw = cols * width + (cols + 1) * padding
        let gh = rows * height + (rows + 1) * padding
        var pixels = [UInt8](repeating: background, count: gw * gh * c)
        let lo = range.lowerBound, span = range.upperBound - range.lowerBound
        images.withUnsafeBufferPointer { src in
            for i in 0..<n {
                let oy = padding + (i / cols) * (height + padding)
                let ox = padding + (i % cols) * (width + padding)
                for y in 0..<height {
                    for x in 0..<width {
                        for ch in 0..<c {
                            let v = (Double(src[(i * height * width + y * width + x) * c + ch]) - lo) / span
                            let byte = v.isNaN ? 0 : UInt8(Swift.max(0, Swift.min(255, (v * 255).rounded())))
                            pixels[((oy + y) * gw + ox + x) * c + ch] = byte
                        }
                    }
                }
            }
        }
        return try PNGImage(width: gw, height: gh, channels: c, pixels: pixels)
    }
}
