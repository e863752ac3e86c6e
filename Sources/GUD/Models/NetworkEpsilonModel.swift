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
/// With `gaussianResidual` the network predicts a correction to the input, ε̂(x) = U · net(U† x) + x
/// (the spec's "Gaussian default": exact for standard-Gaussian data with a zero network).
///
/// A network runs one call at a time: use one model per thread.
public struct NetworkEpsilonModel<Scalar: TensorScalar>: EpsilonModel {
    /// The ε-network.
    public let network: any EpsilonNetwork<Scalar>
    /// The space whose dataWhite representation the network reads and writes.
    public let space: any Space<Scalar>
    /// Whether the input is added to the network's output.
    public let gaussianResidual: Bool
    /// A time-conditioned network sees `timeScale · t`.
    public let timeScale: Scalar

    /// The model of `network` in `space` (see the type's documentation for `gaussianResidual` and `timeScale`).
    /// - Throws: `GUDError.shapeMismatch` when the network's spatial size differs from the
    ///   space's dimension, or a γ-conditioned network expects a different number of components.
    public init(network: any EpsilonNetwork<Scalar>, space: any Space<Scalar>, gaussianResidual: Bool = false, timeScale: Scalar = 1) throws {
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
        self.gaussianResidual = gaussianResidual
        self.timeScale = timeScale
    }

    /// The network's conditioning input for a batch under a noising state.
    public func conditioning(_ state: NoisingState<Scalar>, batch: Int) throws -> NetworkConditioning<Scalar> {
        switch network.conditioningKind {
        case .time: return .time(try state.timesPerSample(batch: batch) * timeScale)
        case .gamma(let k): return .gamma(try state.gammaPerSample(batch: batch, components: k))
        }
    }

    /// ε̂(x) = U · net(U† x) (+ x) for x in compWhite, shape (batch, D, C) or (batch, D, C, 2).
    public func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        let y = try space.fromComponentSpace(x)
        var eps = try network.predict(x: y, conditioning: conditioning(state, batch: y.shape[0]))
        if gaussianResidual { try eps.addScaled(y) }
        return try space.toComponentSpace(eps)
    }

    /// net(y) (+ y) and, for every cotangent v, vᵀ ∂net/∂y (+ v) from the network's backward pass.
    public func epsilonAndVJP(
        dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>,
        cotangents: [Tensor<Scalar>]
    ) throws -> (epsilon: Tensor<Scalar>, vjps: [Tensor<Scalar>]) {
        guard space.dimension == self.space.dimension else {
            throw GUDError.shapeMismatch("VJP requested in a space of dimension \(space.dimension); the model's has \(self.space.dimension)")
        }
        let c = try conditioning(state, batch: y.shape[0])
        var eps = Tensor<Scalar>(shape: y.shape)
        var vjps = [Tensor<Scalar>]()
        if cotangents.isEmpty { eps = try network.predict(x: y, conditioning: c) }
        for v in cotangents {
            var (out, vjp) = try network.vectorJacobianProduct(x: y, conditioning: c, vector: v)
            if gaussianResidual { try vjp.addScaled(v) }
            eps = out
            vjps.append(vjp)
        }
        if gaussianResidual { try eps.addScaled(y) }
        return (eps, vjps)
    }
}
