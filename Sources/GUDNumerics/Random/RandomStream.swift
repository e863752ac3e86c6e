import RealModule

/// One stream of random numbers: a xoshiro256** generator with uniform and Gaussian draws.
///
/// Obtain streams from a ``RandomSource``. A stream is a value: copying it forks an identical
/// sequence. Gaussian draws use the Box–Muller transform in `Double` and hand out both values of
/// each pair in order, so the sequence of draws is the same however the calls are split
/// (one at a time, or in buffers of any size) and the same for `Float` and `Double` up to rounding.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    @usableFromInline var spare: Double?

    /// A stream seeded from a 64-bit key (expanded with SplitMix64, so every key gives a valid state).
    public init(key: UInt64) {
        var k = key
        func next() -> UInt64 {
            k = k &+ 0x9E37_79B9_7F4A_7C15
            var z = k
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
        spare = nil
    }

    /// The next 64 random bits (xoshiro256**).
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw N(0, 1).
    @inlinable
    public mutating func nextGaussian() -> Double {
        if let z = spare {
            spare = nil
            return z
        }
        // u1 ∈ (0, 1] keeps the logarithm finite.
        let u1 = Double((next() >> 11) + 1) * 0x1.0p-53
        let u2 = nextUniform()
        let r = (-2 * _log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spare = r * _sin(theta)
        return r * _cos(theta)
    }

    /// Fills a buffer with standard normal draws, in order.
    @inlinable
    public mutating func fillGaussian<S: TensorScalar>(_ buffer: UnsafeMutableBufferPointer<S>) {
        for i in buffer.indices { buffer[i] = S(nextGaussian()) }
    }

    /// A uniform draw in [0, 1) in the requested precision (rounding never reaches 1).
    @inlinable
    public mutating func nextUniform<S: TensorScalar>(as: S.Type) -> S {
        Swift.min(S(nextUniform()), S(1).nextDown)
    }

    /// Fills a buffer with uniform draws in [0, 1).
    @inlinable
    public mutating func fillUniform<S: TensorScalar>(_ buffer: UnsafeMutableBufferPointer<S>) {
        for i in buffer.indices { buffer[i] = nextUniform(as: S.self) }
    }
}

@usableFromInline func _log(_ x: Double) -> Double { Double.log(x) }
@usableFromInline func _sin(_ x: Double) -> Double { Double.sin(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Double.cos(x) }
