import Foundation
@testable import GUD

/// A call recorded in the parity file, e.g. `row_schedule(4, 5, 2)` or
/// `soft_conditioning_schedule(labels=-log(scale**2), -7, 7, softness=1)`: its function name and
/// its arguments bound to the reference function's parameter names. Argument expressions are
/// evaluated with numbers, names looked up in an environment, unary minus, `**`, `log(·)` and
/// `eigenvalues(·)`; parameters missing from the call are left to the caller (the case's `inputs`).
struct ReferenceCall {
    let function: String
    let arguments: [String: FixtureArray]

    /// The reference's parameter order for the functions that appear in the parity file.
    static let signatures: [String: [String]] = [
        "linear_schedule": ["gamma_min", "gamma_max"],
        "vp_schedule": ["beta_min", "beta_max"],
        "cosine_schedule": ["s"],
        "soft_conditioning_schedule": ["labels", "gamma_min_target", "gamma_max_target", "softness", "clip"],
        "variance_adjusted_schedule": ["variances", "gamma_min_snr", "gamma_max_snr", "softness", "ordering", "clip"],
        "column_schedule": ["n_rows", "n_cols", "gamma_min", "gamma_max", "softness"],
        "row_schedule": ["n_rows", "n_cols", "gamma_min", "gamma_max", "softness"],
    ]

    /// Parses `text` (anything after the closing parenthesis is ignored) and evaluates its
    /// arguments in `environment`.
    init(_ text: String, environment: [String: FixtureArray]) throws {
        guard let open = text.firstIndex(of: "(") else { throw GUDError.malformedData("no call in '\(text)'") }
        function = text[..<open].trimmingCharacters(in: .whitespaces)
        guard let parameters = ReferenceCall.signatures[function] else {
            throw GUDError.malformedData("unknown reference function '\(function)' in '\(text)'")
        }
        var depth = 0, current = "", parts = [String](), index = text.index(after: open)
        scan: while index < text.endIndex {
            let ch = text[index]
            switch ch {
            case "(": depth += 1; current.append(ch)
            case ")":
                if depth == 0 { break scan }
                depth -= 1; current.append(ch)
            case "," where depth == 0: parts.append(current); current = ""
            default: current.append(ch)
            }
            index = text.index(after: index)
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current) }
        var bound = [String: FixtureArray]()
        for (position, part) in parts.enumerated() {
            let piece = part.trimmingCharacters(in: .whitespaces)
            let name: String, expression: String
            if let eq = piece.firstIndex(of: "="), piece[piece.index(after: eq)] != "=" {
                name = piece[..<eq].trimmingCharacters(in: .whitespaces)
                expression = String(piece[piece.index(after: eq)...])
            } else {
                guard position < parameters.count else { throw GUDError.malformedData("too many arguments in '\(text)'") }
                name = parameters[position]
                expression = piece
            }
            var parser = ExpressionParser(Array(expression), environment: environment)
            bound[name] = try parser.parse()
        }
        arguments = bound
    }

    /// The argument `name`, else `inputs[fallback ?? name]`.
    func value(_ name: String, inputs: [String: Any], fallback: String? = nil) throws -> FixtureArray {
        if let v = arguments[name] { return v }
        return try Fixture.array(inputs[fallback ?? name])
    }
}

/// Recursive-descent evaluation of the small argument expressions of the parity file.
private struct ExpressionParser {
    let chars: [Character]
    let environment: [String: FixtureArray]
    var i = 0

    init(_ chars: [Character], environment: [String: FixtureArray]) {
        self.chars = chars
        self.environment = environment
    }

    mutating func parse() throws -> FixtureArray {
        let v = try unary()
        skipSpaces()
        guard i == chars.count else { throw GUDError.malformedData("unexpected '\(String(chars[i...]))'") }
        return v
    }

    private mutating func skipSpaces() { while i < chars.count, chars[i] == " " { i += 1 } }

    private mutating func unary() throws -> FixtureArray {
        skipSpaces()
        if i < chars.count, chars[i] == "-" {
            i += 1
            var v = try unary()
            v.values = v.values.map { -$0 }
            return v
        }
        return try power()
    }

    private mutating func power() throws -> FixtureArray {
        var base = try primary()
        skipSpaces()
        if i + 1 < chars.count, chars[i] == "*", chars[i + 1] == "*" {
            i += 2
            let exponent = try unary().values[0]
            base.values = base.values.map { Foundation.pow($0, exponent) }
        }
        return base
    }

    private mutating func primary() throws -> FixtureArray {
        skipSpaces()
        guard i < chars.count else { throw GUDError.malformedData("empty expression") }
        if chars[i] == "(" {
            i += 1
            let v = try unary()
            skipSpaces()
            i += 1
            return v
        }
        let start = i
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." { i += 1 }
        let token = String(chars[start..<i])
        if let number = Double(token) { return FixtureArray(shape: [], values: [number]) }
        if token == "True" || token == "False" { return FixtureArray(shape: [], values: [token == "True" ? 1 : 0]) }
        skipSpaces()
        if i < chars.count, chars[i] == "(" {
            i += 1
            let argument = try unary()
            skipSpaces()
            i += 1
            switch token {
            case "log": return FixtureArray(shape: argument.shape, values: argument.values.map { Foundation.log($0) })
            case "eigenvalues":
                let n = argument.shape[0]
                let eig = try SymmetricEigendecomposition(Tensor<Double>(shape: [n, n], scalars: argument.values))
                return FixtureArray(shape: [n], values: eig.values.scalars)
            default: throw GUDError.malformedData("unknown function '\(token)'")
            }
        }
        guard let v = environment[token] else { throw GUDError.malformedData("unknown name '\(token)'") }
        return v
    }
}
