/// An orthogonal wavelet for ``WaveletSpace``, defined by its low-pass (scaling) filter h.
///
/// The high-pass filter is gₘ = (−1)ᵐ h_{T−1−m}. One level of the periodic transform of a signal x
/// of even length n gives
///
///     aₖ = Σₘ hₘ x_{(2k+m) mod n}      dₖ = Σₘ gₘ x_{(2k+m) mod n}      k = 0 … n/2 − 1,
///
/// an orthonormal map (its inverse is its transpose) for every even n ≥ 2.
public enum Wavelet: Sendable, Hashable {
    /// Haar: h = (1, 1)/√2.
    case haar
    /// Daubechies-4 (two vanishing moments, "db2"):
    /// h = (1 + √3, 3 + √3, 3 − √3, 1 − √3)/(4√2) ≈ (0.48296, 0.83652, 0.22414, −0.12941).
    case daubechies4

    /// The low-pass filter h (Σ h = √2, Σ h² = 1).
    public var lowPass: [Double] {
        switch self {
        case .haar:
            return [1 / 2.0.squareRoot(), 1 / 2.0.squareRoot()]
        case .daubechies4:
            let r3 = 3.0.squareRoot(), n = 4 * 2.0.squareRoot()
            return [(1 + r3) / n, (3 + r3) / n, (3 - r3) / n, (1 - r3) / n]
        }
    }

    /// The high-pass filter gₘ = (−1)ᵐ h_{T−1−m}.
    public var highPass: [Double] {
        let h = lowPass
        return h.indices.map { m in (m % 2 == 0 ? 1 : -1) * h[h.count - 1 - m] }
    }
}

/// Where a component of a ``WaveletSpace`` sits: its level, orientation and position in its sub-band.
///
/// Level 1 holds the finest details (the first transform of the full image); level L the coarsest
/// details and the approximation. Orientations (x = column direction, y = row direction):
/// `horizontal` = low-pass in x, high-pass in y (responds to horizontal edges); `vertical` =
/// high-pass in x, low-pass in y; `diagonal` = high-pass in both; `approximation` = low-pass in both.
public struct WaveletCoefficient: Sendable, Hashable {
    /// The filtering of a sub-band (see the type's documentation).
    public enum Orientation: Sendable, Hashable {
        /// Low-pass in both directions: the coarse image (level L only).
        case approximation
        /// Low-pass in x, high-pass in y: horizontal edges.
        case horizontal
        /// High-pass in x, low-pass in y: vertical edges.
        case vertical
        /// High-pass in both directions.
        case diagonal
    }

    /// 1 (finest) … L (coarsest).
    public let level: Int
    /// The sub-band.
    public let orientation: Orientation
    /// Row within the sub-band (0 ..< bandRows).
    public let row: Int
    /// Column within the sub-band (0 ..< bandColumns).
    public let column: Int
    /// The sub-band's height: height / 2^level.
    public let bandRows: Int
    /// The sub-band's width: width / 2^level.
    public let bandColumns: Int

    /// The centre of the coefficient's support in pixel rows: (row + ½) · 2^level − ½.
    public var pixelRow: Double { (Double(row) + 0.5) * Double(1 << level) - 0.5 }
    /// The centre of the coefficient's support in pixel columns: (column + ½) · 2^level − ½.
    public var pixelColumn: Double { (Double(column) + 0.5) * Double(1 << level) - 0.5 }
}
