import CZlib
import Foundation

/// gzip/zlib decompression and zlib compression through the system zlib.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: Foundation.Data) -> Bool {
        bytes.count >= 2 && bytes[bytes.startIndex] == 0x1F && bytes[bytes.startIndex + 1] == 0x8B
    }

    /// The decompressed content of a gzip stream (or of several concatenated gzip members).
    /// - Throws: `GUDError.malformedData` when the stream is corrupt or ends early.
    public static func decompress(_ compressed: Foundation.Data, what: String = "gzip stream") throws -> Foundation.Data {
        // windowBits 15 + 16: gzip wrapper only.
        try inflate(compressed, windowBits: 15 + 16, what: what)
    }

    /// The decompressed content of a zlib (RFC 1950) stream.
    public static func zlibDecompress(_ compressed: Foundation.Data, what: String = "zlib stream") throws -> Foundation.Data {
        try inflate(compressed, windowBits: 15, what: what)
    }

    /// `bytes` if they are not gzip-compressed, otherwise their decompressed content.
    public static func decompressIfNeeded(_ bytes: Foundation.Data, what: String) throws -> Foundation.Data {
        isGzip(bytes) ? try decompress(bytes, what: what) : bytes
    }

    /// A zlib (RFC 1950) stream of `bytes` at the given level (0–9; default 6), as PNG's IDAT needs.
    public static func zlibCompress(_ bytes: Foundation.Data, level: Int32 = 6) throws -> Foundation.Data {
        var destLen = compressBound(uLong(bytes.count))
        var out = Foundation.Data(count: Int(destLen))
        let status = out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                compress2(
                    dst.baseAddress!.assumingMemoryBound(to: Bytef.self), &destLen,
                    src.baseAddress?.assumingMemoryBound(to: Bytef.self) ?? UnsafePointer(bitPattern: 1)!,
                    uLong(bytes.count), level)
            }
        }
        guard status == Z_OK else { throw GUDError.numericalFailure("zlib compress2 failed with status \(status)") }
        out.count = Int(destLen)
        return out
    }

    /// The CRC-32 of `bytes` (as used by gzip and PNG), continuing from `crc`.
    public static func crc32(_ bytes: Foundation.Data, continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { b in
            UInt32(CZlib.crc32(uLong(crc), b.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(b.count)))
        }
    }

    private static func inflate(_ compressed: Foundation.Data, windowBits: Int32, what: String) throws -> Foundation.Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GUDError.numericalFailure("zlib inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = Foundation.Data()
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        try compressed.withUnsafeBytes { (src: UnsafeRawBufferPointer) in
            guard let base = src.baseAddress, src.count > 0 else {
                throw GUDError.malformedData("\(what) is empty")
            }
            stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(src.count)
            while true {
                let status: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: buffer[0..<(chunk - Int(stream.avail_out))])
                switch status {
                case Z_STREAM_END:
                    // gzip files may hold several members; continue with the next one.
                    if windowBits > 15 && stream.avail_in > 0 {
                        guard inflateReset(&stream) == Z_OK else {
                            throw GUDError.malformedData("\(what): cannot continue after a gzip member")
                        }
                        continue
                    }
                    return
                case Z_OK:
                    if stream.avail_in == 0 && stream.avail_out != 0 {
                        throw GUDError.malformedData("\(what) is truncated (the compressed stream ends early)")
                    }
                case Z_BUF_ERROR:
                    throw GUDError.malformedData("\(what) is truncated (the compressed stream ends early)")
                default:
                    let msg = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    throw GUDError.malformedData("\(what) is corrupt: \(msg)")
                }
            }
        }
        return output
    }
}
