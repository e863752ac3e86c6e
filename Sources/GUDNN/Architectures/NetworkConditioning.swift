/// What an ε-network is conditioned on; fixed by its configuration.
public enum ConditioningKind: Codable, Equatable, Sendable {
    /// The scalar diffusion time t per sample, input shape `[N]`.
    case time
    /// The whole per-component log-SNR vector γ per sample, input shape `[N, components]`; the network
    /// learns a linear projection of γ into the embedding, so one network serves a family of schedules.
    case gamma(components: Int)
}

/// The conditioning input of one call, in the precision of the network.
public enum NetworkConditioning<Scalar: TensorScalar>: Sendable {
    /// t per sample, shape `(batch)`.
    case time(Tensor<Scalar>)
    /// γ per sample, shape `(batch, components)`.
    case gamma(Tensor<Scalar>)

    /// The tensor, whichever the case.
    public var tensor: Tensor<Scalar> {
        switch self {
        case .time(let t), .gamma(let t): return t
        }
    }
}
