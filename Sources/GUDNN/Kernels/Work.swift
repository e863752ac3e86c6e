import GUDNumerics

/// How the kernels split work over the cores.
///
/// Work is cut into a number of contiguous parts that depends only on the problem size (never on the
/// number of threads), the parts run on the ``WorkerPool`` (`Parallel.workerCount` threads), and
/// reductions add the parts' partial results in part order. Results are therefore bit-identical for any
/// thread count.
enum Work {
    /// The largest number of parts a loop is split into.
    static let maxParts = 8

    /// The number of parts for `n` items with at least `grain` items per part.
    @inline(__always)
    static func parts(_ n: Int, grain: Int) -> Int {
        Swift.max(1, Swift.min(maxParts, n / Swift.max(grain, 1)))
    }

    /// The items of part `part` of `parts` over 0..<n.
    @inline(__always)
    static func range(_ part: Int, of parts: Int, _ n: Int) -> Range<Int> {
        (part * n / parts)..<((part + 1) * n / parts)
    }

    /// Runs every part on the calling thread (a test hook: results must not change).
    nonisolated(unsafe) static var serial = false

    /// Runs `body(part)` for every part, in parallel when there is more than one.
    @inline(__always)
    static func run(_ parts: Int, _ body: (Int) -> Void) {
        if parts == 1 || serial {
            for p in 0..<parts { body(p) }
        } else if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *) {
            WorkerPool.shared.run(parts, body)
        } else {
            Parallel.forEach(parts, body)
        }
    }
}
