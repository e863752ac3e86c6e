/// A flat buffer with the layout of a ``ParameterStore`` (an optimiser moment, EMA weights); owns its memory.
final class ParameterBuffer<Scalar: TensorScalar> {
    let count: Int
    let pointer: UnsafeMutablePointer<Scalar>

    init(count: Int, initial: UnsafePointer<Scalar>? = nil) {
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
        if let initial {
            copyScalars(pointer, initial, count)
        } else {
            zeroScalars(pointer, count)
        }
    }

    deinit { pointer.deallocate() }
}
