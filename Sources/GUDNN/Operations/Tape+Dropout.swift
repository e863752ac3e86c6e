extension Tape {
    /// Inverted dropout: each element is zeroed with probability `rate` and kept elements are scaled by
    /// 1/(1 − rate) (flax semantics). Identity when the pass has no dropout source or `rate` is 0.
    /// The mask comes from the pass's source (see ``begin(parameters:recording:parameterGradients:dropout:workspaceKey:)``),
    /// a new derived source per dropout operation, so it is reproducible and independent of the thread
    /// count; it is not stored but drawn again in the backward pass.
    /// - Throws: `GUDError.invalidArgument` for a rate outside [0, 1).
    public func dropout(_ x: Variable, rate: Double) throws -> Variable {
        guard rate >= 0, rate < 1 else {
            throw GUDError.invalidArgument("dropout rate \(rate) outside [0, 1)")
        }
        guard rate > 0, let source = nextDropoutSource() else { return x }
        let n = x.extents.count
        let r = Scalar(rate)
        let plan = try BroadcastPlan(x.extents, x.extents)
        let needs = needsGradient(x)
        let (y, yp) = makeNode(x.extents, requiresGradient: needs)
        withDropoutMask(source, rate: r, count: n) { broadcastForward(value(x), $0!, yp, plan, .multiply) }
        guard needs else { return y }
        record(y) { tape in
            guard let (dx, acc) = tape.gradientForAccumulation(x) else { return }
            tape.withDropoutMask(source, rate: r, count: n) {
                broadcastBackward(tape.outputGradient(y), other: $0!, dx, plan, .multiply, first: true, accumulate: acc)
            }
        }
        return y
    }
}
