import Dispatch
import Foundation

/// Parallel loops over both cores (or however many the process may use).
///
/// OpenBLAS keeps its own thread pool; run BLAS calls and `Parallel.forEach` loops one after the other,
/// never nested, so the cores are not oversubscribed.
public enum Parallel {
    /// The number of workers used by ``forEach(_:_:)`` and ``forEachChunk(_:minimumChunk:_:)``: the active processor count,
    /// or `GUD_NUM_THREADS` when set to a positive integer.
    public static let workerCount: Int = {
        if let s = ProcessInfo.processInfo.environment["GUD_NUM_THREADS"], let n = Int(s), n > 0 { return n }
        return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Runs `body(i)` for i in 0..<count, in parallel when `count > 1`. `body` must only write
    /// disjoint memory for different i.
    @inlinable
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 || workerCount == 1 {
            for i in 0..<count { body(i) }
        } else {
            withoutActuallyEscaping(body) { escaping in
                let box = UncheckedSendableBox(escaping)
                DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
            }
        }
    }

    /// Splits 0..<n into at most `workerCount` contiguous ranges of at least `minimumChunk`
    /// elements and runs `body` on each, in parallel.
    @inlinable
    public static func forEachChunk(_ n: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard n > 0 else { return }
        let chunks = Swift.max(1, Swift.min(workerCount, n / Swift.max(1, minimumChunk)))
        if chunks == 1 {
            body(0..<n)
            return
        }
        forEach(chunks) { c in
            body((c * n / chunks)..<((c + 1) * n / chunks))
        }
    }
}

/// Carries a value across a concurrency boundary whose safety the caller guarantees
/// (``Parallel`` loops write disjoint memory).
@usableFromInline
struct UncheckedSendableBox<T>: @unchecked Sendable {
    @usableFromInline let value: T
    @usableFromInline init(_ value: T) { self.value = value }
}
