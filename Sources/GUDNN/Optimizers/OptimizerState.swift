/// The state of an optimiser or of an EMA as named tensors plus the step count, for checkpoints:
/// restoring it makes the following updates bit-identical to an uninterrupted run.
public struct OptimizerState<Scalar: TensorScalar>: Sendable, Equatable {
    /// The number of updates applied so far.
    public var step: Int
    /// Named tensors, e.g. `m.<parameter>` and `v.<parameter>` for Adam.
    public var tensors: [NamedTensor<Scalar>]

    /// A state after `step` updates.
    public init(step: Int, tensors: [NamedTensor<Scalar>]) {
        self.step = step
        self.tensors = tensors
    }
}
