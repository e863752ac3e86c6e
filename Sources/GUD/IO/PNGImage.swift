import Foundation

/// An 8-bit grayscale or RGB image and its PNG encoding.
///
/// The encoder writes the PNG signature, an IHDR chunk (bit depth 8, colour type 0 or 2, no
/// interlace), one IDAT chunk with zlib-compressed scanlines (filter type 0 on every row), and IEND;
/// every chunk carries its CRC-32.
public struct PNGImage: Sendable, Equatable {
    /// The width in pixels.
    public let width: Int
    /// The height in pixels.
    public let height: Int
    /// 1 (grayscale) or 3 (RGB).
    public let channels: Int
    /// Row-major pixels, `channels` bytes each: `height × width × channels` bytes.
    public let pixels: [UInt8]

    /// An image of `width × height` pixels from row-major bytes.
    /// - Throws: `GUDError.invalidArgument` for a non-positive size, a channel count other
    ///   than 1 or 3, or a pixel count that does not match.
    public init(width: Int, height: Int, channels: Int = 1, pixels: [UInt8]) throws {
        guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24 else {
            throw GUDError.invalidArgument("PNG size \(width)×\(height) is not positive or too large")
        }
        guard channels == 1 || channels == 3 else {
            throw GUDError.invalidArgument("PNG images have 1 (gray) or 3 (RGB) channels here, got \(channels)")
        }
        guard pixels.count == width * height * channels else {
            throw GUDError.invalidArgument("a \(width)×\(height)×\(channels) image needs \(width * height * channels) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The PNG file's bytes.
    public func encoded() throws -> Foundation.Data {
        var out = Foundation.Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Foundation.Data()
        ihdr.appendBigEndian(UInt32(width))
        ihdr.appendBigEndian(UInt32(height))
        ihdr.append(contentsOf: [8, channels == 1 ? 0 : 2, 0, 0, 0])
        PNGImage.appendChunk("IHDR", ihdr, to: &out)
        // Scanlines, each preceded by filter type 0 (none).
        let rowBytes = width * channels
        var raw = Foundation.Data(capacity: height * (rowBytes + 1))
        for r in 0..<height {
            raw.append(0)
            raw.append(contentsOf: pixels[(r * rowBytes)..<((r + 1) * rowBytes)])
        }
        PNGImage.appendChunk("IDAT", try Gzip.zlibCompress(raw, level: 9), to: &out)
        PNGImage.appendChunk("IEND", Foundation.Data(), to: &out)
        return out
    }

    /// Writes the PNG file atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(try encoded(), to: url)
    }

    private static func appendChunk(_ type: String, _ body: Foundation.Data, to out: inout Foundation.Data) {
        out.appendBigEndian(UInt32(body.count))
        let typed = Foundation.Data(type.utf8) + body
        out.append(typed)
        out.appendBigEndian(Gzip.crc32(typed))
    }
}

extension Foundation.Data {
    mutating func appendBigEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
