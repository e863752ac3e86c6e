/// The adaptive Dormand–Prince 5(4) integrator (RK45, as `scipy`'s `RK45` and diffrax's `Dopri5`)
/// for dy/dt = f(t, y) on tensors, in either direction of time.
///
/// Each step takes the 5th-order solution and estimates its error from the embedded 4th-order one;
/// a step is accepted when the error norm
///
///     ‖e‖ = √( mean_i [ eᵢ / (atol + rtol · max(|y_i|, |y_new,i|)) ]² ) ≤ 1,
///
/// and the next step size is h · clamp(0.9 ‖e‖^{−1/5}, 0.2, 10) (no growth right after a rejection).
/// The first step follows Hairer, Nørsett & Wanner's starting-step heuristic unless ``initialStep``
/// is given. The last stage is reused as the first of the next step (FSAL): about 6 evaluations per
/// accepted step. A non-finite error estimate counts as a rejection.
public struct DormandPrince<Scalar: TensorScalar>: Sendable {
    /// rtol of the error norm.
    public var relativeTolerance: Scalar
    /// atol of the error norm.
    public var absoluteTolerance: Scalar
    /// The size of the first step, or `nil` for the automatic choice.
    public var initialStep: Scalar?
    /// The number of attempted steps after which integration fails.
    public var maximumSteps: Int

    /// An integrator with the given tolerances (default 1e-5 each), first step (default automatic)
    /// and step budget (default 100,000 attempted steps).
    /// - Throws: `GUDError.invalidArgument` unless both tolerances are positive (and finite),
    ///   the initial step (if any) is positive and `maximumSteps` ≥ 1.
    public init(relativeTolerance: Scalar = 1e-5, absoluteTolerance: Scalar = 1e-5,
                initialStep: Scalar? = nil, maximumSteps: Int = 100_000) throws {
        guard relativeTolerance > 0, absoluteTolerance > 0, relativeTolerance.isFinite, absoluteTolerance.isFinite,
            initialStep.map({ $0 > 0 && $0.isFinite }) ?? true, maximumSteps >= 1
        else {
            throw GUDError.invalidArgument(
                "Dormand–Prince: rtol \(relativeTolerance), atol \(absoluteTolerance), initial step \(String(describing: initialStep)), maximum steps \(maximumSteps); expected positive values")
        }
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.initialStep = initialStep
        self.maximumSteps = maximumSteps
    }

    private static var c: [Scalar] { dormandPrinceNodes.map { Scalar($0) } }
    private static var a: [[Scalar]] { dormandPrinceMatrix.map { $0.map { Scalar($0) } } }
    private static var errorWeights: [Scalar] { dormandPrinceErrorWeights.map { Scalar($0) } }

    /// Integrates from `t0` to `t1`, landing exactly on every time of `stops` strictly between them.
    ///
    /// - Parameters:
    ///   - y0: the initial value, finite.
    ///   - t0: the initial time.
    ///   - t1: the final time (before or after `t0`).
    ///   - stops: times at which a step must end (for saving), in any order; those outside (t0, t1) are ignored.
    ///   - f: the derivative f(t, y), returning a tensor of y's shape.
    ///   - afterStep: called after every accepted step with (t, y); return `false` to stop there.
    /// - Throws: `GUDError.numericalFailure` when the step size underflows or ``maximumSteps``
    ///   is exceeded, `GUDError.shapeMismatch` when f returns the wrong shape,
    ///   `GUDError.nonFinite` for a non-finite start, and whatever f throws.
    public func integrate(
        _ y0: Tensor<Scalar>, from t0: Scalar, to t1: Scalar, stops: [Scalar] = [],
        derivative f: (Scalar, Tensor<Scalar>) throws -> Tensor<Scalar>,
        afterStep: (Scalar, Tensor<Scalar>) throws -> Bool = { _, _ in true }
    ) throws -> ODESolution<Scalar> {
        try y0.checkFinite("initial value")
        guard t0.isFinite, t1.isFinite else { throw GUDError.nonFinite("integration from \(t0) to \(t1)") }
        var solution = ODESolution(y: y0, t: t0)
        guard t0 != t1 else { return solution }
        let direction: Scalar = t1 > t0 ? 1 : -1
        var pending = stops.filter { ($0 - t0) * direction > 0 && (t1 - $0) * direction > 0 }
            .sorted { ($0 - $1) * direction < 0 }
        var evaluations = 0
        func evaluate(_ t: Scalar, _ y: Tensor<Scalar>) throws -> Tensor<Scalar> {
            evaluations += 1
            let k = try f(t, y)
            guard k.shape == y.shape else {
                throw GUDError.shapeMismatch("the derivative has shape \(k.shape); expected \(y.shape)")
            }
            return k
        }

        var (t, y) = (t0, y0)
        var k1 = try evaluate(t, y)
        var h = try initialStep.map { $0 * direction } ?? startingStep(t, y, k1, direction: direction, evaluate: evaluate)
        var rejectedLast = false
        var attempts = 0
        while (t1 - t) * direction > 0 {
            attempts += 1
            guard attempts <= maximumSteps else {
                throw GUDError.numericalFailure("Dormand–Prince took more than \(maximumSteps) steps, reaching t = \(t) of \(t1)")
            }
            // Land on the next stop or the end.
            let target = pending.first ?? t1
            var step = h
            var landsOnTarget = false
            if (t + step - target) * direction >= 0 {
                step = target - t
                landsOnTarget = true
            }
            guard Swift.abs(step) > 16 * Scalar.ulpOfOne * Swift.max(1, Swift.abs(t)) else {
                throw GUDError.numericalFailure("Dormand–Prince step size underflow at t = \(t) (h = \(step))")
            }
            let (yNew, kLast, error) = try attempt(t, y, k1, step, evaluate: evaluate)
            let norm = errorNorm(error, y, yNew)
            if norm.isFinite && norm <= 1 {
                t = landsOnTarget ? target : t + step
                y = yNew
                k1 = kLast
                solution.acceptedSteps += 1
                if landsOnTarget, !pending.isEmpty { pending.removeFirst() }
                let growth = norm == 0 ? 10 : Swift.min(10, Swift.max(0.2, 0.9 * Scalar.pow(norm, -0.2)))
                // Keep the proposed size when a stop shortened this step.
                if !landsOnTarget || Swift.abs(step) >= Swift.abs(h) {
                    h = step * (rejectedLast ? Swift.min(1, growth) : growth)
                }
                rejectedLast = false
                if try !afterStep(t, y) {
                    solution.stoppedEarly = true
                    break
                }
            } else {
                solution.rejectedSteps += 1
                h = step * (norm.isFinite ? Swift.max(0.2, 0.9 * Scalar.pow(norm, -0.2)) : 0.2)
                rejectedLast = true
            }
        }
        solution.y = y
        solution.t = t
        solution.evaluations = evaluations
        return solution
    }

