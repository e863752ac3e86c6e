/// Score-like values ∇ log p (covectors) in a ``Space``, held in any ``Representation`` and converted
/// on demand with the covector rule (the reference's lazy `Score`).
///
/// A covector transforms with the inverse transpose of the map: from `comp` to `compWhite` it is
/// **multiplied** by S (where data is divided), and between data and components it uses U, which
/// is orthogonal (or unitary), as for data:
///
///     data → comp: U    comp → compWhite: S    compWhite → dataWhite: U†   (and back)
///
/// Conversions are computed on each access; ``storing(_:)`` keeps one.
public struct ScoreValue<Scalar: TensorScalar>: Sendable {
    var storage: LazyRepresentations<Scalar>

    /// Wraps a score given in one representation.
    /// - Throws: `GUDError.shapeMismatch` when the shape does not fit the representation.
    public init(_ space: any Space<Scalar>, _ representation: Representation, _ value: Tensor<Scalar>) throws {
        storage = try LazyRepresentations(space: space, representation, value, isCovector: true)
    }

    /// Wraps a score with respect to the data (batch, D, C).
    public init(_ space: any Space<Scalar>, data: Tensor<Scalar>) throws { try self.init(space, .data, data) }

    /// Wraps a score with respect to the whitened components.
    public init(_ space: any Space<Scalar>, compWhite: Tensor<Scalar>) throws { try self.init(space, .compWhite, compWhite) }

    /// The space of the values.
    public var space: any Space<Scalar> { storage.space }

    /// The representations held without conversion.
    public var storedRepresentations: Set<Representation> { Set(storage.stored.keys) }

    /// The score in a representation, converted from the nearest stored one.
    public func value(in representation: Representation) throws -> Tensor<Scalar> {
        try storage.value(in: representation)
    }

    /// ∇_φ log p.
    public var data: Tensor<Scalar> { get throws { try value(in: .data) } }
    /// ∇_χ log p = U ∇_φ log p.
    public var comp: Tensor<Scalar> { get throws { try value(in: .comp) } }
    /// ∇_χ̂ log p = S ∇_χ log p.
    public var compWhite: Tensor<Scalar> { get throws { try value(in: .compWhite) } }
    /// U† ∇_χ̂ log p.
    public var dataWhite: Tensor<Scalar> { get throws { try value(in: .dataWhite) } }

    /// A copy that also stores `representation`, so later accesses need no conversion.
    public func storing(_ representation: Representation) throws -> ScoreValue {
        var copy = self
        try copy.storage.store(representation)
        return copy
    }
}
