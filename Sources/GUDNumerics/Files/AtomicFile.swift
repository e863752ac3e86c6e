import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes, with errors as ``GUDError/io(_:)``.
public enum AtomicFile {
    /// Writes `bytes` to `url` atomically: into a new temporary file in the same directory, flushed
    /// to disk, then renamed over the destination (rename(2) replaces it in one step). A reader sees
    /// the old file or the complete new one, never a partial one, and an interrupted write loses
    /// nothing. Creates the parent directory when it is missing.
    /// - Throws: ``GUDError/io(_:)`` naming the failing step and the system error.
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let path = url.path
        let dir = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw GUDError.io("cannot create directory \(dir.path): \(error.localizedDescription)")
        }
        let tmp = dir.path + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw GUDError.io("cannot create \(tmp): \(String(cString: strerror(errno)))") }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        do {
            defer { close(fd) }
            var written = 0
            try bytes.withUnsafeBytes { raw in
                while written < raw.count {
                    let n = systemWrite(fd, raw.baseAddress! + written, raw.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw GUDError.io("cannot write \(tmp): \(String(cString: strerror(errno)))")
                    }
                    written += n
                }
            }
            guard fsync(fd) == 0 else { throw GUDError.io("cannot flush \(tmp): \(String(cString: strerror(errno)))") }
        }
        guard rename(tmp, path) == 0 else {
            throw GUDError.io("cannot rename \(tmp) to \(path): \(String(cString: strerror(errno)))")
        }
        ok = true
    }

    /// Writes `data` atomically (see ``write(_:to:)-([UInt8],_)``).
    public static func write(_ data: Foundation.Data, to url: URL) throws {
        try write([UInt8](data), to: url)
    }

    /// Writes UTF-8 text atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Array(text.utf8), to: url)
    }

    /// The bytes of a file.
    /// - Throws: ``GUDError/io(_:)`` naming the path when it is missing or unreadable.
    public static func read(_ url: URL) throws -> Foundation.Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw GUDError.io("no such file: \(url.path)")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw GUDError.io("cannot read \(url.path): not readable")
        }
        return data
    }
}

@inline(__always)
private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}
