import RealModule

/// Numerically stable scalar functions used throughout the diffusion mathematics.
///
/// γ = log(σ²/α²) spans roughly −15 … +15 and larger in the tails of schedules; these forms stay
/// accurate (no overflow, no catastrophic cancellation) for every finite argument.
public enum StableMath {
    /// sigmoid(x) = 1 / (1 + e^{−x}), evaluated without overflow for |x| large.
    @inlinable
    public static func sigmoid<T: Real>(_ x: T) -> T {
        if x >= 0 {
            return 1 / (1 + T.exp(-x))
        }
        let e = T.exp(x)
        return e / (1 + e)
    }

    /// softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}).
    @inlinable
    public static func softplus<T: Real>(_ x: T) -> T {
        Swift.max(x, 0) + T.log(onePlus: T.exp(-Swift.abs(x)))
    }

    /// log sigmoid(x) = −softplus(−x).
    @inlinable
    public static func logSigmoid<T: Real>(_ x: T) -> T { -softplus(-x) }

    /// logit(p) = log(p / (1 − p)) = log p − log1p(−p), for p ∈ [0, 1]; ±∞ at the ends, NaN outside.
    @inlinable
    public static func logit<T: Real>(_ p: T) -> T {
        T.log(p) - T.log(onePlus: -p)
    }

    /// log Σ exp(xᵢ), shifted by the maximum. −∞ for an empty sequence or when all xᵢ = −∞;
    /// +∞ when any xᵢ = +∞; NaN when any xᵢ is NaN.
    @inlinable
    public static func logSumExp<T: Real, C: Collection>(_ xs: C) -> T where C.Element == T {
        var m = -T.infinity
        for x in xs {
            if x.isNaN { return .nan }
            m = Swift.max(m, x)
        }
        guard m.isFinite else { return m }
        var s: T = 0
        for x in xs { s += T.exp(x - m) }
        return m + T.log(s)
    }
}
