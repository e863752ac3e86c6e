/// A handle to one parameter tensor in a ``ParameterStore``: its position in the store's flat buffers
/// and its shape. Layers hold handles; the values live in the store.
public struct Parameter: Hashable, Sendable {
    /// The position of the parameter in the store's fixed enumeration order.
    public let index: Int
    /// The offset of its first element in the store's flat value and gradient buffers.
    public let offset: Int
    /// Its shape (at most four axes).
    public let extents: Extents
    /// Its number of elements.
    public var count: Int { extents.count }
}

/// The description of one stored parameter: stable dotted name, shape, and position.
public struct ParameterSpec: Hashable, Codable, Sendable {
    /// A stable dotted name such as `down.0.res.0.conv1.weight`.
    public let name: String
    /// Its shape.
    public let shape: [Int]
    /// The offset of its first element in the flat buffers.
    public let offset: Int
    /// Its number of elements.
    public var count: Int { shape.reduce(1, *) }
}

extension ParameterSpec {
    /// A copy of this parameter's elements of a flat buffer with the parameters' layout.
    func tensor<S: TensorScalar>(from buffer: UnsafePointer<S>) -> Tensor<S> {
        var t = Tensor<S>(shape: shape)
        t.withUnsafeMutableBufferPointer { copyScalars($0.baseAddress!, buffer + offset, count) }
        return t
    }
}

extension Array where Element == ParameterSpec {
    /// Named copies of a flat buffer with this layout (values, gradients, optimiser moments, EMA weights).
    func namedTensors<S: TensorScalar>(from buffer: UnsafePointer<S>) -> [NamedTensor<S>] {
        map { NamedTensor($0.name, $0.tensor(from: buffer)) }
    }

    /// Checks that `tensors` holds exactly these names (any order) with these shapes, then copies them
    /// into `buffer`, a flat buffer with this layout. Nothing is written when a check fails.
    /// - Throws: `GUDError.invalidArgument` for a missing, unknown or repeated name,
    ///   `GUDError.shapeMismatch` for a wrong shape; `what` names the tensors in the message.
    func copy<S: TensorScalar>(_ tensors: [NamedTensor<S>], into buffer: UnsafeMutablePointer<S>, what: String) throws {
        var index = [String: Int](minimumCapacity: count)
        for (i, spec) in enumerated() { index[spec.name] = i }
        var seen = Set<String>()
        for t in tensors {
            guard let i = index[t.name] else {
                throw GUDError.invalidArgument("unknown \(what) '\(t.name)'; the network has no parameter of that name")
            }
            guard seen.insert(t.name).inserted else {
                throw GUDError.invalidArgument("\(what) '\(t.name)' is given twice")
            }
            try t.tensor.checkShape(self[i].shape, "\(what) '\(t.name)'")
        }
        if let missing = first(where: { !seen.contains($0.name) }) {
            throw GUDError.invalidArgument("\(what) '\(missing.name)' is missing (\(tensors.count) of \(count) given)")
        }
        for t in tensors {
            let spec = self[index[t.name]!]
            t.tensor.withUnsafeBufferPointer { copyScalars(buffer + spec.offset, $0.baseAddress!, spec.count) }
        }
    }
}

/// A tensor with a name, as stored in checkpoints and exchanged with optimisers.
public struct NamedTensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// The dotted name, e.g. `down.0.res.0.conv1.weight` (with a prefix such as `m.` in optimiser state).
    public var name: String
    /// The values.
    public var tensor: Tensor<Scalar>
    /// A named tensor.
    public init(_ name: String, _ tensor: Tensor<Scalar>) {
        self.name = name
        self.tensor = tensor
    }
}
