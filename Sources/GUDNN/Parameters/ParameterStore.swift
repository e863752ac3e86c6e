/// The parameters of one network: named tensors enumerated in a fixed order (the order of creation),
/// stored in two flat buffers (values and gradients) so that optimisers, clipping and EMA run as
/// single vectorised loops.
///
/// Layers create their parameters through a ``ParameterBuilder`` and keep ``Parameter`` handles.
/// Names are unique dotted paths (`down.0.res.0.conv1.weight`). The store owns its buffers and frees
/// them in `deinit`. Not thread-safe.
public final class ParameterStore<Scalar: TensorScalar> {
    /// Every parameter in enumeration order.
    public private(set) var specs: [ParameterSpec] = []
    private var indexByName: [String: Int] = [:]
    private var capacity = 0
    /// The flat parameter values (``scalarCount`` elements).
    public private(set) var values: UnsafeMutablePointer<Scalar>
    /// The flat gradients, same layout as ``values``.
    public private(set) var gradients: UnsafeMutablePointer<Scalar>
    /// The total number of scalars of all parameters.
    public private(set) var scalarCount = 0

    /// An empty store; layers add parameters through a ``ParameterBuilder``.
    public init() {
        values = .allocate(capacity: 1)
        gradients = .allocate(capacity: 1)
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// The number of parameter tensors.
    public var parameterCount: Int { specs.count }

    /// Creates a parameter with the given full name and shape, initialised from `source`.
    /// - Throws: `GUDError.invalidArgument` when the name already exists or the shape is invalid.
    public func create(
        _ name: String, shape: [Int], initializer: ParameterInitializer, source: RandomSource
    ) throws -> Parameter {
        guard indexByName[name] == nil else {
            throw GUDError.invalidArgument("parameter name '\(name)' is used twice; expected unique names")
        }
        let extents = try Extents(shape)
        let count = extents.count
        grow(to: scalarCount + count)
        let offset = scalarCount
        var stream = source.derived(name).stream(0)
        initializer.fill(UnsafeMutableBufferPointer(start: values + offset, count: count), stream: &stream)
        zeroScalars(gradients + offset, count)
        scalarCount += count
        indexByName[name] = specs.count
        specs.append(ParameterSpec(name: name, shape: shape, offset: offset))
        return Parameter(index: specs.count - 1, offset: offset, extents: extents)
    }

    private func grow(to needed: Int) {
        guard needed > capacity else { return }
        let newCapacity = Swift.max(needed, 2 * capacity, 1024)
        let v = UnsafeMutablePointer<Scalar>.allocate(capacity: newCapacity)
        let g = UnsafeMutablePointer<Scalar>.allocate(capacity: newCapacity)
        copyScalars(v, values, scalarCount)
        copyScalars(g, gradients, scalarCount)
        values.deallocate()
        gradients.deallocate()
        values = v
        gradients = g
        capacity = newCapacity
    }

    /// The index of the parameter with this name, if any.
    public func index(of name: String) -> Int? { indexByName[name] }

    /// The value of one parameter, as a tensor (a copy).
    public func value(_ p: Parameter) -> Tensor<Scalar> { specs[p.index].tensor(from: values) }

    /// The gradient of one parameter, as a tensor (a copy).
    public func gradient(_ p: Parameter) -> Tensor<Scalar> { specs[p.index].tensor(from: gradients) }

    /// Overwrites one parameter's value.
    /// - Throws: `GUDError.shapeMismatch` when the shape differs.
    public func setValue(_ p: Parameter, _ t: Tensor<Scalar>) throws {
        let spec = specs[p.index]
        try t.checkShape(spec.shape, "value for parameter '\(spec.name)'")
        t.withUnsafeBufferPointer { copyScalars(values + spec.offset, $0.baseAddress!, spec.count) }
    }

    /// All parameter values as named tensors, in enumeration order.
    public func namedValues() -> [NamedTensor<Scalar>] { specs.namedTensors(from: values) }

    /// All gradients as named tensors, in enumeration order.
    public func namedGradients() -> [NamedTensor<Scalar>] { specs.namedTensors(from: gradients) }

    /// Replaces every parameter value. The list must hold exactly the store's names (any order) with
    /// matching shapes.
    /// - Throws: `GUDError.invalidArgument` for a missing or unknown name,
    ///   `GUDError.shapeMismatch` for a wrong shape; nothing is changed then.
    public func load(_ tensors: [NamedTensor<Scalar>]) throws {
        try specs.copy(tensors, into: values, what: "parameter")
    }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        zeroScalars(gradients, scalarCount)
    }

    /// Copies all values and gradients from another store with identical specs.
    /// - Throws: `GUDError.invalidArgument` when the specs differ.
    public func copyValues(from other: ParameterStore<Scalar>) throws {
        guard other.specs == specs else {
            throw GUDError.invalidArgument("parameter stores differ in names or shapes; expected identical networks")
        }
        copyScalars(values, other.values, scalarCount)
    }
}

/// Creates parameters under a dotted name prefix, drawing initial values from a random source.
///
/// `builder.scope("down").scope("0").parameter("weight", …)` creates `down.0.weight`.
public struct ParameterBuilder<Scalar: TensorScalar> {
    /// The store that receives the parameters.
    public let store: ParameterStore<Scalar>
    /// The dotted prefix of the names created (empty at the top level).
    public let prefix: String
    /// The source of the initial values (a parameter draws from its own stream, see `ParameterInitializer`).
    public let source: RandomSource

    /// A builder adding parameters to `store`, their names prefixed by `prefix`.
    public init(store: ParameterStore<Scalar>, source: RandomSource, prefix: String = "") {
        self.store = store
        self.source = source
        self.prefix = prefix
    }

    /// A builder whose names are prefixed by `name` and a dot.
    public func scope(_ name: String) -> ParameterBuilder {
        ParameterBuilder(store: store, source: source, prefix: prefix.isEmpty ? name : prefix + "." + name)
    }

    /// Creates `prefix.name`.
    public func parameter(_ name: String, shape: [Int], _ initializer: ParameterInitializer) throws -> Parameter {
        try store.create(prefix.isEmpty ? name : prefix + "." + name, shape: shape, initializer: initializer, source: source)
    }
}
