/// The four representations of values in a ``Space`` (M = S⁻¹ U):
///
/// | case | meaning | shape |
/// |---|---|---|
/// | `data` | φ, the data | (batch, D, C), real |
/// | `comp` | χ = U φ | (batch, D, C), or (batch, D, C, 2) complex |
/// | `compWhite` | χ̂ = S⁻¹ χ — where the diffusion runs | as `comp` |
/// | `dataWhite` | φ̂ = U† χ̂ — where networks work | (batch, D, C), real |
///
/// They form a chain data ↔ comp ↔ compWhite ↔ dataWhite along which ``DataValue`` and
/// ``ScoreValue`` convert.
public enum Representation: String, CaseIterable, Sendable, Hashable {
    /// φ, the data (batch, D, C).
    case data
    /// χ = U φ, the components.
    case comp
    /// χ̂ = S⁻¹ χ, the whitened components, where the diffusion runs.
    case compWhite
    /// φ̂ = U† χ̂, the whitened data, where networks work.
    case dataWhite

    /// The position on the conversion chain.
    var chainIndex: Int {
        switch self {
        case .data: return 0
        case .comp: return 1
        case .compWhite: return 2
        case .dataWhite: return 3
        }
    }

    init(chainIndex: Int) { self = Representation.allCases[chainIndex] }
}

/// Shared storage and conversion of the lazy containers: one or more representations of the same
/// values, and the step along the chain for vectors or covectors.
struct LazyRepresentations<Scalar: TensorScalar>: Sendable {
    let space: any Space<Scalar>
    private(set) var stored: [Representation: Tensor<Scalar>]
    let isCovector: Bool

    init(space: any Space<Scalar>, _ representation: Representation, _ value: Tensor<Scalar>, isCovector: Bool) throws {
        switch representation {
        case .data, .dataWhite: try space.checkData(value, "\(representation) value")
        case .comp, .compWhite: try space.checkComponents(value, "\(representation) value")
        }
        self.space = space
        self.stored = [representation: value]
        self.isCovector = isCovector
    }

    /// The value in `target`, converted step by step from the nearest stored representation.
    func value(in target: Representation) throws -> Tensor<Scalar> {
        if let v = stored[target] { return v }
        let (source, value) = stored.min { abs($0.key.chainIndex - target.chainIndex) < abs($1.key.chainIndex - target.chainIndex) }!
        var x = value
        var index = source.chainIndex
        while index != target.chainIndex {
            let next = index + (target.chainIndex > index ? 1 : -1)
            x = try step(x, from: Representation(chainIndex: index), to: Representation(chainIndex: next))
            index = next
        }
        return x
    }

    mutating func store(_ representation: Representation) throws {
        stored[representation] = try value(in: representation)
    }

    /// One step along the chain. Vectors are whitened by S⁻¹; covectors (scores) transform with the
    /// inverse transpose, so they are *multiplied* by S on the way to compWhite. U is orthogonal or
    /// unitary, so both kinds use U between data and components.
    private func step(_ x: Tensor<Scalar>, from: Representation, to: Representation) throws -> Tensor<Scalar> {
        switch (from, to) {
        case (.data, .comp), (.dataWhite, .compWhite): return try space.toComponentSpace(x)
        case (.comp, .data), (.compWhite, .dataWhite): return try space.fromComponentSpace(x)
        case (.comp, .compWhite): return try isCovector ? space.unwhiten(x) : space.whiten(x)
        case (.compWhite, .comp): return try isCovector ? space.whiten(x) : space.unwhiten(x)
        default: preconditionFailure("no direct step from \(from) to \(to)")
        }
    }
}
