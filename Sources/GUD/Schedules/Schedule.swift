/// A noise schedule: diffusion time t ∈ [0, 1] ↦ γ(t) and β(t) for every component.
///
/// γ = log(σ²/α²) is the primary parameter (γ → −∞ clean data, γ → +∞ pure noise) and
/// β = σ² · dγ/dt the noising rate of the Ornstein–Uhlenbeck process
/// `dχ̂ᵢ = −½ βᵢ χ̂ᵢ dt + √βᵢ dWᵢ` in `compWhite`. Evaluating a schedule gives a ``NoisingState``:
///
/// ```swift
/// let state = schedule(0.3)                        // one time, shared by every sample
/// let batch = try schedule(times: [0.1, 0.5, 0.9]) // one time per sample
/// ```
///
/// Conforming types implement ``evaluate(at:gamma:beta:)``; schedules are values and `Sendable`.
public protocol Schedule<Scalar>: Sendable {
    /// The precision of times and coefficients: `Float` or `Double`.
    associatedtype Scalar: TensorScalar

    /// The number of components with their own γ, or `nil` for a scalar schedule (one γ for all).
    var componentCount: Int? { get }

    /// Writes γ(t) and β(t) into buffers of ``width`` elements (one per component, or one for a
    /// scalar schedule). β is the analytic limit where γ is infinite (e.g. the VP schedule at t = 0),
    /// and 0 where a component is frozen by clipping.
    func evaluate(at t: Scalar, gamma: UnsafeMutableBufferPointer<Scalar>, beta: UnsafeMutableBufferPointer<Scalar>)
}

extension Schedule {
    /// The number of coefficients per evaluation: ``componentCount`` or 1.
    public var width: Int { componentCount ?? 1 }

    /// The state at time `t`, shared by every sample: γ and β have shape (1, width).
    public func callAsFunction(_ t: Scalar) -> NoisingState<Scalar> {
        rowwiseState(times: Tensor([t]), width: width) { _, gamma, beta in evaluate(at: t, gamma: gamma, beta: beta) }
    }

    /// Overwrites `state` with the state at time `t` shared by every sample (the values of
    /// ``callAsFunction(_:)``), reusing its storage when it already is a one-row state of this
    /// schedule's ``width`` — then nothing is allocated — and replacing it otherwise. For loops that
    /// evaluate the schedule once per step.
    public func evaluate(at t: Scalar, into state: inout NoisingState<Scalar>) {
        guard state.rows == 1, state.width == width else {
            state = self(t)
            return
        }
        state.overwrite(t: t) { gamma, beta in evaluate(at: t, gamma: gamma, beta: beta) }
    }

    /// The state at one time per sample: γ and β have shape (batch, width).
    /// - Parameter times: shape (batch), finite.
    /// - Throws: `GUDError.shapeMismatch` unless `times` is a non-empty vector,
    ///   `GUDError.nonFinite` when a time is NaN or infinite.
    public func callAsFunction(times: Tensor<Scalar>) throws -> NoisingState<Scalar> {
        guard times.rank == 1, times.count > 0 else {
            throw GUDError.shapeMismatch("times have shape \(times.shape); expected a non-empty vector (batch)")
        }
        try times.checkFinite("times")
        return rowwiseState(times: times, width: width) { r, gamma, beta in
            evaluate(at: times[flat: r], gamma: gamma, beta: beta)
        }
    }

    /// The state at one time per sample, the times given as an array: γ and β have shape (batch, width).
    /// - Throws: as the overload taking a `Tensor` of times.
    public func callAsFunction(times: [Scalar]) throws -> NoisingState<Scalar> {
        try self(times: Tensor(times))
    }
}

/// A state with one row per time, row r filled by `fill(r, γ row, β row)`.
func rowwiseState<S: TensorScalar>(
    times: Tensor<S>, width: Int,
    _ fill: (Int, UnsafeMutableBufferPointer<S>, UnsafeMutableBufferPointer<S>) throws -> Void
) rethrows -> NoisingState<S> {
    var gamma = Tensor<S>(shape: [times.count, width])
    var beta = Tensor<S>(shape: [times.count, width])
    try gamma.withUnsafeMutableBufferPointer { g in
        try beta.withUnsafeMutableBufferPointer { b in
            for r in 0..<times.count {
                let rows = (r * width)..<((r + 1) * width)
                try fill(r, UnsafeMutableBufferPointer(rebasing: g[rows]), UnsafeMutableBufferPointer(rebasing: b[rows]))
            }
        }
    }
    return NoisingState(unchecked: times, gamma: gamma, beta: beta)
}

/// Checks the parameters shared by the schedule factories.
enum ScheduleValidation {
    static func finite<S: TensorScalar>(_ values: [S], _ what: String) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw GUDError.nonFinite("\(what) has \(values[i]) at index \(i); expected finite values")
        }
    }

    static func finite<S: TensorScalar>(_ value: S, _ what: String) throws {
        guard value.isFinite else { throw GUDError.nonFinite("\(what) is \(value); expected a finite number") }
    }

    /// Softness s > 0; +∞ (standard diffusion) is allowed.
    static func softness<S: TensorScalar>(_ s: S, _ what: String = "softness") throws {
        guard !s.isNaN, s > 0 else {
            throw GUDError.invalidArgument("\(what) is \(s); expected a positive number (∞ = standard diffusion)")
        }
    }

    static func nonEmpty<S>(_ values: [S], _ what: String) throws {
        guard !values.isEmpty else { throw GUDError.invalidArgument("\(what) is empty; expected one value per component") }
    }
}
