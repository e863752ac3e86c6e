import Foundation
@testable import GUD

/// A numeric array from the parity file: row-major values with their shape (`[]` for a scalar).
struct FixtureArray: CustomStringConvertible {
    var shape: [Int]
    var values: [Double]

    var count: Int { values.count }
    var description: String { "FixtureArray(shape: \(shape))" }

    func tensor<S: TensorScalar>(_: S.Type = S.self) throws -> Tensor<S> {
        try Tensor(shape: shape, scalars: values.map { S($0) })
    }

    func scalars<S: TensorScalar>(_: S.Type = S.self) -> [S] { values.map { S($0) } }
}

enum Fixture {
    /// The bundled parity file (`Fixtures/reference-vectors.json`), parsed once.
    /// (Parsed with `JSONDecoder`, which reads numbers exactly; `JSONSerialization` on Linux rounds
    /// some decimals in the last bits.)
    nonisolated(unsafe) static let root: [String: Any] = {
        guard let url = Bundle.module.url(forResource: "reference-vectors", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url),
            let object = try? JSONDecoder().decode(JSONValue.self, from: data).object as? [String: Any]
        else { fatalError("Fixtures/reference-vectors.json is missing from the test bundle or is not a JSON object") }
        return object
    }()

    /// The section of one precision ("float32" or "float64").
    static func section(_ precision: String) throws -> [String: Any] { try dict(root[precision], precision) }

    /// A number: JSON numbers, or the strings "inf", "-inf", "nan".
    static func number(_ any: Any?) throws -> Double {
        switch any {
        case let n as Double: return n
        case let b as Bool: return b ? 1 : 0
        case let s as String:
            switch s {
            case "inf": return .infinity
            case "-inf": return -.infinity
            case "nan": return .nan
            default: if let v = Double(s) { return v }
            }
        default: break
        }
        throw GUDError.malformedData("expected a number, got \(String(describing: any))")
    }

    /// A nested list (or a scalar) as a row-major array with its shape.
    static func array(_ any: Any?) throws -> FixtureArray {
        guard let list = any as? [Any] else { return FixtureArray(shape: [], values: [try number(any)]) }
        if list.isEmpty { return FixtureArray(shape: [0], values: []) }
        let parts = try list.map(array)
        guard parts.allSatisfy({ $0.shape == parts[0].shape }) else {
            throw GUDError.malformedData("ragged array in the parity file")
        }
        return FixtureArray(shape: [list.count] + parts[0].shape, values: parts.flatMap(\.values))
    }

    static func dict(_ any: Any?, _ what: String) throws -> [String: Any] {
        guard let d = any as? [String: Any] else { throw GUDError.malformedData("\(what) is not an object") }
        return d
    }

    static func list(_ any: Any?, _ what: String) throws -> [Any] {
        guard let l = any as? [Any] else { throw GUDError.malformedData("\(what) is not a list") }
        return l
    }

    static func string(_ any: Any?, _ what: String) throws -> String {
        guard let s = any as? String else { throw GUDError.malformedData("\(what) is not a string") }
        return s
    }
}

/// A JSON value decoded with `JSONDecoder`, converted to Foundation-style objects whose numbers are
/// `Double`s.
private enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var object: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return n
        case .string(let s): return s
        case .array(let a): return a.map(\.object)
        case .object(let o): return o.mapValues(\.object)
        }
    }
}
