import Foundation

/// An array read from an IDX file, the format of MNIST (plain or gzip-compressed, any rank).
///
/// Layout: bytes 0–1 are zero, byte 2 is the element type, byte 3 the number of dimensions n;
/// then n big-endian `UInt32` extents, outermost first; then the elements, row-major, big-endian.
/// Element types: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
///
/// Reading checks everything: the magic bytes, the element type, the rank, extents whose product
/// overflows, a body shorter or longer than the extents say — each with a message naming the file.
public struct IDXFile: Sendable {
    /// The IDX element types.
    public enum ElementType: UInt8, Sendable, CaseIterable {
        /// Unsigned bytes (type code 0x08).
        case uint8 = 0x08
        /// Signed bytes (0x09).
        case int8 = 0x09
        /// Big-endian 16-bit integers (0x0B).
        case int16 = 0x0B
        /// Big-endian 32-bit integers (0x0C).
        case int32 = 0x0C
        /// Big-endian 32-bit floats (0x0D).
        case float32 = 0x0D
        /// Big-endian 64-bit floats (0x0E).
        case float64 = 0x0E

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }
    }

    /// The extents, outermost first.
    public let shape: [Int]
    /// The element type stored in the file.
    public let elementType: ElementType
    /// The raw body: `shape.product × elementType.size` big-endian bytes.
    public let body: Foundation.Data

    /// Reads an IDX file, decompressing it first when it is gzip-compressed.
    public init(contentsOf url: URL) throws {
        let raw = try AtomicFile.read(url)
        try self.init(bytes: try Gzip.decompressIfNeeded(raw, what: url.path), what: url.path)
    }

    /// Parses the bytes of an (uncompressed) IDX file; `what` names the source in error messages.
    public init(bytes: Foundation.Data, what: String = "IDX data") throws {
        let b = [UInt8](bytes.prefix(4))
        guard b.count == 4 else {
            throw GUDError.malformedData("\(what) has \(bytes.count) bytes, too short for an IDX header (4 bytes + 4 per dimension)")
        }
        guard b[0] == 0, b[1] == 0 else {
            throw GUDError.malformedData(
                String(format: "%@ has bad magic bytes %02x %02x; an IDX file starts with 00 00 <type> <rank>", what, b[0], b[1]))
        }
        guard let type = ElementType(rawValue: b[2]) else {
            throw GUDError.malformedData(
                String(format: "%@ has unknown IDX element type 0x%02x; expected 08 (uint8), 09, 0B, 0C, 0D or 0E", what, b[2]))
        }
        let rank = Int(b[3])
        guard rank > 0 else { throw GUDError.malformedData("\(what) declares rank 0; an IDX array has at least one dimension") }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw GUDError.malformedData("\(what) is truncated inside its header: rank \(rank) needs \(headerSize) header bytes, file has \(bytes.count)")
        }
        let start = bytes.startIndex
        var shape = [Int]()
        var count = 1
        for d in 0..<rank {
            let o = start + 4 + 4 * d
            let extent = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            shape.append(extent)
            let (p, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow, p <= Int(Int32.max) * 64 else {
                throw GUDError.malformedData("\(what) declares dimensions \(shape)… whose product overflows")
            }
            count = p
        }
        let expected = count * type.size
        let actual = bytes.count - headerSize
        guard actual >= expected else {
            throw GUDError.malformedData(
                "\(what) is truncated: dimensions \(shape) of \(type) need \(expected) body bytes, found \(actual)")
        }
        guard actual == expected else {
            throw GUDError.malformedData(
                "\(what) has \(actual - expected) bytes after the \(expected) that dimensions \(shape) of \(type) describe")
        }
        self.shape = shape
        self.elementType = type
        self.body = Foundation.Data(bytes[(start + headerSize)...])
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements as unsigned bytes (uint8 files only).
    public func bytes() throws -> [UInt8] {
        guard elementType == .uint8 else {
            throw GUDError.invalidArgument("IDX array holds \(elementType), not uint8")
        }
        return [UInt8](body)
    }

    /// The elements converted to a tensor of the same shape.
    public func tensor<S: TensorScalar>(as: S.Type = S.self) -> Tensor<S> {
        let n = count
        var out = Tensor<S>(shape: shape)
        body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            out.withUnsafeMutableBufferPointer { dst in
                func be<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
                    T(bigEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
                }
                for i in 0..<n {
                    switch elementType {
                    case .uint8: dst[i] = S(raw[i])
                    case .int8: dst[i] = S(Int8(bitPattern: raw[i]))
                    case .int16: dst[i] = S(be(i, Int16.self))
                    case .int32: dst[i] = S(be(i, Int32.self))
                    case .float32: dst[i] = S(Float(bitPattern: be(i, UInt32.self)))
                    case .float64: dst[i] = S(Double(bitPattern: be(i, UInt64.self)))
                    }
                }
            }
        }
        return out
    }
}
