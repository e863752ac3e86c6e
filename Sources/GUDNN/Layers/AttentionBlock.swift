/// Multi-head self-attention over the pixels of channel-major images, with a residual connection:
/// `y = x + W_out · attention(W_qkv · LayerNorm(x))` where the projections are dense layers applied per
/// pixel (`qkv`: C → 3C, `out`: C → C) and the attention uses scale 1/√(C/heads)
/// (see ``Tape/attention(_:heads:)``). Parameter names: `norm`, `qkv`, `out`.
public struct AttentionBlock: Sendable {
    /// The layer normalisation before the projections (`norm`).
    public let norm: LayerNorm
    /// The query, key and value projection C → 3C, applied per pixel (`qkv`).
    public let qkv: Dense
    /// The output projection C → C, applied per pixel (`out`).
    public let out: Dense
    /// The number of heads; each attends with C/heads channels.
    public let heads: Int

    /// Registers the block's parameters under the builder's scope.
    /// - Throws: `GUDError.invalidArgument` unless `heads` ≥ 1 divides `channels`.
    public init<S>(_ b: ParameterBuilder<S>, channels: Int, heads: Int) throws {
        guard heads > 0, channels % heads == 0 else {
            throw GUDError.invalidArgument("\(heads) attention heads do not divide \(channels) channels")
        }
        norm = try LayerNorm(b.scope("norm"), channels: channels)
        qkv = try Dense(b.scope("qkv"), inputs: channels, outputs: 3 * channels)
        out = try Dense(b.scope("out"), inputs: channels, outputs: channels)
        self.heads = heads
    }

    /// Records x + out(attention(qkv(norm(x)))) on `tape`.
    /// - Parameters:
    ///   - x: `[C, N, H, W]`.
    ///   - tape: the tape of the caller's pass.
    public func callAsFunction<S>(_ x: Variable, on tape: Tape<S>) throws -> Variable {
        let q = try qkv.pointwise(norm(x, on: tape), on: tape)
        let a = try out.pointwise(tape.attention(q, heads: heads), on: tape)
        return try tape.add(x, a)
    }
}
