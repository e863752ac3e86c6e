/// The reference MLP ε-network for flat data:
/// `concat(x, embedding(t or γ))` → (Dense + SiLU) per hidden width (`layers.i`) → Dense to the data
/// dimension (`output`), with the embedding of ``ConditioningEmbedding`` (`time_embed`).
/// 189,376 parameters at data dimension 64 and 157,570 at dimension 2 (three hidden layers of 256).
public final class MLP<Scalar: TensorScalar>: EpsilonNetwork {
    public static var architectureName: String { "mlp" }
    public let configuration: MLPConfiguration
    public let parameters: ParameterStore<Scalar>
    public let tape: Tape<Scalar>

    let embedding: ConditioningEmbedding
    let layers: [Dense]
    let output: Dense

    public var space: Int { configuration.space }
    public var channels: Int { configuration.channels }
    public var conditioningKind: ConditioningKind { configuration.conditioning }

    /// Builds the network with parameters initialised deterministically from `source`.
    public init(_ configuration: MLPConfiguration, source: RandomSource) throws {
        try configuration.validate()
        self.configuration = configuration
        let store = ParameterStore<Scalar>()
        parameters = store
        tape = Tape(parameters: store)
        let b = ParameterBuilder(store: store, source: source)
        let d = configuration.space * configuration.channels
        let e = configuration.embeddingDimension
        embedding = try ConditioningEmbedding(b.scope("time_embed"), kind: configuration.conditioning, dimension: e)
        var widthIn = d + e
        var layers: [Dense] = []
        for (i, w) in configuration.hiddenWidths.enumerated() {
            layers.append(try Dense(b.scope("layers").scope("\(i)"), inputs: widthIn, outputs: w))
            widthIn = w
        }
        self.layers = layers
        output = try Dense(b.scope("output"), inputs: widthIn, outputs: d)
    }

    public func forward(_ x: Variable, conditioning: Variable, on tape: Tape<Scalar>) throws -> Variable {
        let n = x.extents[0], d = configuration.space * configuration.channels
        let temb = try embedding(conditioning, on: tape)
        var h = try tape.concatenate(tape.reshape(x, Extents(n, d)), temb, axis: 1)
        for layer in layers { h = try tape.silu(layer(h, on: tape)) }
        return try tape.reshape(output(h, on: tape), x.extents)
    }
}
