/// The tensors ``NetworkEpsilonModel/epsilon(_:state:into:)`` reuses from call to call: the
/// dataWhite input (batch, positions, channels), the network's output (the same shape) and the
/// conditioning ((batch) times, or (batch, components) γ), and a compWhite tensor of the input's shape
/// for parameterizations that combine the network's output with the input.
final class InferenceBuffers<Scalar: TensorScalar> {
    var input = Tensor<Scalar>(shape: [0, 0, 0])
    var output = Tensor<Scalar>(shape: [0, 0, 0])
    var conditioning = Tensor<Scalar>(shape: [0])
    var components = Tensor<Scalar>(shape: [0])

    /// Gives ``components`` the shape of `x` unless it has it already.
    func resizeComponents(like x: Tensor<Scalar>) {
        if components.shape != x.shape { components = Tensor(shape: x.shape) }
    }

    /// Replaces the buffers whose shapes differ from the ones a call needs (a new batch size, say);
    /// keeps the others, so a call at the previous shapes allocates nothing here.
    func resize(batch: Int, positions: Int, channels: Int, conditioning kind: ConditioningKind) {
        let fits = input.shape[0] == batch && input.shape[1] == positions && input.shape[2] == channels
        if !fits {
            input = Tensor(shape: [batch, positions, channels])
            output = Tensor(shape: [batch, positions, channels])
        }
        switch kind {
        case .time:
            if !(conditioning.rank == 1 && conditioning.shape[0] == batch) {
                conditioning = Tensor(shape: [batch])
            }
        case .gamma(let components):
            if !(conditioning.rank == 2 && conditioning.shape[0] == batch && conditioning.shape[1] == components) {
                conditioning = Tensor(shape: [batch, components])
            }
        }
    }
}
