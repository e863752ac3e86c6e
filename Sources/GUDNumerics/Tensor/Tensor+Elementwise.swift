/// Element-wise operations and reductions.
///
/// All loops run over raw buffers: no per-element allocation, no bounds checks, and (being
/// `@inlinable`) specialised and vectorised for the concrete scalar type at the call site.
/// Binary operations require equal shapes and throw ``GUDError/shapeMismatch(_:)`` otherwise.
extension Tensor {
    /// A new tensor with `f` applied to every element.
    @inlinable
    public func map(_ f: (Scalar) -> Scalar) -> Tensor {
        var out = self
        out.formMap(f)
        return out
    }

    /// Applies `f` to every element in place.
    @inlinable
    public mutating func formMap(_ f: (Scalar) -> Scalar) {
        withUnsafeMutableBufferPointer { b in
            guard let p = b.baseAddress else { return }
            for i in 0..<b.count { p[i] = f(p[i]) }
        }
    }

    /// A new tensor with `f(self[i], other[i])` at every index.
    @inlinable
    public func zipMap(_ other: Tensor, _ f: (Scalar, Scalar) -> Scalar) throws -> Tensor {
        var out = self
        try out.formZipMap(other, f)
        return out
    }

    /// Replaces every element by `f(self[i], other[i])`.
    @inlinable
    public mutating func formZipMap(_ other: Tensor, _ f: (Scalar, Scalar) -> Scalar) throws {
        guard shape == other.shape else {
            throw GUDError.shapeMismatch("element-wise operation on shapes \(shape) and \(other.shape); expected equal shapes")
        }
        other.withUnsafeBufferPointer { o in
            withUnsafeMutableBufferPointer { b in
                guard let p = b.baseAddress, let q = o.baseAddress else { return }
                for i in 0..<b.count { p[i] = f(p[i], q[i]) }
            }
        }
    }

    /// The element-wise sum of two tensors of the same shape.
    /// - Throws: `GUDError.shapeMismatch` for different shapes.
    @inlinable public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.zipMap(b, +) }
    /// The element-wise difference of two tensors of the same shape.
    /// - Throws: `GUDError.shapeMismatch` for different shapes.
    @inlinable public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.zipMap(b, -) }
    /// The element-wise product of two tensors of the same shape.
    /// - Throws: `GUDError.shapeMismatch` for different shapes.
    @inlinable public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.zipMap(b, *) }
    /// The element-wise quotient of two tensors of the same shape.
    /// - Throws: `GUDError.shapeMismatch` for different shapes.
    @inlinable public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.zipMap(b, /) }
    /// `s` added to every element.
    @inlinable public static func + (a: Tensor, s: Scalar) -> Tensor { a.map { $0 + s } }
    /// `s` subtracted from every element.
    @inlinable public static func - (a: Tensor, s: Scalar) -> Tensor { a.map { $0 - s } }
    /// Every element times `s`.
    @inlinable public static func * (a: Tensor, s: Scalar) -> Tensor { a.map { $0 * s } }
    /// `s` times every element.
    @inlinable public static func * (s: Scalar, a: Tensor) -> Tensor { a.map { s * $0 } }
    /// Every element divided by `s`.
    @inlinable public static func / (a: Tensor, s: Scalar) -> Tensor { a.map { $0 / s } }
    /// Every element negated.
    @inlinable public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// `self += alpha * x` (BLAS `axpy`).
    public mutating func addScaled(_ x: Tensor, alpha: Scalar = 1) throws {
        guard shape == x.shape else {
            throw GUDError.shapeMismatch("addScaled on shapes \(shape) and \(x.shape); expected equal shapes")
        }
        x.withUnsafeBufferPointer { xb in
            withUnsafeMutableBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                Scalar.blasAxpy(n: yb.count, alpha: alpha, x: xp, y: yp)
            }
        }
    }

    /// Σ elements (0 for an empty tensor), accumulated in the tensor's precision.
    @inlinable
    public func sum() -> Scalar {
        withUnsafeBufferPointer { b in
            var s: Scalar = 0
            for v in b { s += v }
            return s
        }
    }

    /// The arithmetic mean (NaN for an empty tensor).
    @inlinable
    public func mean() -> Scalar { count == 0 ? .nan : sum() / Scalar(count) }

    /// Σ elements² (BLAS `dot`).
    public func sumOfSquares() -> Scalar {
        withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return 0 }
            return Scalar.blasDot(n: b.count, x: p, y: p)
        }
    }

    /// The largest element (NaN when empty or when any element is NaN).
    public func max() -> Scalar {
        guard !scalars.isEmpty, !scalars.contains(where: \.isNaN) else { return .nan }
        return scalars.max()!
    }

    /// The smallest element (NaN when empty or when any element is NaN).
    public func min() -> Scalar {
        guard !scalars.isEmpty, !scalars.contains(where: \.isNaN) else { return .nan }
        return scalars.min()!
    }

    /// The largest absolute difference to `other` (NaN if either holds NaN at a compared index).
    public func maxAbsDifference(_ other: Tensor) throws -> Scalar {
        guard shape == other.shape else {
            throw GUDError.shapeMismatch("maxAbsDifference on shapes \(shape) and \(other.shape); expected equal shapes")
        }
        var m: Scalar = 0
        for (a, b) in zip(scalars, other.scalars) {
            let d = Swift.abs(a - b)
            if d.isNaN { return .nan }
            m = Swift.max(m, d)
        }
        return m
    }

    /// Sums over one axis, removing it. `sum(axis: 0)` of a (batch, n) tensor is the column sum (n).
    public func sum(axis: Int) throws -> Tensor {
        guard axis >= 0 && axis < rank else {
            throw GUDError.invalidArgument("axis \(axis) out of range for shape \(shape)")
        }
        let outer = shape[..<axis].reduce(1, *)
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape.remove(at: axis)
        var out = Tensor(shape: outShape)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for o in 0..<outer {
                    for k in 0..<n {
                        let s = (o * n + k) * inner
                        for i in 0..<inner { dst[o * inner + i] += src[s + i] }
                    }
                }
            }
        }
        return out
    }

    /// The mean over one axis, removing it.
    public func mean(axis: Int) throws -> Tensor {
        let s = try sum(axis: axis)
        return s / Scalar(Swift.max(shape[axis], 1))
    }

    /// A matrix transposed (rank 2 only).
    public func transposed() throws -> Tensor {
        guard rank == 2 else { throw GUDError.shapeMismatch("transposed() needs a matrix, got shape \(shape)") }
        return try permuted([1, 0])
    }

    /// The axes reordered: axis k of the result is axis `axes[k]` of `self`.
    /// - Throws: when `axes` is not a permutation of `0..<rank`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.sorted() == Array(0..<rank) else {
            throw GUDError.invalidArgument("\(axes) is not a permutation of the \(rank) axes of shape \(shape)")
        }
        let newShape = axes.map { shape[$0] }
        let oldStrides = strides
        let srcStrides = axes.map { oldStrides[$0] }
        var out = Tensor(shape: newShape)
        guard count > 0 else { return out }
        var index = [Int](repeating: 0, count: rank)
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var offset = 0
                for flat in 0..<dst.count {
                    dst[flat] = src[offset]
                    var k = rank - 1
                    while k >= 0 {
                        index[k] += 1
                        offset += srcStrides[k]
                        if index[k] < newShape[k] { break }
                        offset -= srcStrides[k] * newShape[k]
                        index[k] = 0
                        k -= 1
                    }
                }
            }
        }
        return out
    }
}
