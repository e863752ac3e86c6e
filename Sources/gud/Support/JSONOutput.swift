import Foundation
import GUD

/// Writing a command's figures as a JSON object.
enum JSONOutput {
    /// Writes `fields` to `path` atomically, pretty-printed with sorted keys (NSNull for absent values).
    static func write(_ fields: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: fields, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data, to: URL(fileURLWithPath: path))
    }
}
