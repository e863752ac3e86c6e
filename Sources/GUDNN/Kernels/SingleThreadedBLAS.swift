import Foundation
import GUDNumerics

/// Keeps OpenBLAS single-threaded while any tape pass runs (the kernels split the work over the cores
/// themselves), and restores the previous thread count when the last pass ends, also when passes of
/// several networks overlap on different threads.
enum SingleThreadedBLAS {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var passes = 0
    nonisolated(unsafe) private static var saved = 1

    /// Called when a pass begins.
    static func enter() {
        lock.lock()
        defer { lock.unlock() }
        if passes == 0 {
            saved = BLAS.threadCount
            BLAS.setThreadCount(1)
        }
        passes += 1
    }

    /// Called when a pass ends.
    static func leave() {
        lock.lock()
        defer { lock.unlock() }
        passes -= 1
        if passes == 0 { BLAS.setThreadCount(saved) }
    }
}
