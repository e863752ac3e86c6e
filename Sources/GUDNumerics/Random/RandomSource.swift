/// A seedable, splittable source of randomness. There is no global random state in GUD: every
/// stochastic API takes a `RandomSource` (or a ``RandomStream`` derived from one).
///
/// A source is just a 64-bit key. Independent streams are *derived* from it by index or label:
///
/// - ``stream(_:)`` gives the stream of one sample: sample `i`'s draws depend only on
///   (seed, i), so a sample does not change with the batch size or with how many samples are drawn.
/// - ``derived(_:)-(String)`` (or ``derived(_:)-(UInt64)``) gives a new source for a purpose (`"shuffle"`, `"init"`, a training step, …),
///   so that adding draws for one purpose never shifts the draws of another.
///
/// Keys are mixed with SplitMix64 finalisers; streams are xoshiro256** generators seeded from the key.
/// String labels are hashed with FNV-1a (stable across runs, unlike `Hasher`).
public struct RandomSource: Sendable, Hashable, CustomStringConvertible {
    /// The key from which every stream of this source is derived.
    public let seed: UInt64

    /// The source with key `seed`: the same seed always gives the same streams.
    public init(seed: UInt64) { self.seed = seed }

    /// The stream of sample (or item) `index`; the same (seed, index) always gives the same stream.
    public func stream(_ index: Int) -> RandomStream {
        RandomStream(key: RandomSource.mix(seed, UInt64(bitPattern: Int64(index)) &+ 0x5851_F42D_4C95_7F2D))
    }

    /// An independent source for the given integer label.
    public func derived(_ label: UInt64) -> RandomSource {
        RandomSource(seed: RandomSource.mix(seed ^ 0xA076_1D64_78BD_642F, label))
    }

    /// An independent source for the given text label.
    public func derived(_ label: String) -> RandomSource {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return derived(h)
    }

    /// A tensor of standard normal draws whose axis 0 indexes samples: the elements of row `b` are
    /// the first draws of ``stream(_:)`` `(firstSample + b)`, in row-major order.
    public func gaussian<S: TensorScalar>(shape: [Int], firstSample: Int = 0, as: S.Type = S.self) -> Tensor<S> {
        var t = Tensor<S>(shape: shape)
        guard let rows = shape.first, rows > 0 else { return t }
        let perRow = t.count / rows
        t.withUnsafeMutableBufferPointer { b in
            for r in 0..<rows {
                var s = stream(firstSample + r)
                s.fillGaussian(UnsafeMutableBufferPointer(rebasing: b[(r * perRow)..<((r + 1) * perRow)]))
            }
        }
        return t
    }

    /// `RandomSource(seed: …)`.
    public var description: String { "RandomSource(seed: \(seed))" }

    /// SplitMix64's finaliser: a bijective 64-bit mixer.
    @inlinable
    static func splitMix(_ z0: UInt64) -> UInt64 {
        var z = z0 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Combines two 64-bit keys into one (not symmetric).
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        splitMix(splitMix(a) ^ (b &* 0xD6E8_FEB8_6659_FD93))
    }
}
