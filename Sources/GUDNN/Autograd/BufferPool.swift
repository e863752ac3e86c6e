/// A pool of memory buffers reused between passes, so that a network's forward and backward passes stop
/// allocating once a pass has been seen.
///
/// A pass makes a sequence of requests. The pool remembers, per pass key (e.g. the batch size and
/// mode), which buffer served each request, and gives the same buffer to the same request of the next
/// pass with that key: identical passes replay exactly, with no system allocation. Other requests take
/// the smallest free buffer that is large enough (so buffers of different sizes are shared), and only
/// then allocate. Buffers are 64-byte aligned and uninitialised. The pool owns every buffer it created
/// and frees them in `deinit` or ``releaseMemory()``. Sizes are in bytes. The pool is not generic, so
/// its bookkeeping is compiled concretely even when called from unspecialised generic code (and then
/// does not allocate). Not thread-safe: one pass at a time uses a pool.
final class BufferPool {
    private var free: [(pointer: UnsafeMutableRawPointer, capacity: Int)] = []
    private var capacities: [UnsafeMutableRawPointer: Int] = [:]
    private var plans: [Int: [UnsafeMutableRawPointer?]] = [:]
    private var plan: [UnsafeMutableRawPointer?] = []
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
        // Move the plans in and out of the dictionary, so that the current one is never shared (and
        // writing to it never copies).
        plans[planKey] = plan
        plan = plans.removeValue(forKey: key) ?? []
        planKey = key
        request = 0
    }

    /// A buffer of at least `max(bytes, 1)` bytes, uninitialised.
    func take(_ bytes: Int) -> UnsafeMutableRawPointer {
        let n = Swift.max(bytes, 1)
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
        let pointer: UnsafeMutableRawPointer
        let capacity: Int
        if chosen >= 0 {
            (pointer, capacity) = free[chosen]
            free.swapAt(chosen, free.count - 1)
            free.removeLast()
        } else {
            pointer = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 64)
            capacity = n
            capacities[pointer] = n
            systemAllocations += 1
            bytesHeld += n
        }
        if request < plan.count { plan[request] = pointer } else { plan.append(pointer) }
        request += 1
        bytesInUse += capacity
        peakBytesInUse = Swift.max(peakBytesInUse, bytesInUse)
        return pointer
    }

    /// Returns a buffer obtained from ``take(_:)``.
    func give(_ pointer: UnsafeMutableRawPointer) {
        let capacity = capacities[pointer]!
        bytesInUse -= capacity
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
