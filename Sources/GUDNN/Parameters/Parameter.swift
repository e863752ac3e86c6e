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
    public let shape: [Int]
    /// The offset of its first element in the flat buffers.
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
}

/// A tensor with a name, as stored in checkpoints and exchanged with optimisers.
public struct NamedTensor<Scalar: TensorScalar>: Sendable, Equatable {
    public var name: String
    public var tensor: Tensor<Scalar>
    public init(_ name: String, _ tensor: Tensor<Scalar>) {
        self.name = name
        self.tensor = tensor
    }
}
