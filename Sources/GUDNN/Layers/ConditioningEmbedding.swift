/// The embedding of the conditioning value: for time, sinusoidal features of t (dimension D,
/// ``Tape/sinusoidalEmbedding(_:dimension:)``); for γ, a learned projection `Dense(components → D)`
/// (`gamma_proj`); then `Dense(D → D)` (`linear1`), SiLU, `Dense(D → D)` (`linear2`).
/// Input `[N]` or `[N, components]`, output `[N, D]`.
public struct ConditioningEmbedding: Sendable {
    /// What is embedded: the time or the per-component γ vector.
    public let kind: ConditioningKind
    /// D, the embedding size.
    public let dimension: Int
    /// The learned projection of γ (components → D), `nil` for time conditioning.
    public let gammaProjection: Dense?
    /// The first layer of the MLP, D → D.
    public let linear1: Dense
    /// The second layer of the MLP, D → D.
    public let linear2: Dense

    /// Registers the embedding's parameters under the builder's scope.
    /// - Throws: `GUDError.invalidArgument` for a dimension below 4 or γ conditioning without components.
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

    /// Records the embedding `[N, D]` of the conditioning `c` (`[N]` or `[N, components]`) on `tape`.
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
