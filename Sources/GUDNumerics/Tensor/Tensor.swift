/// An n-dimensional array of `Float` or `Double`: contiguous, row-major (C order), with value semantics.
///
/// Storage is a Swift `Array`, so copies are cheap and copy-on-write: mutating a copy never changes
/// the original. The shape is a list of non-negative extents; a rank-0 tensor (shape `[]`) holds one
/// scalar. The flat index of element (i₀, …, iₙ₋₁) is Σ iₖ · strideₖ with strideₙ₋₁ = 1.
///
/// Functions that combine tensors check shapes and throw ``GUDError/shapeMismatch(_:)`` with both
/// shapes in the message. Indexing with out-of-range indices traps, like `Array`.
///
/// GUD's data convention is (batch, space, channel); complex values are stored interleaved with a
/// trailing axis of length 2 (re, im), the layout of FFTW and of the reference parity files.
public struct Tensor<Scalar: TensorScalar>: Sendable {
    /// The extent of each axis, outermost first.
    public var shape: [Int] { _shape }
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Scalar] { _scalars }

    @usableFromInline var _shape: [Int]
    @usableFromInline var _scalars: [Scalar]

    /// Creates a tensor of the given shape with every element equal to `value`.
    /// - Precondition: every extent is ≥ 0 (use ``init(shape:scalars:)`` to validate user input).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init(shape: [Int], repeating value: Scalar = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self._shape = shape
        self._scalars = Array(repeating: value, count: shape.reduce(1, *))
    }

    /// Creates a tensor from its elements in row-major order.
    /// - Throws: ``GUDError/shapeMismatch(_:)`` when an extent is negative or the element count
    ///   differs from the product of the extents.
    public init(shape: [Int], scalars: [Scalar]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw GUDError.shapeMismatch("shape \(shape) has a negative extent")
        }
        let count = try Tensor.elementCount(of: shape)
        guard count == scalars.count else {
            throw GUDError.shapeMismatch(
                "shape \(shape) needs \(count) elements, got \(scalars.count)")
        }
        self._shape = shape
        self._scalars = scalars
    }

    /// Creates a tensor of the given shape whose elements are produced by `body(flatIndex)`.
    @inlinable
    public init(shape: [Int], generator body: (Int) throws -> Scalar) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        let n = shape.reduce(1, *)
        var s = [Scalar]()
        s.reserveCapacity(n)
        for i in 0..<n { s.append(try body(i)) }
        self._shape = shape
        self._scalars = s
    }

    /// Creates a rank-1 tensor.
    public init(_ vector: [Scalar]) {
        self._shape = [vector.count]
        self._scalars = vector
    }

    /// Creates a rank-0 tensor holding one scalar.
    public init(scalar: Scalar) {
        self._shape = []
        self._scalars = [scalar]
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// The n×n identity matrix.
    public static func identity(_ n: Int) -> Tensor {
        var t = Tensor(shape: [n, n])
        for i in 0..<n { t._scalars[i * n + i] = 1 }
        return t
    }

    /// The product of the extents.
    /// - Throws: ``GUDError/shapeMismatch(_:)`` when it overflows `Int`.
    public static func elementCount(of shape: [Int]) throws -> Int {
        var n = 1
        for d in shape {
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow else { throw GUDError.shapeMismatch("shape \(shape) has too many elements") }
            n = p
        }
        return n
    }

    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    /// The number of elements.
    @inlinable public var count: Int { scalars.count }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// The element at a multi-index. Traps when the rank differs or an index is out of range.
    public subscript(indices: Int...) -> Scalar {
        get { _scalars[flatIndex(indices)] }
        set { _scalars[flatIndex(indices)] = newValue }
    }

    /// The element at a flat (row-major) index.
    @inlinable
    public subscript(flat i: Int) -> Scalar {
        get { _scalars[i] }
        set { _scalars[i] = newValue }
    }

    func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) has rank \(indices.count), tensor has shape \(shape)")
        var flat = 0
        for (i, (idx, ext)) in zip(indices, shape).enumerated() {
            precondition(idx >= 0 && idx < ext, "index \(idx) out of range 0..<\(ext) on axis \(i)")
            flat = flat * ext + idx
        }
        return flat
    }

    /// The single element of a tensor with one element (any rank).
    public var scalar: Scalar {
        precondition(count == 1, "scalar of a tensor with shape \(shape)")
        return scalars[0]
    }

    /// Calls `body` with the elements in row-major order.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try _scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with mutable access to the elements (copying first if the storage is shared).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try _scalars.withUnsafeMutableBufferPointer(body)
    }

    /// The same elements with a new shape. One extent may be −1 and is then inferred.
    /// - Throws: ``GUDError/shapeMismatch(_:)`` when the element counts differ.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var shape = newShape
        let inferred = shape.indices.filter { shape[$0] == -1 }
        guard inferred.count <= 1, shape.allSatisfy({ $0 >= -1 }) else {
            throw GUDError.shapeMismatch("cannot reshape to \(newShape): at most one extent may be -1 and none may be below it")
        }
        if let i = inferred.first {
            let known = shape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw GUDError.shapeMismatch("cannot reshape \(self.shape) (\(count) elements) to \(newShape)")
            }
            shape[i] = count / known
        }
        guard shape.reduce(1, *) == count else {
            throw GUDError.shapeMismatch("cannot reshape \(self.shape) (\(count) elements) to \(newShape)")
        }
        var t = self
        t._shape = shape
        return t
    }

    /// The tensor converted element-wise to another precision.
    public func converted<T: TensorScalar>(to: T.Type = T.self) -> Tensor<T> {
        var t = Tensor<T>(shape: shape)
        t._scalars = scalars.map { T($0) }
        return t
    }

    /// Throws ``GUDError/nonFinite(_:)`` naming `what` and the first offending index when any element
    /// is NaN or infinite.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func checkFinite(_ what: String) throws {
        if let i = firstNonFiniteIndex() {
            throw GUDError.nonFinite("\(what) has \(scalars[i]) at flat index \(i) (shape \(shape)); expected finite values")
        }
    }

    /// Whether every element is finite.
    public var isFinite: Bool { firstNonFiniteIndex() == nil }

    /// The flat index of the first NaN or infinite element, or `nil`. Specialised, so that callers
    /// in generic code neither run the element loop unspecialised nor allocate per element.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func firstNonFiniteIndex() -> Int? {
        _scalars.withUnsafeBufferPointer { b in
            for i in 0..<b.count where !b[i].isFinite { return i }
            return nil
        }
    }

    /// Throws ``GUDError/shapeMismatch(_:)`` when the shape differs from `expected`.
    /// `-1` in `expected` matches any extent.
    public func checkShape(_ expected: [Int], _ what: String) throws {
        let ok = expected.count == shape.count && zip(expected, shape).allSatisfy { $0 == -1 || $0 == $1 }
        guard ok else {
            let want = expected.map { $0 == -1 ? "*" : String($0) }.joined(separator: ", ")
            throw GUDError.shapeMismatch("\(what) has shape \(shape), expected [\(want)]")
        }
    }
}

extension Tensor: Equatable {
    /// Equal when shapes and all elements are equal (NaN ≠ NaN, as for scalars).
    public static func == (a: Tensor, b: Tensor) -> Bool { a.shape == b.shape && a.scalars == b.scalars }
}

extension Tensor: CustomStringConvertible {
    /// The element type, the shape and the first eight elements.
    public var description: String {
        let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor<\(Scalar.self)>(shape: \(shape), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
