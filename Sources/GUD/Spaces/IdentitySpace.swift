/// Pixel space: U = I, with an optional per-pixel whitening scale S (standard diffusion when S = I).
public struct IdentitySpace<Scalar: TensorScalar>: Space {
    /// The number of pixels D.
    public let dimension: Int
    /// The per-pixel scale, or `nil`.
    public let scale: [Scalar]?
    /// `false`.
    public var isComplex: Bool { false }

    /// Pixel space of D pixels, with an optional per-pixel whitening scale.
    ///
    /// - Parameters:
    ///   - dimension: D, the number of pixels (the space axis), ≥ 1.
    ///   - scale: Sᵢ > 0 per pixel, or `nil` for S = I.
    /// - Throws: `GUDError.invalidArgument` for D < 1 or a non-positive scale,
    ///   `GUDError.shapeMismatch` for a scale of the wrong length, `GUDError.nonFinite`.
    public init(dimension: Int, scale: [Scalar]? = nil) throws {
        guard dimension >= 1 else {
            throw GUDError.invalidArgument("dimension is \(dimension); expected at least 1")
        }
        self.dimension = dimension
        self.scale = try validatedScale(scale, dimension: dimension)
    }

    /// A whitened pixel space whose scale is the per-pixel standard deviation of `data` (N, D, C),
    /// pooled over channels, with the variances floored as `floor` says.
    public init(data: Tensor<Scalar>, floor: VarianceFloor<Scalar> = .default) throws {
        guard data.rank == 3 else {
            throw GUDError.shapeMismatch("data has shape \(data.shape); expected (samples, space, channels)")
        }
        let plain = try IdentitySpace(dimension: data.shape[1])
        let variances = try floor.apply(to: plain.componentVariances(of: data), what: "pixel variance")
        try self.init(dimension: data.shape[1], scale: variances.map { $0.squareRoot() })
    }

    /// The identity (shape-checked).
    public func toComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkData(x, "input of toComponentSpace")
        return x
    }

    /// The identity (shape-checked).
    public func fromComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkComponents(x, "input of fromComponentSpace")
        return x
    }
}
