/// The basis the diffusion runs in and its prior (whitened or not).
public struct SpaceConfiguration: Codable, Equatable, Sendable {
    /// The basis.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// The pixel basis (U = I); whitening by the per-pixel standard deviation.
        case pixel
        /// The PCA basis of the data covariance; whitening by √eigenvalues.
        case pca
        /// The orthonormal 2-D Fourier basis; whitening by √power spectrum.
        case fourier
        /// The orthonormal multi-level 2-D Haar wavelet basis.
        case haar
        /// The orthonormal multi-level 2-D Daubechies-4 wavelet basis, periodic boundaries.
        case daubechies4
    }

    /// The basis (default: Fourier).
    public var kind: Kind = .fourier
    /// Whether the prior is whitened by the data's per-component standard deviations
    /// (S = √Σ, prior N(0, Σ) in the component basis) or not (S = I, prior N(0, I)).
    public var whitened: Bool = true
    /// Wavelet levels (default: as many as halve the shape evenly, at most 3).
    public var levels: Int?
    /// Variances below `varianceFloor × max` are raised to that value before whitening (a documented clamp).
    public var varianceFloor: Double = 1e-6

    /// A basis, whitened or not (default: a whitened Fourier basis).
    public init(kind: Kind = .fourier, whitened: Bool = true, levels: Int? = nil) {
        self.kind = kind
        self.whitened = whitened
        self.levels = levels
    }

    /// Throws `GUDError.invalidArgument` for a floor outside (0, 1) or levels below 1.
    public func validate() throws {
        guard varianceFloor > 0, varianceFloor < 1 else {
            throw GUDError.invalidArgument("variance floor must be in (0, 1), got \(varianceFloor)")
        }
        if let levels, levels < 1 { throw GUDError.invalidArgument("wavelet levels must be at least 1, got \(levels)") }
    }

    /// The wavelet levels used for an image of this size: `levels`, or the largest L ≤ 3 such that
    /// both sides are divisible by 2^L.
    /// - Throws: `GUDError.invalidArgument` when the image cannot be halved even once.
    public func waveletLevels(height: Int, width: Int) throws -> Int {
        if let levels { return levels }
        var l = 0
        while l < 3, height % (1 << (l + 1)) == 0, width % (1 << (l + 1)) == 0 { l += 1 }
        guard l > 0 else {
            throw GUDError.invalidArgument("a \(height)×\(width) image has an odd side; a wavelet space needs even sides")
        }
        return l
    }
}
