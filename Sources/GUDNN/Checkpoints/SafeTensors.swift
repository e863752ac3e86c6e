import Foundation

/// A file in the safetensors format: an 8-byte little-endian header length N, N bytes of a JSON object
/// mapping each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the
/// data section) plus an optional `"__metadata__"` string → string map, then the raw little-endian data.
///
/// Reading validates the whole structure and throws `GUDError.malformedData` for: a file shorter
/// than the length field, a header length beyond the file, a header that is not a JSON object of the
/// expected form, an unsupported dtype, a shape whose byte size differs from its offsets, offsets that
/// exceed the data section, overlap, or leave a gap, and trailing bytes after the last tensor.
public struct SafeTensorsFile: Sendable, Equatable {
    /// One tensor: its name, dtype (`F32` or `F64`), shape and raw little-endian bytes.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name (unique in the file).
        public var name: String
        /// `F32` or `F64`.
        public var dtype: String
        /// The shape; the byte count is its product times the element size.
        public var shape: [Int]
        /// The raw little-endian data.
        public var bytes: [UInt8]
    }

    /// The tensors in data order.
    public var entries: [Entry]
    /// The `__metadata__` map.
    public var metadata: [String: String]

    /// A file with the given tensors and metadata (empty by default).
    public init(entries: [Entry] = [], metadata: [String: String] = [:]) {
        self.entries = entries
        self.metadata = metadata
    }

    /// Appends a tensor (stored little-endian, bit-exact).
    public mutating func append<S: TensorScalar>(_ name: String, _ tensor: Tensor<S>) {
        var bytes = tensor.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        if !Self.hostIsLittleEndian { Self.swapBytes(&bytes, size: MemoryLayout<S>.size) }
        entries.append(Entry(name: name, dtype: S.dtypeName, shape: tensor.shape, bytes: bytes))
    }

    /// The entry with this name.
    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// The tensor stored under `name`, decoded bit-exactly.
    /// - Throws: `GUDError.malformedData` when it is missing or its dtype is not `S.dtypeName`.
    public func tensor<S: TensorScalar>(_ name: String, as: S.Type = S.self) throws -> Tensor<S> {
        guard let e = entry(name) else { throw GUDError.malformedData("tensor '\(name)' is missing") }
        return try Self.decode(e, as: S.self)
    }

    static func decode<S: TensorScalar>(_ e: Entry, as: S.Type) throws -> Tensor<S> {
        guard e.dtype == S.dtypeName else {
            throw GUDError.malformedData("tensor '\(e.name)' has dtype \(e.dtype), expected \(S.dtypeName)")
        }
        var bytes = e.bytes
        if !hostIsLittleEndian { swapBytes(&bytes, size: MemoryLayout<S>.size) }
        var t = Tensor<S>(shape: e.shape)
        t.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(dst).copyMemory(from: $0) }
        }
        return t
    }

    static let hostIsLittleEndian = 1.littleEndian == 1

    /// Reverses the bytes of every `size`-byte element.
    static func swapBytes(_ bytes: inout [UInt8], size: Int) {
        for i in stride(from: 0, to: bytes.count, by: size) { bytes[i..<(i + size)].reverse() }
    }

    static func byteSize(of dtype: String) -> Int? {
        switch dtype {
        case "F32": return 4
        case "F64": return 8
        default: return nil
        }
    }

    // MARK: Writing

    /// The file's bytes: header (padded with spaces to a multiple of 8 bytes) and data.
    public func serialized() throws -> [UInt8] {
        var header = "{"
        var parts = [String]()
        if !metadata.isEmpty {
            let items = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{" + items.joined(separator: ",") + "}")
        }
        var offset = 0
        var names = Set<String>()
        for e in entries {
            guard names.insert(e.name).inserted, e.name != "__metadata__" else {
                throw GUDError.invalidArgument("tensor name '\(e.name)' is used twice or reserved")
            }
            guard let size = Self.byteSize(of: e.dtype), e.bytes.count == size * e.shape.reduce(1, *) else {
                throw GUDError.invalidArgument("tensor '\(e.name)': \(e.bytes.count) bytes do not match dtype \(e.dtype) and shape \(e.shape)")
            }
            let shape = e.shape.map(String.init).joined(separator: ",")
            parts.append("\(jsonString(e.name)):{\"dtype\":\"\(e.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + e.bytes.count)]}")
            offset += e.bytes.count
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out += headerBytes
        for e in entries { out += e.bytes }
        return out
    }

    /// Writes the file atomically (temporary file in the same directory, then rename).
    public func write(to path: String) throws {
        try AtomicFile.write(serialized(), to: URL(fileURLWithPath: path))
    }

    // MARK: Reading

    /// Reads and validates a file.
    public init(contentsOf path: String) throws {
        try self.init(bytes: [UInt8](AtomicFile.read(URL(fileURLWithPath: path))))
    }

    /// Parses and validates the bytes of a file.
    public init(bytes: [UInt8]) throws {
        func bad(_ m: String) -> GUDError { .malformedData("safetensors: \(m)") }
        guard bytes.count >= 8 else {
            throw bad("file is \(bytes.count) bytes, shorter than the 8-byte header length field (truncated file)")
        }
        let n = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw bad("header length \(n) exceeds the \(bytes.count - 8) bytes that follow the length field")
        }
        let headerEnd = 8 + Int(n)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]), options: [])
        } catch {
            throw bad("the \(n)-byte header is not valid JSON")
        }
        guard let object = json as? [String: Any] else { throw bad("the header is not a JSON object") }
        let dataLength = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var described: [(name: String, dtype: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw bad("__metadata__ entry '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any], Set(info.keys) == ["dtype", "shape", "data_offsets"],
                let dtype = info["dtype"] as? String
            else {
                throw bad("tensor '\(name)' must have exactly the fields dtype, shape and data_offsets")
            }
            guard let size = Self.byteSize(of: dtype) else {
                throw bad("tensor '\(name)' has unsupported dtype \(dtype); expected F32 or F64")
            }
            guard let shape = Self.integers(info["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("tensor '\(name)' has an invalid shape; expected non-negative integers")
            }
            guard let offsets = Self.integers(info["data_offsets"]), offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw bad("tensor '\(name)' has invalid data_offsets; expected [begin, end] with 0 ≤ begin ≤ end")
            }
            guard offsets[1] <= dataLength else {
                throw bad("data_offsets [\(offsets[0]), \(offsets[1])] of tensor '\(name)' exceed the \(dataLength)-byte data section (truncated file?)")
            }
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            guard !overflow, count * size == offsets[1] - offsets[0] else {
                throw bad("tensor '\(name)' spans \(offsets[1] - offsets[0]) bytes but \(dtype) shape \(shape) needs \(overflow ? -1 : count * size)")
            }
            described.append((name, dtype, shape, offsets[0], offsets[1]))
        }
        described.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var position = 0
        for d in described {
            guard d.begin >= position else {
                throw bad("tensor '\(d.name)' at bytes [\(d.begin), \(d.end)) overlaps the previous tensor, which ends at \(position)")
            }
            guard d.begin == position else {
                throw bad("gap in the data section: bytes [\(position), \(d.begin)) before tensor '\(d.name)' belong to no tensor")
            }
            position = d.end
        }
        guard position == dataLength else {
            throw bad("the data section has \(dataLength) bytes but the tensors cover \(position): \(dataLength - position) trailing bytes belong to no tensor")
        }
        self.metadata = metadata
        entries = described.map { d in
            Entry(name: d.name, dtype: d.dtype, shape: d.shape, bytes: Array(bytes[(headerEnd + d.begin)..<(headerEnd + d.end)]))
        }
    }

    /// An array of JSON integers (not booleans, not fractions), or nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out = [Int]()
        for v in array {
            // Booleans are NSNumbers of type "c", fractions of type "d"/"f".
            guard let n = v as? NSNumber, !["c", "d", "f"].contains(String(cString: n.objCType)) else { return nil }
            out.append(n.intValue)
        }
        return out
    }
}

/// A JSON string literal for `s`.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                out += String(format: "\\u%04x", u.value)
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
