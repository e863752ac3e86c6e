import RealModule

/// Adam and AdamW (decoupled weight decay), as in optax:
///
///     m ← β₁ m + (1 − β₁) g        v ← β₂ v + (1 − β₂) g²
///     θ ← θ − lr · ( m / (1 − β₁ᵗ) / (√(v / (1 − β₂ᵗ)) + ε) + λ θ )
///
/// with t the update count (from 1) and λ the weight decay (0: Adam; > 0: AdamW, applied to every
/// parameter). Defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0. Deterministic; the moments and step
/// are exported with ``exportState()`` and restored with ``importState(_:)``.
public final class Adam<Scalar: TensorScalar> {
    /// The hyperparameters (the learning rate is passed to every update instead).
    public struct Configuration: Codable, Sendable, Equatable {
        /// β₁, the decay of the first moment (default 0.9).
        public var beta1 = 0.9
        /// β₂, the decay of the second moment (default 0.999).
        public var beta2 = 0.999
        /// ε, added to the root of the second moment (default 1e-8).
        public var epsilon = 1e-8
        /// λ, the decoupled weight decay (default 0: Adam).
        public var weightDecay = 0.0

        /// Adam(W) with the given hyperparameters (defaults: optax's Adam).
        public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }

        /// AdamW with the given weight decay (optax's default is 1e-4).
        public static func adamW(weightDecay: Double = 1e-4) -> Configuration { Configuration(weightDecay: weightDecay) }
    }

    /// The hyperparameters.
    public let configuration: Configuration
    /// The number of updates applied so far.
    public private(set) var step = 0
    private let specs: [ParameterSpec]
    private let m: ParameterBuffer<Scalar>
    private let v: ParameterBuffer<Scalar>

    /// An optimiser for the parameters of `store` (moments start at zero).
    /// - Throws: `GUDError.invalidArgument` for β outside [0, 1) or a negative ε or decay.
    public init(parameters store: ParameterStore<Scalar>, configuration: Configuration = Configuration()) throws {
        let c = configuration
        guard (0..<1).contains(c.beta1), (0..<1).contains(c.beta2), c.epsilon >= 0, c.weightDecay >= 0 else {
            throw GUDError.invalidArgument("Adam needs β₁, β₂ in [0, 1) and ε, weight decay ≥ 0; got \(c)")
        }
        self.configuration = c
        specs = store.specs
        m = ParameterBuffer(count: store.scalarCount)
        v = ParameterBuffer(count: store.scalarCount)
    }

    /// Applies one update to `store` from its current gradients with learning rate `learningRate`.
    /// - Throws: `GUDError.invalidArgument` when `store` is not the store the optimiser was made for.
    public func update(_ store: ParameterStore<Scalar>, learningRate: Double) throws {
        guard store.specs == specs else {
            throw GUDError.invalidArgument("Adam was created for different parameters (names or shapes differ)")
        }
        step += 1
        let c = configuration
        let correction1 = 1 - Double.pow(c.beta1, Double(step))
        let correction2 = 1 - Double.pow(c.beta2, Double(step))
        adamUpdate(
            store.values, store.gradients, m.pointer, v.pointer, store.scalarCount,
            AdamCoefficients(
                beta1: Scalar(c.beta1), beta2: Scalar(c.beta2), epsilon: Scalar(c.epsilon),
                learningRate: Scalar(learningRate), correction1: Scalar(correction1),
                correction2Root: Scalar(correction2.squareRoot()), decay: Scalar(c.weightDecay)))
    }

    /// The step and the moments as `m.<name>` and `v.<name>`, in parameter order.
    public func exportState() -> OptimizerState<Scalar> {
        OptimizerState(
            step: step,
            tensors: specs.namedTensors(from: m.pointer).map { NamedTensor("m." + $0.name, $0.tensor) }
                + specs.namedTensors(from: v.pointer).map { NamedTensor("v." + $0.name, $0.tensor) })
    }

    /// Restores a state exported by ``exportState()`` of an optimiser for the same parameters.
    /// - Throws: `GUDError.invalidArgument` / `GUDError.shapeMismatch` for missing, unknown or
    ///   misshapen tensors or a negative step; nothing is changed then.
    public func importState(_ state: OptimizerState<Scalar>) throws {
        guard state.step >= 0 else { throw GUDError.invalidArgument("optimizer step \(state.step) is negative") }
        var first = [NamedTensor<Scalar>](), second = [NamedTensor<Scalar>]()
        for t in state.tensors {
            if t.name.hasPrefix("m.") {
                first.append(NamedTensor(String(t.name.dropFirst(2)), t.tensor))
            } else if t.name.hasPrefix("v.") {
                second.append(NamedTensor(String(t.name.dropFirst(2)), t.tensor))
            } else {
                throw GUDError.invalidArgument("unexpected Adam state tensor '\(t.name)'; expected m.<parameter> or v.<parameter>")
            }
        }
        let newM = ParameterBuffer<Scalar>(count: m.count), newV = ParameterBuffer<Scalar>(count: v.count)
        try specs.copy(first, into: newM.pointer, what: "Adam first moment")
        try specs.copy(second, into: newV.pointer, what: "Adam second moment")
        copyScalars(m.pointer, newM.pointer, m.count)
        copyScalars(v.pointer, newV.pointer, v.count)
        step = state.step
    }
}

struct AdamCoefficients<T: TensorScalar> {
    let beta1, beta2, epsilon, learningRate, correction1, correction2Root, decay: T
}

@_specialize(where T == Float)
@_specialize(where T == Double)
func adamUpdate<T: TensorScalar>(
    _ theta: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>, _ v: UnsafeMutablePointer<T>,
    _ n: Int, _ c: AdamCoefficients<T>
) {
    let parts = Work.parts(n, grain: 1 << 15)
    let stepSize = c.learningRate / c.correction1
    Work.run(parts) { part in
        let r = Work.range(part, of: parts, n)
        var i = r.lowerBound
        while i < r.upperBound {
            let k = Swift.min(8, r.upperBound - i)
            let gi = loadPartial(g + i, k)
            let mi = c.beta1 * loadPartial(m + i, k) + (1 - c.beta1) * gi
            let vi = c.beta2 * loadPartial(v + i, k) + (1 - c.beta2) * gi * gi
            let th = loadPartial(theta + i, k)
            // m̂ / (√v̂ + ε) = (m / c₁) / (√v / √c₂ + ε).
            let step = stepSize * mi / (vi.squareRoot() / c.correction2Root + c.epsilon) + c.learningRate * c.decay * th
            storePartial(mi, m + i, k)
            storePartial(vi, v + i, k)
            storePartial(th - step, theta + i, k)
            i += 8
        }
    }
}
