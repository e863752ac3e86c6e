import GUDNumerics

/// Define-by-run reverse-mode differentiation over tensor operations.
///
/// A pass starts with ``begin(parameters:recording:parameterGradients:dropout:workspaceKey:)``. Operations
/// (`tape.conv2d(…)`, `tape.silu(…)`, …, in `Operations/`) compute their result immediately into a
/// buffer of the tape's pool and, when recording and a gradient is needed, append a backward step.
/// ``backward(from:seed:)-(_,Tensor<Scalar>?)`` runs the steps in reverse, accumulating parameter gradients into the
/// ``ParameterStore`` and input gradients on the tape. ``end()`` returns every buffer to the pool.
///
/// Composing layers needs no backward code: every operation brings its own.
///
/// Memory and speed:
/// - buffers come from a pool that keeps them between passes: a pass that repeats an earlier one with
///   the same workspace key (e.g. the same batch size) gets exactly the same buffers and allocates none;
/// - during ``backward(from:seed:)-(_,Tensor<Scalar>?)`` the value and gradient of each intermediate result are returned to
///   the pool as soon as the step that produced it has run;
/// - between `begin` and `end` OpenBLAS is set to one thread and the operations split their work into a
///   number of parts fixed by the problem size (not by the thread count) that run on the kernels' worker
///   threads (`Parallel.workerCount` in all): results are bit-identical for any number of threads.
///
/// A tape is not thread-safe; one pass at a time.
public final class Tape<Scalar: TensorScalar> {
    struct Step {
        var node: Int
        var auxiliary: [Int]
        var body: (Tape<Scalar>) -> Void
    }

    let pool = BufferPool()
    var nodes: [TapeNode] = []
    var allocations: [TapeAllocation] = []
    var steps: [Step] = []
    private(set) var pass = 0
    private var active = false
    private var dropoutCounter: UInt64 = 0

    /// The parameters the operations of this pass read and whose gradients they accumulate.
    public private(set) var parameters: ParameterStore<Scalar>
    /// Whether backward steps are recorded in this pass.
    public private(set) var isRecording = false
    /// Whether backward accumulates parameter gradients (off for input-only vector–Jacobian products).
    public private(set) var computesParameterGradients = false
    /// The source of dropout masks in this pass; `nil` disables dropout (inference).
    public private(set) var dropoutSource: RandomSource?

    /// A tape for passes over `parameters`; its buffer pool starts empty.
    public init(parameters: ParameterStore<Scalar>) {
        self.parameters = parameters
        nodes.reserveCapacity(512)
        allocations.reserveCapacity(1024)
        steps.reserveCapacity(512)
    }

    deinit {
        if active { SingleThreadedBLAS.leave() }
    }

    /// Starts a pass (ending the previous one if needed).
    /// - Parameters:
    ///   - parameters: the store the operations read; default: the one of the previous pass.
    ///   - recording: record backward steps (training, vector–Jacobian products).
    ///   - parameterGradients: accumulate gradients into `parameters.gradients` during backward.
    ///   - dropout: the source of dropout masks; `nil` disables dropout.
    ///   - workspaceKey: passes with the same key and the same sequence of operations reuse exactly the
    ///     same buffers (no allocation); use e.g. the batch size, distinct for training and inference.
    public func begin(
        parameters: ParameterStore<Scalar>? = nil, recording: Bool,
        parameterGradients: Bool = true, dropout: RandomSource? = nil, workspaceKey: Int = 0
    ) {
        if active { end() }
        pool.beginPass(key: workspaceKey)
        if let p = parameters { self.parameters = p }
        isRecording = recording
        computesParameterGradients = recording && parameterGradients
        dropoutSource = dropout
        dropoutCounter = 0
        pass += 1
        active = true
        SingleThreadedBLAS.enter()
    }

    /// Ends the pass: every buffer returns to the pool, every ``Variable`` of the pass becomes invalid,
    /// and the OpenBLAS thread count is restored.
    public func end() {
        guard active else { return }
        for i in allocations.indices where allocations[i].live {
            pool.give(allocations[i].pointer)
        }
        allocations.removeAll(keepingCapacity: true)
        nodes.removeAll(keepingCapacity: true)
        steps.removeAll(keepingCapacity: true)
        active = false
        SingleThreadedBLAS.leave()
    }

    /// Frees the memory of the pool (it is rebuilt on the next pass).
    public func releaseWorkspace() {
        if active { end() }
        pool.releaseMemory()
    }

    /// The number of buffers ever obtained from the system allocator; constant once a pass shape has been seen.
    public var systemAllocationCount: Int { pool.systemAllocations }

    /// Bytes held by the pool.
    public var workspaceBytes: Int { pool.bytesHeld }

    /// The most bytes of the pool in use at the same time so far.
    public var peakWorkspaceBytesInUse: Int { pool.peakBytesInUse }

    // MARK: Inputs and outputs

