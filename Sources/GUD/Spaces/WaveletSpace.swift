/// An orthonormal multi-level 2-D wavelet space (Haar or Daubechies-4, periodic boundaries) over
/// images of height × width pixels flattened row-major, with an optional whitening scale.
///
/// One level transforms every row of the current approximation region, then every column
/// (``Wavelet``); the coefficients are stored in place in the standard (Mallat) layout, so
/// component i is pixel i of the transformed image: the approximation in the top-left
/// (height, width)/2^L block and, for each level l, the details in the three other quadrants of the
/// (height, width)/2^(l−1) block — `vertical` top-right, `horizontal` bottom-left, `diagonal`
/// bottom-right. ``coefficients`` describes every component (level, orientation, position) so that
/// orderings can be built from it, e.g. ``coarseToFineLabels()``. The transform is real, so noise
/// needs no transformation. (The reference implementation has no wavelet space.)
public struct WaveletSpace<Scalar: TensorScalar>: Space {
    /// The image height in pixels.
    public let height: Int
    /// The image width in pixels.
    public let width: Int
    /// L, the number of levels.
    public let levels: Int
    /// Haar or Daubechies-4.
    public let wavelet: Wavelet
    /// Sᵢ per coefficient, or `nil`.
    public let scale: [Scalar]?
    /// The position of every component, in component order.
    public let coefficients: [WaveletCoefficient]
    /// height · width.
    public var dimension: Int { height * width }
    /// `false`.
    public var isComplex: Bool { false }

    private let lowPass: [Scalar]
    private let highPass: [Scalar]

    /// An orthonormal L-level 2-D wavelet transform of height × width images.
    ///
    /// - Parameters:
    ///   - height: the number of pixel rows, divisible by 2^levels.
    ///   - width: the number of pixel columns, divisible by 2^levels.
    ///   - levels: L ≥ 1.
    ///   - wavelet: `.haar` (default) or `.daubechies4`.
    ///   - scale: Sᵢ > 0 per coefficient, or `nil` for S = I.
    /// - Throws: `GUDError.invalidArgument` when L < 1 or an extent is not a positive multiple of
    ///   2^L, or for a non-positive scale; `GUDError.shapeMismatch` for a scale of the wrong
    ///   length; `GUDError.nonFinite`.
    public init(height: Int, width: Int, levels: Int, wavelet: Wavelet = .haar, scale: [Scalar]? = nil) throws {
        guard levels >= 1, levels < Int.bitWidth - 2 else {
            throw GUDError.invalidArgument("wavelet levels = \(levels); expected at least 1")
        }
        let block = 1 << levels
        guard height > 0, width > 0, height % block == 0, width % block == 0 else {
            throw GUDError.invalidArgument(
                "a \(levels)-level wavelet transform needs height and width divisible by 2^\(levels) = \(block); got \(height) × \(width)")
        }
        self.height = height
        self.width = width
        self.levels = levels
        self.wavelet = wavelet
        self.lowPass = wavelet.lowPass.map { Scalar($0) }
        self.highPass = wavelet.highPass.map { Scalar($0) }
        self.coefficients = WaveletSpace.layout(height: height, width: width, levels: levels)
        self.scale = try validatedScale(scale, dimension: height * width)
    }

    /// A whitened wavelet space fitted to data (N, height · width, C): Sᵢ = the standard deviation
    /// of coefficient i over samples and channels (after subtracting the per-pixel mean), floored as
    /// `floor` says.
    public init(height: Int, width: Int, levels: Int, wavelet: Wavelet = .haar,
                data: Tensor<Scalar>, floor: VarianceFloor<Scalar> = .default) throws {
        let plain = try WaveletSpace(height: height, width: width, levels: levels, wavelet: wavelet)
        let variances = try floor.apply(to: plain.componentVariances(of: data), what: "wavelet coefficient variance")
        try self.init(height: height, width: width, levels: levels, wavelet: wavelet,
                      scale: variances.map { $0.squareRoot() })
    }

    /// Ordering labels that generate coarse scales first: 0 for the approximation, 1 for the
    /// level-L details, …, L for the level-1 (finest) details. Combine them with a second ordering
    /// through ``hierarchicalLabels(primary:primarySoftness:secondary:secondarySoftness:)``.
    public func coarseToFineLabels() -> [Scalar] {
        coefficients.map { Scalar($0.orientation == .approximation ? 0 : levels - $0.level + 1) }
    }

