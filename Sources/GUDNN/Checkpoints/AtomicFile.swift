import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File helpers for checkpoints.
enum AtomicFile {
    /// Writes `bytes` to `path` atomically: into a new temporary file in the same directory, flushed to
    /// disk, then renamed over `path`. Readers see the old file or the complete new one, never a partial one.
    /// - Throws: ``GUDError/io(_:)`` with the failing step and the system error.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
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

    /// The contents of a file.
    /// - Throws: ``GUDError/io(_:)`` when it cannot be read.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GUDError.io("cannot read \(path): no such file or not readable")
        }
        return [UInt8](data)
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
