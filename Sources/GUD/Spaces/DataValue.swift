/// Data-like values (data, noise ε, velocity — vectors) in a ``Space``, held in any of the four
/// ``Representation``s and converted to the others on demand (the reference's lazy `Data`).
///
///     data → comp: U    comp → compWhite: S⁻¹    compWhite → dataWhite: U†   (and back)
///
/// ```swift
/// let x = try DataValue(space, data: images)
/// let white = try x.compWhite        // S⁻¹ U φ, computed now
/// ```
///
/// Conversions are computed on each access (nothing is cached); ``storing(_:)`` returns a value
/// that keeps a representation for repeated use.
public struct DataValue<Scalar: TensorScalar>: Sendable {
    var storage: LazyRepresentations<Scalar>

    /// Wraps a tensor given in one representation.
    /// - Throws: `GUDError.shapeMismatch` when the shape does not fit the representation.
    public init(_ space: any Space<Scalar>, _ representation: Representation, _ value: Tensor<Scalar>) throws {
        storage = try LazyRepresentations(space: space, representation, value, isCovector: false)
    }

    /// Wraps data (batch, D, C).
    public init(_ space: any Space<Scalar>, data: Tensor<Scalar>) throws { try self.init(space, .data, data) }

    /// Wraps whitened components.
    public init(_ space: any Space<Scalar>, compWhite: Tensor<Scalar>) throws { try self.init(space, .compWhite, compWhite) }

    /// The space of the values.
    public var space: any Space<Scalar> { storage.space }

    /// The representations held without conversion.
    public var storedRepresentations: Set<Representation> { Set(storage.stored.keys) }

    /// The values in a representation, converted from the nearest stored one.
    public func value(in representation: Representation) throws -> Tensor<Scalar> {
        try storage.value(in: representation)
    }

    /// φ.
    public var data: Tensor<Scalar> { get throws { try value(in: .data) } }
    /// χ = U φ.
    public var comp: Tensor<Scalar> { get throws { try value(in: .comp) } }
    /// χ̂ = S⁻¹ U φ.
    public var compWhite: Tensor<Scalar> { get throws { try value(in: .compWhite) } }
    /// φ̂ = U† S⁻¹ U φ.
    public var dataWhite: Tensor<Scalar> { get throws { try value(in: .dataWhite) } }

    /// A copy that also stores `representation`, so later accesses need no conversion.
    public func storing(_ representation: Representation) throws -> DataValue {
        var copy = self
        try copy.storage.store(representation)
        return copy
    }
}