    /// One step: the 5th-order value, the last stage (f at the new point) and the error estimate.
    private func attempt(
        _ t: Scalar, _ y: Tensor<Scalar>, _ k1: Tensor<Scalar>, _ h: Scalar,
        evaluate: (Scalar, Tensor<Scalar>) throws -> Tensor<Scalar>
    ) throws -> (Tensor<Scalar>, Tensor<Scalar>, Tensor<Scalar>) {
        let (c, a, e) = (Self.c, Self.a, Self.errorWeights)
        var k = [k1]
        var stage = y
        for i in 1..<7 {
            stage = y
            for j in 0..<i where a[i][j] != 0 { try stage.addScaled(k[j], alpha: h * a[i][j]) }
            k.append(try evaluate(t + c[i] * h, stage))
        }
        // Stage 7 is evaluated at the 5th-order solution (FSAL).
        var error = Tensor<Scalar>(shape: y.shape)
        for j in 0..<7 where e[j] != 0 { try error.addScaled(k[j], alpha: h * e[j]) }
        return (stage, k[6], error)
    }

    private func errorNorm(_ error: Tensor<Scalar>, _ y: Tensor<Scalar>, _ yNew: Tensor<Scalar>) -> Scalar {
        scaledRootMeanSquare(error, y, yNew, relative: relativeTolerance, absolute: absoluteTolerance)
    }

    /// Hairer, Nørsett & Wanner's starting step (Solving ODEs I, II.4), signed.
    private func startingStep(
        _ t: Scalar, _ y: Tensor<Scalar>, _ f0: Tensor<Scalar>, direction: Scalar,
        evaluate: (Scalar, Tensor<Scalar>) throws -> Tensor<Scalar>
    ) throws -> Scalar {
        let zero = Tensor<Scalar>(shape: y.shape)
        let d0 = scaledRootMeanSquare(y, y, zero, relative: relativeTolerance, absolute: absoluteTolerance)
        let d1 = scaledRootMeanSquare(f0, y, zero, relative: relativeTolerance, absolute: absoluteTolerance)
        let h0: Scalar = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1
        var y1 = y
        try y1.addScaled(f0, alpha: h0 * direction)
        let f1 = try evaluate(t + h0 * direction, y1)
        let d2 = scaledRootMeanSquare(try f1 - f0, y, zero, relative: relativeTolerance, absolute: absoluteTolerance) / h0
        let m = Swift.max(d1, d2)
        let h1 = m <= 1e-15 ? Swift.max(1e-6, h0 * 1e-3) : Scalar.pow(0.01 / m, 0.2)
        return Swift.min(100 * h0, h1) * direction
    }
}

// The Dormand–Prince tableau: nodes c, matrix a (its last row is the 5th-order weights b) and the
// error weights b − b* (b* of the embedded 4th-order solution).
private let dormandPrinceNodes: [Double] = [0, 0.2, 0.3, 0.8, 8.0 / 9.0, 1, 1]
private let dormandPrinceMatrix: [[Double]] = [
    [],
    [0.2],
    [3.0 / 40.0, 9.0 / 40.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0],
    [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0],
    [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0],
    [35.0 / 384.0, 0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
]
private let dormandPrinceErrorWeights: [Double] = [
    71.0 / 57600.0, 0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0,
]

/// The result of ``DormandPrince/integrate(_:from:to:stops:derivative:afterStep:)``.
public struct ODESolution<Scalar: TensorScalar>: Sendable {
    /// The value at ``t``.
    public var y: Tensor<Scalar>
    /// The time reached: the end unless stopped early.
    public var t: Scalar
    /// Steps accepted by the error control.
    public var acceptedSteps = 0
    /// Steps rejected and retried with a smaller size.
    public var rejectedSteps = 0
    /// Evaluations of the derivative.
    public var evaluations = 0
    /// Whether `afterStep` ended the integration.
    public var stoppedEarly = false
}
