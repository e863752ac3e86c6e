extension Tape {
    /// Inverted dropout: each element is zeroed with probability `rate` and kept elements are scaled by
    /// 1/(1 − rate) (flax semantics). Identity when the pass has no dropout source or `rate` is 0.
    /// The mask is drawn from the pass's source (see ``begin(parameters:recording:parameterGradients:dropout:)``),
    /// a new derived stream per dropout operation, so it is reproducible and independent of thread count.
    /// - Throws: ``GUDError/invalidArgument(_:)`` for a rate outside [0, 1).
    public func dropout(_ x: Variable, rate: Double) throws -> Variable {
        guard rate >= 0, rate < 1 else {
            throw GUDError.invalidArgument("dropout rate \(rate) outside [0, 1)")
        }
        guard rate > 0, let source = nextDropoutSource() else { return x }
        let n = x.extents.count
        let (maskHandle, mask) = allocate(n)
        fillDropoutMask(mask, n, rate: Scalar(rate), source: source)
        let t = try multiplyByBuffer(x, mask)
        if !requiresGradient(t) { release(maskHandle) } else { steps[steps.count - 1].auxiliary.append(maskHandle) }
        return t
    }

    /// `x ⊙ m` for a constant buffer m of the same element count.
    private func multiplyByBuffer(_ x: Variable, _ m: UnsafeMutablePointer<Scalar>) throws -> Variable {
        let needs = needsGradient(x)
        let (y, yp) = makeNode(x.extents, requiresGradient: needs)
        let plan = try BroadcastPlan(x.extents, x.extents)
        broadcastForward(value(x), m, yp, plan, .multiply)
        guard needs else { return y }
        record(y) { tape in
            guard let (dx, acc) = tape.gradientForAccumulation(x) else { return }
            broadcastBackward(tape.outputGradient(y), other: m, dx, plan, .multiply, first: true, accumulate: acc)
        }
        return y
    }
}
