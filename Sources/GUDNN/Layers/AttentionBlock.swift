/// Multi-head self-attention over the pixels of channel-major images, with a residual connection:
/// `y = x + W_out · attention(W_qkv · LayerNorm(x))` where the projections are dense layers applied per
/// pixel (`qkv`: C → 3C, `out`: C → C) and the attention uses scale 1/√(C/heads)
/// (see ``Tape/attention(_:heads:)``). Parameter names: `norm`, `qkv`, `out`.
public struct AttentionBlock: Sendable {
    public let norm: LayerNorm
    public let qkv: Dense
    public let out: Dense
    public let heads: Int

    public init<S>(_ b: ParameterBuilder<S>, channels: Int, heads: Int) throws {
        guard heads > 0, channels % heads == 0 else {
            throw GUDError.invalidArgument("\(heads) attention heads do not divide \(channels) channels")
        }
        norm = try LayerNorm(b.scope("norm"), channels: channels)
        qkv = try Dense(b.scope("qkv"), inputs: channels, outputs: 3 * channels)
        out = try Dense(b.scope("out"), inputs: channels, outputs: channels)
        self.heads = heads
    }

    /// - Parameter x: `[C, N, H, W]`.
    public func callAsFunction<S>(_ x: Variable, on tape: Tape<S>) throws -> Variable {
        let q = try qkv.pointwise(norm(x, on: tape), on: tape)
        let a = try out.pointwise(tape.attention(q, heads: heads), on: tape)
        return try tape.add(x, a)
    }
}
