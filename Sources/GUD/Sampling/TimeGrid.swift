/// Fixed time grids for the fixed-step samplers.
public enum TimeGrid {
    /// The grid t₀ = `start`, t₁, …, t_N = `end` with steps of (at most) `stepSize`, computed as the
    /// reference (diffrax's constant step size in reversed time s = −t) does:
    ///
    ///     N = ⌈ |end − start| / nextUp(stepSize) ⌉
    ///     t₁ = start ∓ stepSize,  t_k = start + (end − start) · (k/N) for k ≥ 2,  t_N = end
    ///
    /// each term from the start rather than by repeated addition, in the working precision. For
    /// stepSize 0.01 from 1 to 0 this gives exactly 100 steps, equal to the reference's grid in
    /// Float and in Double.
    /// - Throws: `GUDError.invalidArgument` unless stepSize > 0 and start ≠ end,
    ///   `GUDError.nonFinite` for non-finite arguments.
    public static func uniform<S: TensorScalar>(from start: S, to end: S, stepSize: S) throws -> [S] {
        guard start.isFinite, end.isFinite, stepSize.isFinite else {
            throw GUDError.nonFinite("time grid from \(start) to \(end) with step \(stepSize); expected finite values")
        }
        guard stepSize > 0, start != end else {
            throw GUDError.invalidArgument(
                "time grid from \(start) to \(end) with step \(stepSize); expected a positive step and distinct ends")
        }
        let n = Swift.max(1, Int((Swift.abs(end - start) / stepSize.nextUp).rounded(.up)))
        var grid = [start]
        grid.reserveCapacity(n + 1)
        // In reversed time s = −t when integrating backwards, as the reference does.
        let sign: S = end < start ? -1 : 1
        let s0 = sign * start, s1 = sign * end
        for k in 1...n {
            let s: S
            if k == n { s = s1 } else if k == 1 { s = s0 + stepSize } else { s = s0 + (s1 - s0) * (S(k) / S(n)) }
            grid.append(sign * s)
        }
        return grid
    }
}
