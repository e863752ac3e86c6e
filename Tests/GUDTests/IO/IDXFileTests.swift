import Foundation
import Testing
@testable import GUD

struct IDXFileTests {
    /// A valid IDX byte string: uint8, shape (2, 3), values 0…5.
    static let valid: [UInt8] = [0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 3, 4, 5]

    @Test func readsValidBytesOfEveryType() throws {
        let f = try IDXFile(bytes: Data(Self.valid))
        #expect(f.shape == [2, 3] && f.elementType == .uint8)
        #expect(try f.bytes() == [0, 1, 2, 3, 4, 5])
        #expect(f.tensor(as: Double.self).scalars == [0, 1, 2, 3, 4, 5])
        // Big-endian int16 (−2, 258) and float64 (1.5).
        let i16 = try IDXFile(bytes: Data([0, 0, 0x0B, 1, 0, 0, 0, 2, 0xFF, 0xFE, 0x01, 0x02]))
        #expect(i16.tensor(as: Double.self).scalars == [-2, 258])
        var f64: [UInt8] = [0, 0, 0x0E, 1, 0, 0, 0, 1]
        f64 += withUnsafeBytes(of: (1.5).bitPattern.bigEndian) { Array($0) }
        #expect(try IDXFile(bytes: Data(f64)).tensor(as: Float.self).scalars == [1.5])
        #expect(throws: GUDError.self) { try i16.bytes() }
    }

    @Test func readsBundledMNISTGzip() throws {
        let mnist = try ImageDataset<Float>.bundled(.mnist)
        #expect(mnist.count == 10_000 && mnist.height == 28 && mnist.width == 28 && mnist.channels == 1)
        #expect(mnist.images.min() == -1 && mnist.images.max() == 1)
        // The published first test labels: 7 2 1 0 4 1 4 9 5 9.
        #expect(Array(mnist.labels!.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        let digits = try ImageDataset<Double>.bundled(.digits)
        #expect(digits.count == 1797 && digits.height == 8 && digits.images.max() == 1)
    }

    @Test func rejectsMalformedFiles() {
        func message(_ bytes: [UInt8]) -> String {
            do {
                _ = try IDXFile(bytes: Data(bytes), what: "x.idx")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(message([0, 0]).contains("too short"))
        #expect(message([1, 0, 8, 1, 0, 0, 0, 0]).contains("bad magic"))
        #expect(message([0, 0, 0x07, 1, 0, 0, 0, 0]).contains("unknown IDX element type 0x07"))
        #expect(message([0, 0, 8, 0]).contains("rank 0"))
        #expect(message([0, 0, 8, 2, 0, 0, 0, 2]).contains("truncated inside its header"))
        #expect(message(Array(Self.valid.dropLast())).contains("truncated: dimensions [2, 3]"))
        #expect(message(Self.valid + [9]).contains("1 bytes after"))
        #expect(message([0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).contains("overflows"))
    }

    @Test func rejectsBrokenGzip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-idx-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = try AtomicFile.read(Bundle.module.url(forResource: "digits-labels-idx1-ubyte", withExtension: "gz", subdirectory: "Fixtures/idx")!)
        let truncated = dir.appendingPathComponent("t.gz")
        try AtomicFile.write(gz.prefix(gz.count / 2), to: truncated)
        #expect(throws: GUDError.self) { try IDXFile(contentsOf: truncated) }
        var corrupt = gz
        corrupt[corrupt.startIndex + 20] ^= 0xFF
        let bad = dir.appendingPathComponent("c.gz")
        try AtomicFile.write(corrupt, to: bad)
        #expect(throws: GUDError.self) { try IDXFile(contentsOf: bad) }
        #expect(throws: GUDError.io("no such file: \(dir.path)/missing.idx")) {
            try IDXFile(contentsOf: dir.appendingPathComponent("missing.idx"))
        }
    }
}