    /// The L-level transform of every (sample, channel) image, in the Mallat layout.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func toComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkData(x, "input of toComponentSpace")
        return transformImages(x, inverse: false)
    }

    /// The inverse transform (the transpose).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func fromComponentSpace(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try checkComponents(x, "input of fromComponentSpace")
        return transformImages(x, inverse: true)
    }

    /// Applies the transform to the image of every (sample, channel).
    private func transformImages(_ x: Tensor<Scalar>, inverse: Bool) -> Tensor<Scalar> {
        let (batch, d, channels) = (x.shape[0], x.shape[1], x.shape[2])
        var out = Tensor<Scalar>(shape: x.shape)
        var image = [Scalar](repeating: 0, count: d)
        var line = [Scalar](repeating: 0, count: Swift.max(height, width))
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                image.withUnsafeMutableBufferPointer { img in
                    line.withUnsafeMutableBufferPointer { tmp in
                        for b in 0..<batch {
                            for c in 0..<channels {
                                let base = b * d * channels + c
                                for i in 0..<d { img[i] = src[base + i * channels] }
                                if inverse { inverseLevels(img, tmp) } else { forwardLevels(img, tmp) }
                                for i in 0..<d { dst[base + i * channels] = img[i] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    private func forwardLevels(_ img: UnsafeMutableBufferPointer<Scalar>, _ tmp: UnsafeMutableBufferPointer<Scalar>) {
        var (h, w) = (height, width)
        for _ in 0..<levels {
            for r in 0..<h { analyse(img, start: r * width, stride: 1, count: w, tmp) }
            for c in 0..<w { analyse(img, start: c, stride: width, count: h, tmp) }
            h /= 2
            w /= 2
        }
    }

    private func inverseLevels(_ img: UnsafeMutableBufferPointer<Scalar>, _ tmp: UnsafeMutableBufferPointer<Scalar>) {
        for level in stride(from: levels, through: 1, by: -1) {
            let (h, w) = (height >> (level - 1), width >> (level - 1))
            for c in 0..<w { synthesise(img, start: c, stride: width, count: h, tmp) }
            for r in 0..<h { synthesise(img, start: r * width, stride: 1, count: w, tmp) }
        }
    }

    /// One periodic analysis step on a strided line: approximations to the first half, details to the second.
    private func analyse(_ x: UnsafeMutableBufferPointer<Scalar>, start: Int, stride: Int, count n: Int,
                         _ tmp: UnsafeMutableBufferPointer<Scalar>) {
        for j in 0..<n { tmp[j] = x[start + j * stride] }
        let half = n / 2
        for k in 0..<half {
            var a: Scalar = 0, d: Scalar = 0
            for m in 0..<lowPass.count {
                let v = tmp[(2 * k + m) % n]
                a += lowPass[m] * v
                d += highPass[m] * v
            }
            x[start + k * stride] = a
            x[start + (half + k) * stride] = d
        }
    }

    /// The transpose of ``analyse(_:start:stride:count:_:)``.
    private func synthesise(_ x: UnsafeMutableBufferPointer<Scalar>, start: Int, stride: Int, count n: Int,
                            _ tmp: UnsafeMutableBufferPointer<Scalar>) {
        let half = n / 2
        for j in 0..<n { tmp[j] = 0 }
        for k in 0..<half {
            let a = x[start + k * stride], d = x[start + (half + k) * stride]
            for m in 0..<lowPass.count {
                tmp[(2 * k + m) % n] += lowPass[m] * a + highPass[m] * d
            }
        }
        for j in 0..<n { x[start + j * stride] = tmp[j] }
    }

    /// The metadata of every position of the Mallat layout.
    static func layout(height: Int, width: Int, levels: Int) -> [WaveletCoefficient] {
        var out = [WaveletCoefficient]()
        out.reserveCapacity(height * width)
        for r in 0..<height {
            for c in 0..<width {
                var found: WaveletCoefficient?
                for level in 1...levels where found == nil {
                    let (h, w) = (height >> (level - 1), width >> (level - 1))
                    let (bh, bw) = (h / 2, w / 2)
                    guard r < h, c < w, r >= bh || c >= bw else { continue }
                    let orientation: WaveletCoefficient.Orientation =
                        r >= bh ? (c >= bw ? .diagonal : .horizontal) : .vertical
                    found = WaveletCoefficient(
                        level: level, orientation: orientation, row: r % bh, column: c % bw,
                        bandRows: bh, bandColumns: bw)
                }
                out.append(found ?? WaveletCoefficient(
                    level: levels, orientation: .approximation, row: r, column: c,
                    bandRows: height >> levels, bandColumns: width >> levels))
            }
        }
        return out
    }
}
