/// How an ε-network's output is read as the noise prediction ε̂ (all in compWhite, component-wise,
/// with the noising state's α and σ; the network itself reads and writes dataWhite).
public enum EpsilonParameterization: String, Codable, CaseIterable, Sendable {
    /// ε̂ = net(x): the network predicts the noise directly.
    case epsilon
    /// ε̂ = net(x) + x: the reference's "Gaussian default", exact with a zero network at high noise.
    case gaussianResidual = "gaussian-residual"
    /// ε̂ = σ x + α net(x): the network predicts v = α ε − σ x₀ (Salimans & Ho). With a zero network
    /// this is the exact ε of standard-Gaussian (whitened) data at every noise level, and the
    /// network's errors reach ε̂ scaled by α, so they are damped at high noise, where the reverse
    /// drift multiplies ε errors by β/σ. Trained on the v-target (z − σ x)/α with the plain mean
    /// squared error, i.e. the ε-matching loss weighted by 1/α².
    case vPrediction = "v-prediction"
}