    /// Records a tensor (rank ≤ 4) as a leaf value. Its gradient is available after
    /// ``backward(from:seed:)-(_,Tensor<Scalar>?)`` when `requiresGradient` is true.
    public func input(_ tensor: Tensor<Scalar>, requiresGradient: Bool = false) throws -> Variable {
        let extents = try Extents(tensor.shape)
        return input(extents, requiresGradient: requiresGradient) { dst in
            tensor.withUnsafeBufferPointer { copyScalars(dst.baseAddress!, $0.baseAddress!, extents.count) }
        }
    }

    /// Records a leaf value of the given shape whose elements `fill` writes (all of them).
    public func input(
        _ extents: Extents, requiresGradient: Bool = false,
        fill: (UnsafeMutableBufferPointer<Scalar>) -> Void
    ) -> Variable {
        let (v, p) = makeNode(extents, requiresGradient: requiresGradient)
        fill(UnsafeMutableBufferPointer(start: p, count: extents.count))
        return v
    }

    /// A copy of a value as a tensor.
    public func tensor(_ v: Variable) -> Tensor<Scalar> {
        var t = Tensor<Scalar>(shape: v.extents.array)
        let src = value(v)
        t.withUnsafeMutableBufferPointer { copyScalars($0.baseAddress!, src, v.extents.count) }
        return t
    }

