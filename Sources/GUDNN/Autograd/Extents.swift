/// The shape of a value on a ``Tape``: up to four extents stored inline, so that creating and passing
/// shapes never allocates (unlike `[Int]`).
///
/// Layout conventions of the operations: images are channel-major `[C, N, H, W]` (channel, batch,
/// row, column; flat pixel index `(n·H + y)·W + x`), dense activations are `[N, F]` (batch, feature).
public struct Extents: Hashable, Sendable, CustomStringConvertible {
    /// The number of axes (0 to 4).
    public let rank: Int
    @usableFromInline let d0, d1, d2, d3: Int

    /// A rank-0 (scalar) shape.
    public init() { rank = 0; d0 = 1; d1 = 1; d2 = 1; d3 = 1 }
    /// A rank-1 shape `[a]`.
    public init(_ a: Int) { rank = 1; d0 = a; d1 = 1; d2 = 1; d3 = 1 }
    /// A rank-2 shape `[a, b]`.
    public init(_ a: Int, _ b: Int) { rank = 2; d0 = a; d1 = b; d2 = 1; d3 = 1 }
    /// A rank-3 shape `[a, b, c]`.
    public init(_ a: Int, _ b: Int, _ c: Int) { rank = 3; d0 = a; d1 = b; d2 = c; d3 = 1 }
    /// A rank-4 shape `[a, b, c, d]`, e.g. channel-major images `[C, N, H, W]`.
    public init(_ a: Int, _ b: Int, _ c: Int, _ d: Int) { rank = 4; d0 = a; d1 = b; d2 = c; d3 = d }

    /// Creates extents from an array of at most four non-negative extents.
    /// - Throws: `GUDError.shapeMismatch` for a longer array or a negative extent.
    public init(_ dims: [Int]) throws {
        guard dims.count <= 4, dims.allSatisfy({ $0 >= 0 }) else {
            throw GUDError.shapeMismatch("shape \(dims) is not supported on a tape; expected at most 4 non-negative extents")
        }
        switch dims.count {
        case 0: self.init()
        case 1: self.init(dims[0])
        case 2: self.init(dims[0], dims[1])
        case 3: self.init(dims[0], dims[1], dims[2])
        default: self.init(dims[0], dims[1], dims[2], dims[3])
        }
    }

    /// The extent of axis `i` (0 ≤ i < rank).
    @inlinable
    public subscript(i: Int) -> Int {
        switch i {
        case 0: return d0
        case 1: return d1
        case 2: return d2
        default: return d3
        }
    }

    /// The number of elements (1 for rank 0).
    @inlinable public var count: Int { d0 * d1 * d2 * d3 }

    /// The extents as an array (allocates; not for hot paths).
    public var array: [Int] { (0..<rank).map { self[$0] } }

    /// The extents padded on the left with 1s to rank 4 (numpy broadcasting alignment).
    var paddedToFour: (Int, Int, Int, Int) {
        switch rank {
        case 0: return (1, 1, 1, 1)
        case 1: return (1, 1, 1, d0)
        case 2: return (1, 1, d0, d1)
        case 3: return (1, d0, d1, d2)
        default: return (d0, d1, d2, d3)
        }
    }

    public static func == (a: Extents, b: Extents) -> Bool {
        a.rank == b.rank && a.d0 == b.d0 && a.d1 == b.d1 && a.d2 == b.d2 && a.d3 == b.d3
    }

    public func hash(into h: inout Hasher) {
        h.combine(rank); h.combine(d0); h.combine(d1); h.combine(d2); h.combine(d3)
    }

    /// The shape as `[a, b, …]`.
    public var description: String { "[" + array.map(String.init).joined(separator: ", ") + "]" }
}

extension Extents {
    /// The same extents with axis `axis` set to `value`.
    public func replacing(_ axis: Int, with value: Int) -> Extents {
        switch rank {
        case 1: return Extents(value)
        case 2: return axis == 0 ? Extents(value, d1) : Extents(d0, value)
        case 3:
            return axis == 0 ? Extents(value, d1, d2) : axis == 1 ? Extents(d0, value, d2) : Extents(d0, d1, value)
        case 4:
            switch axis {
            case 0: return Extents(value, d1, d2, d3)
            case 1: return Extents(d0, value, d2, d3)
            case 2: return Extents(d0, d1, value, d3)
            default: return Extents(d0, d1, d2, value)
            }
        default: return self
        }
    }

    /// The extents of the last `rank` axes of a padded rank-4 shape.
    static func suffix(_ e: (Int, Int, Int, Int), rank: Int) -> Extents {
        switch rank {
        case 0: return Extents()
        case 1: return Extents(e.3)
        case 2: return Extents(e.2, e.3)
        case 3: return Extents(e.1, e.2, e.3)
        default: return Extents(e.0, e.1, e.2, e.3)
        }
    }
}
