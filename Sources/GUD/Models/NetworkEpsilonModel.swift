/// An ``EpsilonModel`` backed by an ε-network (``EpsilonNetwork``: U-Net, MLP, or one of your own).
///
/// The network works in **dataWhite**: for a noisy state x in compWhite the model computes
///
///     ε̂(x) = U · net(U† x, c)
///
/// with the space's orthonormal U (``Space/toComponentSpace(_:)``, ``Space/fromComponentSpace(_:)``)
/// and the conditioning c taken from the noising state: the time t of every sample for a
/// time-conditioned network, or the per-component γ of every sample (shape (batch, D)) for a
/// γ-conditioned one, which then serves a whole schedule family.
///
/// The likelihood's vector–Jacobian products are exact: in dataWhite η(y) = U† ε̂(U y) = net(y), so
/// vᵀ∂η/∂y is one backward pass of the network per cotangent (no finite differences).
///
/// **Inference without allocation.** ``epsilon(_:state:into:)``, the variant the samplers call,
/// keeps its dataWhite input, the network's output and the conditioning in buffers owned by the
/// model and reused from call to call, calls the network's ``EpsilonNetwork/predict(x:conditioning:into:)``
/// (no gradients recorded, buffers replayed from the network's pool) and the space's `into:`
/// transforms; after the first call at a batch size it allocates nothing itself.
///
/// A network runs one call at a time: use one model per thread (copies of a model share its
/// network and its buffers).
public struct NetworkEpsilonModel<Network: EpsilonNetwork>: EpsilonModel {
    public typealias Scalar = Network.Scalar

    /// The ε-network.
    public let network: Network
    /// The space whose dataWhite representation the network reads and writes.
    public let space: any Space<Scalar>
    /// The buffers of ``epsilon(_:state:into:)``.
    private let buffers = InferenceBuffers<Scalar>()

    /// - Throws: ``GUDError/shapeMismatch(_:)`` when the network's spatial size differs from the
    ///   space's dimension, or a γ-conditioned network expects a different number of components.
    public init(network: Network, space: any Space<Scalar>) throws {
        guard network.space == space.dimension else {
            throw GUDError.shapeMismatch(
                "the network reads \(network.space) positions but the space has dimension \(space.dimension)")
        }
        if case .gamma(let k) = network.conditioningKind, k != space.dimension {
            throw GUDError.shapeMismatch(
                "the network is conditioned on γ of \(k) components but the space has \(space.dimension)")
        }
        self.network = network
        self.space = space
    }

    /// The network's conditioning input for a batch under a noising state.
    public func conditioning(_ state: NoisingState<Scalar>, batch: Int) throws -> NetworkConditioning<Scalar> {
        switch network.conditioningKind {
        case .time: return .time(try state.timesPerSample(batch: batch))
        case .gamma(let k): return .gamma(try state.gammaPerSample(batch: batch, components: k))
        }
    }

    /// ε̂(x) = U · net(U† x) for x in compWhite, shape (batch, D, C) or (batch, D, C, 2).
    public func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        let y = try space.fromComponentSpace(x)
        let eps = try network.predict(x: y, conditioning: conditioning(state, batch: y.shape[0]))
        return try space.toComponentSpace(eps)
    }

    /// ε̂(x) = U · net(U† x) written into `output` (x's shape), through the model's reused buffers
    /// (see the type's documentation).
    /// - Throws: ``GUDError/shapeMismatch(_:)`` when `x` or `output` has the wrong shape.
    public func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>, into output: inout Tensor<Scalar>) throws {
        try checkOutputBuffer(output, for: x)
        guard x.rank >= 3 else {
            throw GUDError.shapeMismatch("x has shape \(x.shape); expected (batch, \(space.dimension), channels) or (batch, \(space.dimension), channels, 2)")
        }
        let batch = x.shape[0]
        buffers.resize(batch: batch, positions: network.space, channels: x.shape[2], conditioning: network.conditioningKind)
        try space.fromComponentSpace(x, into: &buffers.input)
        let conditioning: NetworkConditioning<Scalar>
        switch network.conditioningKind {
        case .time:
            try state.writeTimesPerSample(into: &buffers.conditioning)
            conditioning = .time(buffers.conditioning)
        case .gamma:
            try state.writeGammaPerSample(into: &buffers.conditioning)
            conditioning = .gamma(buffers.conditioning)
        }
        try network.predict(x: buffers.input, conditioning: conditioning, into: &buffers.output)
        try space.toComponentSpace(buffers.output, into: &output)
    }

    /// net(y) and, for every cotangent v, vᵀ ∂net/∂y from the network's backward pass.
    public func epsilonAndVJP(
        dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>,
        cotangents: [Tensor<Scalar>]
    ) throws -> (epsilon: Tensor<Scalar>, vjps: [Tensor<Scalar>]) {
        guard space.dimension == self.space.dimension else {
            throw GUDError.shapeMismatch("VJP requested in a space of dimension \(space.dimension); the model's has \(self.space.dimension)")
        }
        let c = try conditioning(state, batch: y.shape[0])
        guard !cotangents.isEmpty else { return (try network.predict(x: y, conditioning: c), []) }
        var eps = Tensor<Scalar>(shape: y.shape)
        var vjps = [Tensor<Scalar>]()
        for v in cotangents {
            let (out, vjp) = try network.vectorJacobianProduct(x: y, conditioning: c, vector: v)
            eps = out
            vjps.append(vjp)
        }
        return (eps, vjps)
    }
}
