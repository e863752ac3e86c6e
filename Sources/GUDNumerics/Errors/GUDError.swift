/// The one error type thrown by the GUD libraries.
///
/// Every case carries a message that says what was wrong and what was expected, e.g.
/// `shape mismatch in matmul: a is [3, 4], b is [5, 2]; expected a's last axis (4) to equal b's first (5)`.
/// `description` prefixes the message with the kind of error, so printing the error is enough for a user.
public enum GUDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Arrays whose shapes do not fit together, or a shape that is not valid for the operation.
    case shapeMismatch(String)
    /// An argument outside its documented domain (non-positive scale, unknown option, …).
    case invalidArgument(String)
    /// NaN or ±∞ where finite values are required.
    case nonFinite(String)
    /// A numerical routine failed (LAPACK `info ≠ 0`, an FFTW plan that could not be created, …).
    case numericalFailure(String)
    /// A file or byte stream that is malformed (bad magic, truncated body, lying header, …).
    case malformedData(String)
    /// Reading or writing a file failed at the operating-system level.
    case io(String)

    /// The message without its kind.
    public var message: String {
        switch self {
        case .shapeMismatch(let m), .invalidArgument(let m), .nonFinite(let m),
            .numericalFailure(let m), .malformedData(let m), .io(let m):
            return m
        }
    }

    /// The kind and the message, e.g. `shape error: …`.
    public var description: String {
        switch self {
        case .shapeMismatch(let m): return "shape error: \(m)"
        case .invalidArgument(let m): return "invalid argument: \(m)"
        case .nonFinite(let m): return "non-finite value: \(m)"
        case .numericalFailure(let m): return "numerical failure: \(m)"
        case .malformedData(let m): return "malformed data: \(m)"
        case .io(let m): return "I/O error: \(m)"
        }
    }
}
