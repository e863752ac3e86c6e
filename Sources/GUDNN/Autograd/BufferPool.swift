/// A pool of scalar buffers reused between passes, so that a network's forward and backward passes stop
/// allocating once a pass has been seen.
///
/// A pass makes a sequence of requests. The pool remembers, per pass key (e.g. the batch size and
/// mode), which buffer served each request, and gives the same buffer to the same request of the next
/// pass with that key: identical passes replay exactly, with no system allocation. Other requests take
/// the smallest free buffer that is large enough (so buffers of different sizes are shared), and only
/// then allocate. Buffers are 64-byte aligned and uninitialised. The pool owns every buffer it created
/// and frees them in `deinit` or ``releaseMemory()``. Not thread-safe: one pass at a time uses a pool.
final class BufferPool<Scalar: TensorScalar> {
    private var free: [(pointer: UnsafeMutablePointer<Scalar>, capacity: Int)] = []
    private var capacities: [UnsafeMutablePointer<Scalar>: Int] = [:]
    private var plans: [Int: [UnsafeMutablePointer<Scalar>?]] = [:]
    private var plan: [UnsafeMutablePointer<Scalar>?] = []
    private var planKey = 0
    private var request = 0
    /// How many buffers were created with the system allocator.
    private(set) var systemAllocations = 0
    /// Bytes held by the pool, in use or free.
    private(set) var bytesHeld = 0
    /// Bytes currently handed out (by capacity), and the most ever handed out at once.
    private(set) var bytesInUse = 0
    private(set) var peakBytesInUse = 0

    /// Starts the request sequence of a pass with the given key.
    func beginPass(key: Int) {
        plans[planKey] = plan
        planKey = key
        plan = plans[key] ?? []
        request = 0
    }

    /// A buffer of at least `max(count, 1)` elements, uninitialised.
    func take(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        let n = Swift.max(count, 1)
        var chosen = -1
        // The buffer this request had in the previous pass with the same key, if free and large enough.
        if request < plan.count, let preferred = plan[request] {
            chosen = free.firstIndex { $0.pointer == preferred && $0.capacity >= n } ?? -1
        }
        // Otherwise the smallest free buffer that fits.
        if chosen < 0 {
            for (i, f) in free.enumerated() where f.capacity >= n && (chosen < 0 || f.capacity < free[chosen].capacity) {
                chosen = i
            }
        }
        let pointer: UnsafeMutablePointer<Scalar>
        let capacity: Int
        if chosen >= 0 {
            (pointer, capacity) = free[chosen]
            free.swapAt(chosen, free.count - 1)
            free.removeLast()
        } else {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Scalar>.stride, alignment: 64)
            pointer = raw.bindMemory(to: Scalar.self, capacity: n)
            capacity = n
            capacities[pointer] = n
            systemAllocations += 1
            bytesHeld += n * MemoryLayout<Scalar>.stride
        }
        if request < plan.count { plan[request] = pointer } else { plan.append(pointer) }
        request += 1
        bytesInUse += capacity * MemoryLayout<Scalar>.stride
        peakBytesInUse = Swift.max(peakBytesInUse, bytesInUse)
        return pointer
    }

    /// Returns a buffer obtained from ``take(_:)``.
    func give(_ pointer: UnsafeMutablePointer<Scalar>) {
        let capacity = capacities[pointer]!
        bytesInUse -= capacity * MemoryLayout<Scalar>.stride
        free.append((pointer, capacity))
    }

    /// Frees every buffer. Only valid when none is in use.
    func releaseMemory() {
        for (p, _) in capacities { p.deallocate() }
        capacities.removeAll()
        free.removeAll()
        plans.removeAll()
        plan.removeAll()
        bytesHeld = 0
    }

    deinit {
        for (p, _) in capacities { p.deallocate() }
    }
}
