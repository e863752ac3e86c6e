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

/// The embedding of the conditioning value: for time, sinusoidal features of t (dimension D,
/// ``Tape/sinusoidalEmbedding(_:dimension:)``); for γ, a learned projection `Dense(components → D)`
/// (`gamma_proj`); then `Dense(D → D)` (`linear1`), SiLU, `Dense(D → D)` (`linear2`).
/// Input `[N]` or `[N, components]`, output `[N, D]`.
public struct ConditioningEmbedding: Sendable {
    public let kind: ConditioningKind
    public let dimension: Int
    public let gammaProjection: Dense?
    public let linear1: Dense
    public let linear2: Dense

    public init<S>(_ b: ParameterBuilder<S>, kind: ConditioningKind, dimension: Int) throws {
        guard dimension >= 4 else {
            throw GUDError.invalidArgument("embedding dimension must be at least 4, got \(dimension)")
        }
        self.kind = kind
        self.dimension = dimension
        if case .gamma(let k) = kind {
            guard k > 0 else { throw GUDError.invalidArgument("γ conditioning needs at least one component, got \(k)") }
            gammaProjection = try Dense(b.scope("gamma_proj"), inputs: k, outputs: dimension)
        } else {
            gammaProjection = nil
        }
        linear1 = try Dense(b.scope("linear1"), inputs: dimension, outputs: dimension)
        linear2 = try Dense(b.scope("linear2"), inputs: dimension, outputs: dimension)
    }

    public func callAsFunction<S>(_ c: Variable, on tape: Tape<S>) throws -> Variable {
        let features: Variable
        if let gammaProjection {
            features = try gammaProjection(c, on: tape)
        } else {
            features = try tape.sinusoidalEmbedding(c, dimension: dimension)
        }
        return try linear2(tape.silu(linear1(features, on: tape)), on: tape)
    }
}