    /// Calls `body` with the elements of a value (row-major in its extents).
    public func withValue<R>(_ v: Variable, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: value(v), count: v.extents.count))
    }

    /// The gradient of a leaf value after ``backward(from:seed:)-(_,Tensor<Scalar>?)`` (zeros if nothing depended on it),
    /// or `nil` if it was recorded without `requiresGradient`.
    public func gradient(_ v: Variable) -> Tensor<Scalar>? {
        withGradient(v) { g in
            var t = Tensor<Scalar>(shape: v.extents.array)
            t.withUnsafeMutableBufferPointer { copyScalars($0.baseAddress!, g.baseAddress!, g.count) }
            return t
        }
    }

    /// Calls `body` with the gradient of a leaf value (see ``gradient(_:)``); `nil` when it has none.
    public func withGradient<R>(_ v: Variable, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R? {
        check(v)
        guard nodes[v.id].requiresGradient else { return nil }
        // No step wrote a gradient: nothing depended on v.
        let (g, accumulate) = gradientForAccumulation(v)!
        if !accumulate { zeroScalars(g, v.extents.count) }
        return try body(UnsafeBufferPointer(start: g, count: v.extents.count))
    }

    // MARK: Backward

    /// Runs the recorded steps in reverse, starting from `output` with gradient `seed`
    /// (default: 1 for a value with one element).
    /// - Throws: `GUDError.invalidArgument` when the pass does not record, or no seed is given for
    ///   a value with more than one element; `GUDError.shapeMismatch` for a seed of the wrong shape.
    public func backward(from output: Variable, seed: Tensor<Scalar>? = nil) throws {
        if let seed {
            guard seed.shape == output.extents.array else {
                throw GUDError.shapeMismatch("seed gradient has shape \(seed.shape), expected \(output.extents)")
            }
            try seed.withUnsafeBufferPointer { try backward(from: output, seed: $0.baseAddress!) }
        } else {
            guard output.extents.count == 1 else {
                throw GUDError.invalidArgument("backward from a value of shape \(output.extents) needs a seed gradient of that shape")
            }
            var one: Scalar = 1
            try backward(from: output, seed: &one)
        }
    }

    /// ``backward(from:seed:)-(_,Tensor<Scalar>?)`` with the seed given as a pointer to `output.extents.count` elements.
    public func backward(from output: Variable, seed: UnsafePointer<Scalar>) throws {
        check(output)
        guard isRecording else {
            throw GUDError.invalidArgument("backward on a pass that does not record; begin the pass with recording: true")
        }
        guard nodes[output.id].requiresGradient else { return }
        let (g, _) = gradientForAccumulation(output)!
        copyScalars(g, seed, output.extents.count)
        for s in steps.indices.reversed() {
            let step = steps[s]
            if nodes[step.node].gradient != nil { step.body(self) }
            for a in step.auxiliary { release(a) }
            // The value and gradient of an intermediate result are dead once its own step has run.
            if step.node != output.id { release(nodes[step.node].valueAllocation) }
            release(nodes[step.node].gradientAllocation)
            nodes[step.node].gradient = nil
        }
        steps.removeAll(keepingCapacity: true)
    }

    // MARK: For operation implementations

    func check(_ v: Variable) {
        precondition(v.pass == pass && active && v.id < nodes.count, "variable used outside the tape pass that created it")
    }

    /// Allocates a buffer for the rest of the pass; returns its allocation handle and pointer.
    func allocate(_ count: Int) -> (Int, UnsafeMutablePointer<Scalar>) {
        let p = pool.take(count * MemoryLayout<Scalar>.stride)
        allocations.append(TapeAllocation(pointer: p, live: true))
        return (allocations.count - 1, p.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1)))
    }

    /// Returns an allocation to the pool early (no effect when already released or for handle -1).
    func release(_ handle: Int) {
        guard handle >= 0, allocations[handle].live else { return }
        allocations[handle].live = false
        pool.give(allocations[handle].pointer)
    }

    /// Scratch memory for the duration of `body` (not across operations).
    func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Scalar>) throws -> R) rethrows -> R {
        let p = pool.take(count * MemoryLayout<Scalar>.stride)
        defer { pool.give(p) }
        return try body(p.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1)))
    }

    /// Creates a new value of the given shape (uninitialised) and returns it with its buffer.
    func makeNode(_ extents: Extents, requiresGradient: Bool) -> (Variable, UnsafeMutablePointer<Scalar>) {
        precondition(active, "tape operation outside a pass; call begin(…) first")
        let (h, p) = allocate(extents.count)
        nodes.append(TapeNode(
            value: UnsafeMutableRawPointer(p), valueAllocation: h, gradient: nil, gradientAllocation: -1, extents: extents,
            requiresGradient: requiresGradient))
        return (Variable(id: nodes.count - 1, pass: pass, extents: extents), p)
    }

    /// Creates a value that shares the buffer of `source` (reshapes).
    func makeAlias(of source: Variable, extents: Extents, requiresGradient: Bool) -> Variable {
        check(source)
        nodes.append(TapeNode(
            value: nodes[source.id].value, valueAllocation: -1, gradient: nil, gradientAllocation: -1,
            extents: extents, requiresGradient: requiresGradient))
        return Variable(id: nodes.count - 1, pass: pass, extents: extents)
    }

    /// The buffer of a value.
    func value(_ v: Variable) -> UnsafeMutablePointer<Scalar> {
        check(v)
        return nodes[v.id].value.assumingMemoryBound(to: Scalar.self)
    }

    /// Whether gradients flow to `v`.
    func requiresGradient(_ v: Variable) -> Bool { nodes[v.id].requiresGradient }

    /// Whether an operation reading `inputs` (and parameters when `usesParameters`) produces a value
    /// that needs a backward step.
    func needsGradient(_ a: Variable, usesParameters: Bool = false) -> Bool {
        guard isRecording else { return false }
        return (usesParameters && computesParameterGradients) || nodes[a.id].requiresGradient
    }

    /// ``needsGradient(_:usesParameters:)`` for an operation with two inputs.
    func needsGradient(_ a: Variable, _ b: Variable, usesParameters: Bool = false) -> Bool {
        guard isRecording else { return false }
        return (usesParameters && computesParameterGradients) || nodes[a.id].requiresGradient
            || nodes[b.id].requiresGradient
    }

    /// Records the backward step of the operation that produced `output`. `auxiliary` allocations
    /// (saved statistics, masks) are released after the step has run.
    func record(_ output: Variable, auxiliary: [Int] = [], _ body: @escaping (Tape<Scalar>) -> Void) {
        steps.append(Step(node: output.id, auxiliary: auxiliary, body: body))
    }

    /// The gradient of an operation's output, during its backward step.
    func outputGradient(_ v: Variable) -> UnsafePointer<Scalar> {
        UnsafePointer(nodes[v.id].gradient!.assumingMemoryBound(to: Scalar.self))
    }

    /// The gradient buffer of an operation's input, or `nil` when no gradient flows to it.
    /// When `accumulate` is false the buffer is fresh and the caller must overwrite every element;
    /// otherwise it must add to it.
    func gradientForAccumulation(_ v: Variable) -> (UnsafeMutablePointer<Scalar>, accumulate: Bool)? {
        guard nodes[v.id].requiresGradient else { return nil }
        if let g = nodes[v.id].gradient { return (g.assumingMemoryBound(to: Scalar.self), true) }
        let (h, p) = allocate(v.extents.count)
        nodes[v.id].gradient = UnsafeMutableRawPointer(p)
        nodes[v.id].gradientAllocation = h
        return (p, false)
    }

    /// The gradient buffer of a parameter in the store, or `nil` when parameter gradients are off.
    func parameterGradient(_ p: Parameter) -> UnsafeMutablePointer<Scalar>? {
        computesParameterGradients ? parameters.gradients + p.offset : nil
    }

    /// The value buffer of a parameter.
    func parameterValue(_ p: Parameter) -> UnsafeMutablePointer<Scalar> { parameters.values + p.offset }

    /// A fresh dropout source for the next dropout operation of this pass, or `nil` when dropout is off.
    func nextDropoutSource() -> RandomSource? {
        guard let s = dropoutSource else { return nil }
        dropoutCounter += 1
        return s.derived(dropoutCounter)
    }
}

/// The bookkeeping of one value on a tape (not generic, so that unspecialised generic tape code
/// handles arrays of it without allocating).
struct TapeNode {
    var value: UnsafeMutableRawPointer
    var valueAllocation: Int
    var gradient: UnsafeMutableRawPointer?
    var gradientAllocation: Int
    var extents: Extents
    var requiresGradient: Bool
}

/// A pool buffer used by a tape pass, and whether it is still in use.
struct TapeAllocation {
    var pointer: UnsafeMutableRawPointer
    var live: Bool
}
