import CZlib
import Foundation
import Testing
@testable import GUD

/// Decodes our PNG files with an independent reader built on zlib (inflate + crc32) and compares pixels.
struct PNGImageTests {
    /// Splits a PNG into chunks, checking signature, lengths and CRCs; inflates IDAT; undoes filter 0.
    func decode(_ png: Data) throws -> (width: Int, height: Int, colorType: UInt8, pixels: [UInt8]) {
        let b = [UInt8](png)
        #expect(Array(b[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var i = 8, width = 0, height = 0, colorType: UInt8 = 0
        var idat = [UInt8]()
        func be32(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
        var types = [String]()
        while i < b.count {
            let len = be32(i)
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            types.append(type)
            let typed = Array(b[(i + 4)..<(i + 8 + len)])
            let crc = typed.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
            #expect(UInt32(be32(i + 8 + len)) == crc, "CRC of \(type)")
            if type == "IHDR" {
                width = be32(i + 8); height = be32(i + 12); colorType = b[i + 17]
                #expect(b[i + 16] == 8)
            }
            if type == "IDAT" { idat += b[(i + 8)..<(i + 8 + len)] }
            i += 12 + len
        }
        #expect(types == ["IHDR", "IDAT", "IEND"])
        // Inflate with zlib directly.
        let channels = colorType == 0 ? 1 : 3
        var raw = [UInt8](repeating: 0, count: height * (width * channels + 1))
        var rawLen = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { r in
            idat.withUnsafeBufferPointer { s in uncompress(r.baseAddress, &rawLen, s.baseAddress, uLong(s.count)) }
        }
        #expect(status == Z_OK && Int(rawLen) == raw.count)
        var pixels = [UInt8]()
        for r in 0..<height {
            let row = r * (width * channels + 1)
            #expect(raw[row] == 0)
            pixels += raw[(row + 1)..<(row + 1 + width * channels)]
        }
        return (width, height, colorType, pixels)
    }

    @Test func grayAndRGBRoundTrip() throws {
        var s = RandomSource(seed: 4).stream(0)
        let gray = (0..<(7 * 5)).map { _ in UInt8(truncatingIfNeeded: s.next()) }
        let g = try decode(try PNGImage(width: 7, height: 5, pixels: gray).encoded())
        #expect(g.width == 7 && g.height == 5 && g.colorType == 0 && g.pixels == gray)
        let rgb = (0..<(3 * 4 * 3)).map { _ in UInt8(truncatingIfNeeded: s.next()) }
        let c = try decode(try PNGImage(width: 3, height: 4, channels: 3, pixels: rgb).encoded())
        #expect(c.colorType == 2 && c.pixels == rgb)
    }

    @Test func gridPlacesTilesAndClips() throws {
        // Two 2×2 images: values −1 (→ 0), 1 (→ 255), 3 (clipped to 255), NaN (→ 0).
        let images = try Tensor<Float>(shape: [2, 4, 1], scalars: [-1, 1, 3, .nan, 0, 0, 0, 0])
        let png = try ImageGrid.render(images, height: 2, width: 2, columns: 2, padding: 1, background: 7)
        #expect(png.width == 7 && png.height == 4)
        let d = try decode(try png.encoded())
        #expect(Array(d.pixels[(1 * 7 + 1)...(1 * 7 + 2)]) == [0, 255])
        #expect(Array(d.pixels[(2 * 7 + 1)...(2 * 7 + 2)]) == [255, 0])
        #expect(d.pixels[1 * 7 + 4] == 128 && d.pixels[0] == 7)
        #expect(throws: GUDError.self) { try ImageGrid.render(images, height: 3, width: 2) }
        #expect(throws: GUDError.self) { try PNGImage(width: 2, height: 2, channels: 2, pixels: [0, 0, 0, 0, 0, 0, 0, 0]) }
    }

    @Test func atomicWriteReplacesWholeFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-png-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a/b.png")
        try PNGImage(width: 1, height: 1, pixels: [9]).write(to: url)
        try PNGImage(width: 2, height: 1, pixels: [1, 2]).write(to: url)
        #expect(try decode(try AtomicFile.read(url)).pixels == [1, 2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("a").path) == ["b.png"])
    }
}
