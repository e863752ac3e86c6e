/// A pool of scalar buffers reused between passes, so that a network's forward and backward passes stop
/// allocating once every buffer size they need has been seen.
///
/// Buffers are kept in free lists by exact element count and are 64-byte aligned. Taking a buffer
/// returns uninitialised memory. The pool owns every buffer it ever created and frees them in `deinit`
/// or in ``releaseMemory()``. Not thread-safe: one pass at a time uses a pool.
final class BufferPool<Scalar: TensorScalar> {
    private var free: [Int: [UnsafeMutablePointer<Scalar>]] = [:]
    private var owned: [(UnsafeMutablePointer<Scalar>, Int)] = []
    /// How many buffers were created with the system allocator (grows only while new sizes are seen).
    private(set) var systemAllocations = 0
    /// Bytes held by the pool, in use or free.
    private(set) var bytesHeld = 0

    /// A buffer of at least one and exactly `max(count, 1)` elements, uninitialised.
    func take(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        let n = Swift.max(count, 1)
        if let p = free[n]?.popLast() { return p }
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: n * MemoryLayout<Scalar>.stride, alignment: 64)
        let p = raw.bindMemory(to: Scalar.self, capacity: n)
        owned.append((p, n))
        systemAllocations += 1
        bytesHeld += n * MemoryLayout<Scalar>.stride
        return p
    }

    /// Returns a buffer obtained from ``take(_:)`` with the same `count`.
    func give(_ pointer: UnsafeMutablePointer<Scalar>, count: Int) {
        free[Swift.max(count, 1), default: []].append(pointer)
    }

    /// Frees every buffer. Only valid when none is in use.
    func releaseMemory() {
        for (p, _) in owned { p.deallocate() }
        owned.removeAll()
        free.removeAll()
        bytesHeld = 0
    }

    deinit {
        for (p, _) in owned { p.deallocate() }
    }
}
