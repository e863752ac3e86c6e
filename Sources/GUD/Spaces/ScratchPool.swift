import Foundation

/// Reusable temporary buffers for transforms that need scratch memory beyond their output (the
/// complex intermediate of ``FourierSpace/fromComponentSpace(_:into:)``).
///
/// A call takes a buffer of at least the requested count from the pool (allocating one only when
/// none is free or large enough) and gives it back when done, so repeated calls of one size
/// allocate nothing after the first. Callers on different threads get different buffers; the pool
/// holds at most as many buffers as calls have ever overlapped, and frees them with the pool.
final class ScratchPool<Scalar: TensorScalar>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [UnsafeMutableBufferPointer<Scalar>] = []

    /// Calls `body` with an uninitialised buffer of at least `count` scalars, valid during the call.
    func withBuffer<R>(count: Int, _ body: (UnsafeMutablePointer<Scalar>) throws -> R) rethrows -> R {
        let buffer = take(count)
        defer { give(buffer) }
        return try body(buffer.baseAddress!)
    }

    private func take(_ count: Int) -> UnsafeMutableBufferPointer<Scalar> {
        lock.lock()
        let reused = free.popLast()
        lock.unlock()
        if let reused, reused.count >= count { return reused }
        reused?.deallocate()
        return .allocate(capacity: Swift.max(count, 1))
    }

    private func give(_ buffer: UnsafeMutableBufferPointer<Scalar>) {
        lock.lock()
        free.append(buffer)
        lock.unlock()
    }

    deinit {
        for buffer in free { buffer.deallocate() }
    }
}
