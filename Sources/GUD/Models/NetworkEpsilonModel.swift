/// An ``EpsilonModel`` backed by an ε-network (`EpsilonNetwork`: U-Net, MLP, or one of your own).
///
/// The network works in **dataWhite**: for a noisy state x in compWhite the model computes
///
///     ε̂(x) = U · net(U† x, c)
///
/// with the space's orthonormal U (``Space/toComponentSpace(_:)``, ``Space/fromComponentSpace(_:)``)
/// and the conditioning c taken from the noising state: the time t of every sample (times `timeScale`) for a
/// time-conditioned network, or the per-component γ of every sample (shape (batch, D)) for a
/// γ-conditioned one, which then serves a whole schedule family.
///
/// The likelihood's vector–Jacobian products are exact: in dataWhite η(y) = U† ε̂(U y) = net(y), so
/// vᵀ∂η/∂y is one backward pass of the network per cotangent (no finite differences).
///
/// The ``EpsilonParameterization`` says how the output is read: as ε itself (above), as a correction
/// to the input (ε̂ = U · net(U† x) + x, the reference's "Gaussian default"), or as the v-prediction
/// v̂ = U · net(U† x) with ε̂ = σ x + α v̂.
///
/// **Inference without allocation.** ``epsilon(_:state:into:)``, the variant the samplers call,
/// keeps its dataWhite input, the network's output and the conditioning in buffers owned by the
/// model and reused from call to call, calls the network's `EpsilonNetwork.predict(x:conditioning:into:)`
/// (no gradients recorded, buffers replayed from the network's pool) and the space's `into:`
/// transforms; after the first call at a batch size it allocates nothing itself.
///
/// A network runs one call at a time: use one model per thread (copies of a model share its
/// network and its buffers).
public struct NetworkEpsilonModel<Scalar: TensorScalar>: EpsilonModel {
    /// The ε-network.
    public let network: any EpsilonNetwork<Scalar>
    /// The space whose dataWhite representation the network reads and writes.
    public let space: any Space<Scalar>
    /// How the network's output is read as ε̂.
    public let parameterization: EpsilonParameterization
    /// A time-conditioned network sees `timeScale · t`.
    public let timeScale: Scalar
    /// The buffers of ``epsilon(_:state:into:)``.
    private let buffers = InferenceBuffers<Scalar>()

    /// - Throws: `GUDError.shapeMismatch` when the network's spatial size differs from the
    ///   space's dimension, or a γ-conditioned network expects a different number of components.
    public init(network: any EpsilonNetwork<Scalar>, space: any Space<Scalar>, parameterization: EpsilonParameterization = .epsilon, timeScale: Scalar = 1
    ) throws {
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
        self.parameterization = parameterization
        self.timeScale = timeScale
    }

    /// The network's conditioning input for a batch under a noising state.
    public func conditioning(_ state: NoisingState<Scalar>, batch: Int) throws -> NetworkConditioning<Scalar> {
        switch network.conditioningKind {
        case .time: return .time(try state.timesPerSample(batch: batch) * timeScale)
        case .gamma(let k): return .gamma(try state.gammaPerSample(batch: batch, components: k))
        }
    }

    /// ε̂(x) for x in compWhite, shape (batch, D, C) or (batch, D, C, 2), from the network's output
    /// as the ``parameterization`` says (a new tensor; ``epsilon(_:state:into:)`` reuses buffers).
    public func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        var out = Tensor<Scalar>(shape: x.shape)
        try epsilon(x, state: state, into: &out)
        return out
    }

    /// ε̂(x) written into `output` (x's shape), through the model's reused buffers (see the type's
    /// documentation); the same values as ``epsilon(_:state:)``.
    /// - Throws: `GUDError.shapeMismatch` when `x` or `output` has the wrong shape.
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
            if timeScale != 1 { buffers.conditioning.formMap { $0 * timeScale } }
            conditioning = .time(buffers.conditioning)
        case .gamma:
            try state.writeGammaPerSample(into: &buffers.conditioning)
            conditioning = .gamma(buffers.conditioning)
        }
        try network.predict(x: buffers.input, conditioning: conditioning, into: &buffers.output)
        switch parameterization {
        case .epsilon:
            try space.toComponentSpace(buffers.output, into: &output)
        case .gaussianResidual:
            try buffers.output.addScaled(buffers.input)
            try space.toComponentSpace(buffers.output, into: &output)
        case .vPrediction:
            buffers.resizeComponents(like: x)
            try space.toComponentSpace(buffers.output, into: &buffers.components)
            try applyComponentwise(.vPredictionToEpsilon, buffers.components, x: x, state: state, into: &output)
        }
    }

    /// The network's training target in dataWhite for noisy x and noise z (both compWhite): z, z − x,
    /// or the v-target (z − σ x)/α, as the ``parameterization`` says.
    public func target(noise z: Tensor<Scalar>, noisy x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        switch parameterization {
        case .epsilon: return try space.fromComponentSpace(z)
        case .gaussianResidual: return try space.fromComponentSpace(z - x)
        case .vPrediction: return try space.fromComponentSpace(applyComponentwise(.epsilonToVPrediction, z, x: x, state: state))
        }
    }

    /// η(y) = U† ε̂(U y) and, for every cotangent v, vᵀ ∂η/∂y from the network's backward pass:
    /// ε: η = net, vᵀJ_net; residual: η = net + y, vᵀJ_net + v; v-prediction: η = Σ_σ y + A net(y)
    /// with A = U† diag(α) U and Σ_σ = U† diag(σ) U (symmetric), so vᵀ∂η/∂y = Σ_σ v + (A v)ᵀ J_net.
    public func epsilonAndVJP(
        dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>,
        cotangents: [Tensor<Scalar>]
    ) throws -> (epsilon: Tensor<Scalar>, vjps: [Tensor<Scalar>]) {
        guard space.dimension == self.space.dimension else {
            throw GUDError.shapeMismatch("VJP requested in a space of dimension \(space.dimension); the model's has \(self.space.dimension)")
        }
        let c = try conditioning(state, batch: y.shape[0])
        /// U† diag(coefficient) U applied to a dataWhite tensor.
        func scaled(_ formula: ComponentwiseFormula, _ t: Tensor<Scalar>) throws -> Tensor<Scalar> {
            try space.fromComponentSpace(applyComponentwise(formula, space.toComponentSpace(t), x: nil, state: state))
        }
        var out = Tensor<Scalar>(shape: y.shape)
        var vjps = [Tensor<Scalar>]()
        if cotangents.isEmpty { out = try network.predict(x: y, conditioning: c) }
        for v in cotangents {
            let seed = parameterization == .vPrediction ? try scaled(.alphaTimes, v) : v
            var (o, vjp) = try network.vectorJacobianProduct(x: y, conditioning: c, vector: seed)
            switch parameterization {
            case .epsilon: break
            case .gaussianResidual: try vjp.addScaled(v)
            case .vPrediction: try vjp.addScaled(scaled(.sigmaTimes, v))
            }
            out = o
            vjps.append(vjp)
        }
        let eta: Tensor<Scalar>
        switch parameterization {
        case .epsilon: eta = out
        case .gaussianResidual: eta = try out + y
        case .vPrediction: eta = try scaled(.alphaTimes, out) + scaled(.sigmaTimes, y)
        }
        return (eta, vjps)
    }
}
