import Foundation

/// Writing and reading whole files, with errors as ``GUDError/io(_:)``.
public enum AtomicFile {
    /// Writes `bytes` to `url` atomically: to a temporary file in the same directory, then renamed
    /// over the destination, so a reader never sees a partial file and an interrupted write loses
    /// nothing. Creates the parent directory when missing.
    public static func write(_ bytes: Foundation.Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
            try bytes.write(to: tmp)
            // rename(2) replaces the destination atomically.
            guard rename(tmp.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: tmp)
                throw GUDError.io("cannot write \(url.path): rename failed: \(reason)")
            }
        } catch let error as GUDError {
            throw error
        } catch {
            throw GUDError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Writes UTF-8 text atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Foundation.Data(text.utf8), to: url)
    }

    /// The bytes of a file.
    /// - Throws: ``GUDError/io(_:)`` naming the path when it is missing or unreadable.
    public static func read(_ url: URL) throws -> Foundation.Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GUDError.io("no such file: \(url.path)")
        }
        do {
            return try Foundation.Data(contentsOf: url)
        } catch {
            throw GUDError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
    }
}
