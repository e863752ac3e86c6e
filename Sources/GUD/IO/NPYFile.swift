import Foundation

/// An array in NumPy's `.npy` format (versions 1.0, 2.0 and 3.0), read and written.
///
/// Supported element types: uint8 (`|u1`), float32 (`<f4`) and float64 (`<f8`), little- or big-endian;
/// C order, and Fortran order (transposed on reading). Reading rejects a bad magic string, an
/// unknown version, a header that is not the dictionary NumPy writes, an unsupported dtype, a
/// shape whose product overflows, and a body shorter or longer than the shape says.
/// Writing produces version 1.0, little-endian, C order, with the header padded to 64 bytes.
public struct NPYFile: Sendable {
    /// The element types this reader and writer support.
    public enum ElementType: String, Sendable {
        /// Unsigned bytes (`u1`).
        case uint8 = "u1"
        /// 32-bit floats (`f4`).
        case float32 = "f4"
        /// 64-bit floats (`f8`).
        case float64 = "f8"

        var size: Int { self == .uint8 ? 1 : self == .float32 ? 4 : 8 }
    }

    /// The extents, outermost first (C order).
    public let shape: [Int]
    /// The element type.
    public let elementType: ElementType
    /// The elements in C order, little-endian.
    public let body: Foundation.Data

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// An array from C-order little-endian elements. Throws when the byte count does not match.
    public init(shape: [Int], elementType: ElementType, body: Foundation.Data) throws {
        let count = try Tensor<Double>.elementCount(of: shape)
        guard shape.allSatisfy({ $0 >= 0 }), body.count == count * elementType.size else {
            throw GUDError.shapeMismatch("npy array of shape \(shape) and \(elementType) needs \(count * elementType.size) bytes, got \(body.count)")
        }
        self.shape = shape
        self.elementType = elementType
        self.body = body
    }

    /// An array holding a tensor's elements (float32 for `Float`, float64 for `Double`).
    public init<S: TensorScalar>(_ tensor: Tensor<S>) {
        let type: ElementType = S.self == Float.self ? .float32 : .float64
        var body = Foundation.Data(capacity: tensor.count * type.size)
        tensor.withUnsafeBufferPointer { b in
            for v in b {
                if type == .float32 {
                    withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { body.append(contentsOf: $0) }
                } else {
                    withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { body.append(contentsOf: $0) }
                }
            }
        }
        self.shape = tensor.shape
        self.elementType = type
        self.body = body
    }

    /// An array of unsigned bytes.
    public init(shape: [Int], bytes: [UInt8]) throws {
        try self.init(shape: shape, elementType: .uint8, body: Foundation.Data(bytes))
    }

