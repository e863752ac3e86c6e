#if canImport(_Differentiation)
import _Differentiation
#endif

/// A schedule from any user-supplied γ(t), with β = σ²(γ) · dγ/dt from its derivative.
///
/// The derivative is either given analytically or computed by automatic differentiation
/// (``init(differentiable:)``, Swift's `_Differentiation`). γ is evaluated in `Double` and rounded
/// to the schedule's precision. γ must be non-decreasing in t (β ≥ 0); where γ(t) = −∞ the product
/// σ² · dγ/dt is evaluated as written (0 · ∞ = NaN), so supply finite γ or a dedicated type such as
/// ``VPSchedule`` that knows the analytic limit.
///
/// ```swift
/// let s = GammaSchedule<Float>(gamma: { -10 + 15 * $0 * $0 }, derivative: { 30 * $0 })
/// ```
public struct GammaSchedule<Scalar: TensorScalar>: Schedule {
    private let gammaValues: @Sendable (Double) -> [Double]
    private let derivativeValues: @Sendable (Double) -> [Double]
    /// `nil` for a scalar schedule, else the number of components of γ(t).
    public let componentCount: Int?

    /// A scalar schedule from γ(t) and its analytic derivative dγ/dt.
    public init(gamma: @escaping @Sendable (Double) -> Double, derivative: @escaping @Sendable (Double) -> Double) {
        self.gammaValues = { [gamma($0)] }
        self.derivativeValues = { [derivative($0)] }
        self.componentCount = nil
    }

    /// A component-wise schedule: `gamma(t)` and `derivative(t)` return one value per component.
    /// Arrays of another length than `componentCount` trap at evaluation (a programming error).
    /// - Throws: `GUDError.invalidArgument` when `componentCount` < 1.
    public init(
        componentCount: Int, gamma: @escaping @Sendable (Double) -> [Double],
        derivative: @escaping @Sendable (Double) -> [Double]
    ) throws {
        guard componentCount >= 1 else {
            throw GUDError.invalidArgument("componentCount is \(componentCount); expected at least 1")
        }
        self.gammaValues = gamma
        self.derivativeValues = derivative
        self.componentCount = componentCount
    }

    #if canImport(_Differentiation)
    /// A scalar schedule whose derivative is computed by reverse-mode automatic differentiation.
    public init(differentiable gamma: @escaping @Sendable @differentiable(reverse) (Double) -> Double) {
        self.gammaValues = { [gamma($0)] }
        self.derivativeValues = { [gradient(at: $0, of: gamma)] }
        self.componentCount = nil
    }
    #endif

    /// γ(t) and β = sigmoid(γ) · dγ/dt, evaluated in `Double`.
    public func evaluate(at t: Scalar, gamma: UnsafeMutableBufferPointer<Scalar>, beta: UnsafeMutableBufferPointer<Scalar>) {
        let g = gammaValues(Double(t)), d = derivativeValues(Double(t))
        precondition(g.count == width && d.count == width,
                     "GammaSchedule: γ(t) gave \(g.count) and dγ/dt \(d.count) values; expected \(width)")
        for i in 0..<width {
            gamma[i] = Scalar(g[i])
            beta[i] = Scalar(StableMath.sigmoid(g[i]) * d[i])
        }
    }
}
