import Foundation

/// The tool's `print`: writes each line straight to standard output (no stdio buffering), so that
/// progress reaches logs and pipes as it happens, not when the buffer fills.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator) + terminator
    FileHandle.standardOutput.write(Data(text.utf8))
}