    /// Reads a `.npy` file.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: try AtomicFile.read(url), what: url.path)
    }

    /// Parses the bytes of a `.npy` file; `what` names the source in error messages.
    public init(bytes data: Foundation.Data, what: String = "npy data") throws {
        let b = [UInt8](data)
        guard b.count >= 10, Array(b[0..<6]) == NPYFile.magic else {
            throw GUDError.malformedData("\(what) does not start with the .npy magic string \\x93NUMPY")
        }
        let major = b[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(b[8]) | Int(b[9]) << 8
            headerStart = 10
        case 2, 3:
            guard b.count >= 12 else { throw GUDError.malformedData("\(what) is truncated inside its header") }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            headerStart = 12
        default:
            throw GUDError.malformedData("\(what) has .npy format version \(major).\(b[7]); supported: 1.0, 2.0, 3.0")
        }
        guard headerStart + headerLength <= b.count else {
            throw GUDError.malformedData("\(what) is truncated: its header claims \(headerLength) bytes, the file has \(b.count - headerStart) after the preamble")
        }
        guard let header = String(bytes: b[headerStart..<(headerStart + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw GUDError.malformedData("\(what) has a header that is not text")
        }
        let (descr, fortran, shape) = try NPYFile.parseHeader(header, what: what)
        // descr: byte order (<, >, |, =) then kind and size.
        var order: Character = "<"
        var code = Substring(descr)
        if let first = code.first, "<>|=".contains(first) {
            order = first
            code = code.dropFirst()
        }
        guard let type = ElementType(rawValue: String(code)) else {
            throw GUDError.malformedData("\(what) has unsupported dtype '\(descr)'; expected uint8 ('|u1'), float32 ('<f4') or float64 ('<f8')")
        }
        let count: Int
        do { count = try Tensor<Double>.elementCount(of: shape) } catch {
            throw GUDError.malformedData("\(what) declares shape \(shape) whose product overflows")
        }
        let bodyStart = headerStart + headerLength
        let expected = count.multipliedReportingOverflow(by: type.size)
        guard !expected.overflow else { throw GUDError.malformedData("\(what) declares shape \(shape) whose byte size overflows") }
        let actual = b.count - bodyStart
        guard actual >= expected.partialValue else {
            throw GUDError.malformedData("\(what) is truncated: shape \(shape) of \(descr) needs \(expected.partialValue) body bytes, found \(actual)")
        }
        guard actual == expected.partialValue else {
            throw GUDError.malformedData("\(what) has \(actual - expected.partialValue) bytes after the \(expected.partialValue) that shape \(shape) of \(descr) describes")
        }
        var body = [UInt8](b[bodyStart...])
        // Convert big-endian elements to little-endian.
        if order == ">" && type.size > 1 {
            for i in stride(from: 0, to: body.count, by: type.size) { body[i..<(i + type.size)].reverse() }
        }
        var array = try NPYFile(shape: shape, elementType: type, body: Foundation.Data(body))
        if fortran && shape.count > 1 {
            array = try array.fromFortranOrder()
        }
        self = array
    }

    /// Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    static func parseHeader(_ header: String, what: String) throws -> (String, Bool, [Int]) {
        func fail(_ why: String) -> GUDError {
            GUDError.malformedData("\(what) has a malformed .npy header (\(why)): \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        func value(of key: String) throws -> Substring {
            guard let k = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\""),
                let colon = header[k.upperBound...].firstIndex(of: ":")
            else { throw fail("no '\(key)' entry") }
            return header[header.index(after: colon)...].drop { $0 == " " }
        }
        let d = try value(of: "descr")
        guard let q = d.first, q == "'" || q == "\"", let end = d.dropFirst().firstIndex(of: q) else { throw fail("descr is not a string") }
        let descr = String(d[d.index(after: d.startIndex)..<end])
        let f = try value(of: "fortran_order")
        let fortran: Bool
        if f.hasPrefix("True") { fortran = true } else if f.hasPrefix("False") { fortran = false } else { throw fail("fortran_order is not True or False") }
        let s = try value(of: "shape")
        guard s.first == "(", let close = s.firstIndex(of: ")") else { throw fail("shape is not a tuple") }
        let inner = s[s.index(after: s.startIndex)..<close]
        var shape = [Int]()
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let v = Int(t.hasSuffix("L") ? String(t.dropLast()) : t), v >= 0 else { throw fail("shape entry '\(t)' is not a non-negative integer") }
            shape.append(v)
        }
        return (descr, fortran, shape)
    }

    /// Reorders a Fortran-order body to C order.
    private func fromFortranOrder() throws -> NPYFile {
        let size = elementType.size
        let n = shape.reduce(1, *)
        var out = [UInt8](repeating: 0, count: body.count)
        let src = [UInt8](body)
        // Element at C multi-index (i0…ik) sits at Fortran offset Σ i_j · ∏_{l<j} d_l.
        var fStrides = [Int](repeating: 1, count: shape.count)
        for j in 1..<shape.count { fStrides[j] = fStrides[j - 1] * shape[j - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<n {
            var off = 0
            for j in 0..<shape.count { off += index[j] * fStrides[j] }
            out[(c * size)..<((c + 1) * size)] = src[(off * size)..<((off + 1) * size)]
            var k = shape.count - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < shape[k] { break }
                index[k] = 0
                k -= 1
            }
        }
        return try NPYFile(shape: shape, elementType: elementType, body: Foundation.Data(out))
    }

    /// The elements converted to a tensor of the same shape.
    public func tensor<S: TensorScalar>(as: S.Type = S.self) -> Tensor<S> {
        var out = Tensor<S>(shape: shape)
        body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count {
                    switch elementType {
                    case .uint8: dst[i] = S(raw[i])
                    case .float32: dst[i] = S(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                    case .float64: dst[i] = S(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    }
                }
            }
        }
        return out
    }

    /// The file's bytes: version 1.0 header (padded with spaces and a newline to a multiple of 64) and body.
    public func encoded() -> Foundation.Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        let descr = elementType == .uint8 ? "|u1" : "<\(elementType.rawValue)"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Foundation.Data(NPYFile.magic + [1, 0])
        let len = UInt16(header.utf8.count)
        out.append(contentsOf: [UInt8(len & 0xFF), UInt8(len >> 8)])
        out.append(contentsOf: Array(header.utf8))
        out.append(body)
        return out
    }

    /// Writes the array to `url` atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }
}
