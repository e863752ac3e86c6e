import RealModule

/// An exponential moving average of a network's weights, `θ̄ ← d · θ̄ + (1 − d) · θ` per update,
/// starting from the weights at creation. The decay is given directly or as a half-life h in updates
/// (`d = 0.5^(1/h)`: after h updates the weight of the old average has halved).
public final class ExponentialMovingAverage<Scalar: TensorScalar> {
    /// d.
    public let decay: Double
    /// The number of updates applied so far.
    public private(set) var step = 0
    private let specs: [ParameterSpec]
    private let average: ParameterBuffer<Scalar>

    /// An average with decay d, starting from the current values of `parameters`.
    /// - Throws: `GUDError.invalidArgument` for a decay outside [0, 1].
    public init(parameters: ParameterStore<Scalar>, decay: Double) throws {
        guard decay >= 0, decay <= 1 else { throw GUDError.invalidArgument("EMA decay \(decay) outside [0, 1]") }
        self.decay = decay
        specs = parameters.specs
        average = ParameterBuffer(count: parameters.scalarCount, initial: parameters.values)
    }

    /// An average with `decay = 0.5^(1 / halfLife)`.
    /// - Throws: `GUDError.invalidArgument` for a non-positive half-life.
    public convenience init(parameters: ParameterStore<Scalar>, halfLife: Double) throws {
        guard halfLife > 0 else { throw GUDError.invalidArgument("EMA half-life must be positive, got \(halfLife)") }
        try self.init(parameters: parameters, decay: Double.pow(0.5, 1 / halfLife))
    }

    /// Moves the average towards the current values of `parameters`.
    /// - Throws: `GUDError.invalidArgument` when the parameters differ from those at creation.
    public func update(from parameters: ParameterStore<Scalar>) throws {
        try checkLayout(parameters)
        emaUpdate(average.pointer, parameters.values, Scalar(decay), average.count)
        step += 1
    }

    /// The averaged weights as named tensors, in parameter order.
    public func namedValues() -> [NamedTensor<Scalar>] { specs.namedTensors(from: average.pointer) }

    /// Replaces the averaged weights (same names and shapes as the parameters).
    public func load(_ tensors: [NamedTensor<Scalar>]) throws {
        try specs.copy(tensors, into: average.pointer, what: "EMA weight")
    }

    /// Copies the averaged weights into `parameters` (e.g. to sample with the EMA weights).
    public func copy(to parameters: ParameterStore<Scalar>) throws {
        try checkLayout(parameters)
        copyScalars(parameters.values, average.pointer, average.count)
    }

    private func checkLayout(_ parameters: ParameterStore<Scalar>) throws {
        guard parameters.specs == specs else {
            throw GUDError.invalidArgument("EMA was created for different parameters (names or shapes differ)")
        }
    }

    /// The step and the averaged weights (named as the parameters).
    public func exportState() -> OptimizerState<Scalar> { OptimizerState(step: step, tensors: namedValues()) }

    /// Restores a state exported by ``exportState()``.
    public func importState(_ state: OptimizerState<Scalar>) throws {
        guard state.step >= 0 else { throw GUDError.invalidArgument("EMA step \(state.step) is negative") }
        try load(state.tensors)
        step = state.step
    }
}

@_specialize(where T == Float)
@_specialize(where T == Double)
func emaUpdate<T: TensorScalar>(_ average: UnsafeMutablePointer<T>, _ x: UnsafePointer<T>, _ d: T, _ n: Int) {
    let parts = Work.parts(n, grain: 1 << 15)
    Work.run(parts) { part in
        for i in Work.range(part, of: parts, n) { average[i] = d * average[i] + (1 - d) * x[i] }
    }
}
