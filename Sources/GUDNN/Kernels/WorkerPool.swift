import GUDNumerics
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistent worker threads for the kernels' parallel loops.
///
/// The network passes run hundreds of short parallel loops. `Parallel.forEach` (Dispatch) wakes its
/// threads slowly for such loops and allocates several objects per call; this pool keeps
/// `Parallel.workerCount − 1` threads that spin briefly for the next job before sleeping on a condition
/// variable, and the calling thread works too. A job hands out part indices from an atomic counter and
/// the caller waits until every part has finished, so the job's closure never outlives the call. The
/// only allocation per job is the small box Swift creates to pass a non-escaping closure to another
/// thread (`withoutActuallyEscaping`); with one thread there is none. Jobs do not nest; a job submitted
/// while another runs (from a second thread) runs serially on the submitting thread.
/// (Needs the `Synchronization` module: macOS 15 or later; elsewhere `Work` falls back to `Parallel`.)
@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: Parallel.workerCount - 1)

    private let workers: Int
    private let generation = Atomic<Int>(0)
    private let nextPart = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// The current job: its part count and its body (valid while the submitting call runs). Stored as
    /// plain class properties: a closure kept in generic storage would need a heap-allocated thunk.
    private var parts = 0
    private var body: (Int) -> Void = WorkerPool.idle
    private static let idle: @Sendable (Int) -> Void = { _ in }
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>

    private init(workers: Int) {
        self.workers = Swift.max(0, workers)
        mutex = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for _ in 0..<self.workers {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.start()
        }
    }

    deinit {
        // The shared pool lives for the whole process; nothing to tear down in practice.
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    /// Runs `body(part)` for part in 0..<parts on the pool and the calling thread; returns when all
    /// parts are done.
    func run(_ parts: Int, _ body: (Int) -> Void) {
        guard parts > 1, workers > 0,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for p in 0..<parts { body(p) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            self.parts = parts
            self.body = escapable
            finished.store(0, ordering: .sequentiallyConsistent)
            nextPart.store(0, ordering: .sequentiallyConsistent)
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .sequentiallyConsistent)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
            work()
            while finished.load(ordering: .sequentiallyConsistent) < parts {}
            self.parts = 0
            self.body = WorkerPool.idle
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs parts of the current job until none is left.
    private func work() {
        while true {
            let p = nextPart.add(1, ordering: .sequentiallyConsistent).oldValue
            guard p < parts else { return }
            runPart(p)
            finished.add(1, ordering: .sequentiallyConsistent)
        }
    }

    @inline(never)
    private func runPart(_ p: Int) {
        body(p)
    }

    private func workerLoop() {
        var seen = 0
        while true {
            // Spin for a while (jobs come in quick succession during a pass), then sleep.
            var spins = 0
            while generation.load(ordering: .sequentiallyConsistent) == seen && spins < 200_000 { spins += 1 }
            if generation.load(ordering: .sequentiallyConsistent) == seen {
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(wake, mutex) }
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .sequentiallyConsistent)
            work()
        }
    }
}
