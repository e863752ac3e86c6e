/// The samplers a trained model can be sampled with.
public enum SamplerKind: String, CaseIterable, Codable, Sendable {
    /// Euler–Maruyama on the reverse SDE (the reference's default), fixed steps.
    case eulerMaruyama = "euler-maruyama"
    /// Heun's second-order method on the probability-flow ODE, fixed steps.
    case heun
    /// Adaptive Dormand–Prince (RK45) on the probability-flow ODE.
    case rk45
}
