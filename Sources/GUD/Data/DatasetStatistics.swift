import Foundation

/// Everything a space or a variance-based ordering needs from a data set, computed once (in Double)
/// and cached next to the checkpoint as `statistics.safetensors`.
///
/// All second moments are of the centred data x − μ, with μ the per-pixel, per-channel mean, and
/// averaged over samples and channels (the transforms act on the space axis and broadcast over channels):
/// - `pixelVariances`: Σᵢ in the pixel basis;
/// - `pcaVariances`, `pcaComponents`: the eigensystem of the D×D covariance, largest variance first,
///   row i of `pcaComponents` being the unit eigenvector of `pcaVariances[i]`;
/// - `powerSpectrum`: the mean of |FFT(x − μ)|² (orthonormal 2-D FFT), symmetric under k → −k;
/// - `waveletVariances[key]`: coefficient variances of the Haar / Daubechies-4 transform with L
///   levels, for every L that halves the image evenly (at most 3); keys like `haar/2`.
///
/// The `fingerprint` identifies the data (shape and a 64-bit hash of the values), so a cache computed
/// from other data is never used by mistake.
public struct DatasetStatistics: Sendable {
    /// The identity of the data: its shape and a 64-bit hash of its values.
    public let fingerprint: String
    /// N, the number of images.
    public let count: Int
    /// H, the image height.
    public let height: Int
    /// W, the image width.
    public let width: Int
    /// C, the channels per pixel.
    public let channels: Int
    /// μ, shape (1, D, C).
    public let mean: Tensor<Double>
    /// Σᵢ per pixel (D values): the variances of the pixel basis.
    public let pixelVariances: [Double]
    /// The eigenvalues of the covariance, largest first (D values): the variances of the PCA basis.
    public let pcaVariances: [Double]
    /// (D, D), rows orthonormal.
    public let pcaComponents: Tensor<Double>
    /// The mean of |FFT(x − μ)ₖ|² per frequency (D values), symmetric under k → −k.
    public let powerSpectrum: [Double]
    /// Coefficient variances of the wavelet transforms (D values each), keyed by ``waveletKey(_:levels:)``.
    public let waveletVariances: [String: [Double]]

    static let formatName = "gud-statistics-1"

    /// The key of ``waveletVariances`` for a wavelet and level count, e.g. `haar/2`.
    public static func waveletKey(_ wavelet: Wavelet, levels: Int) -> String {
        "\(wavelet == .haar ? "haar" : "daubechies4")/\(levels)"
    }

    /// Computes the statistics of a data set.
    public init<S: TensorScalar>(of dataset: ImageDataset<S>) throws {
        let x = dataset.images.converted(to: Double.self)
        let (n, d, c) = (x.shape[0], x.shape[1], x.shape[2])
        guard n >= 2 else { throw GUDError.invalidArgument("statistics need at least 2 images, got \(n)") }
        fingerprint = DatasetStatistics.fingerprint(of: dataset)
        count = n
        height = dataset.height
        width = dataset.width
        channels = c
        let mu0 = try x.mean(axis: 0)
        mean = try mu0.reshaped([1, d, c])
        pixelVariances = try IdentitySpace<Double>(dimension: d).componentVariances(of: x)
        powerSpectrum = try FourierSpace<Double>(shape: [height, width]).componentVariances(of: x)
        // PCA: covariance of the centred (sample, channel) vectors.
        var centred = Tensor<Double>(shape: [n * c, d])
        x.withUnsafeBufferPointer { src in
            mu0.withUnsafeBufferPointer { mu in
                centred.withUnsafeMutableBufferPointer { dst in
                    for s in 0..<n { for i in 0..<d { for ch in 0..<c {
                        dst[(s * c + ch) * d + i] = src[(s * d + i) * c + ch] - mu[i * c + ch]
                    } } }
                }
            }
        }
        let covariance = try Tensor.matmul(centred, centred, transposeA: true) / Double(n * c)
        let eig = try SymmetricEigendecomposition(FrechetDistance.symmetrised(covariance))
        let order = Array((0..<d).reversed())
        pcaVariances = order.map { Swift.max(eig.values[$0], 0) }
        pcaComponents = Tensor(shape: [d, d]) { eig.vectors[order[$0 / d], $0 % d] }
        var wavelets = [String: [Double]]()
        var levels = 1
        while levels <= 3, height % (1 << levels) == 0, width % (1 << levels) == 0 {
            for w in [Wavelet.haar, .daubechies4] {
                let space = try WaveletSpace<Double>(height: height, width: width, levels: levels, wavelet: w)
                wavelets[DatasetStatistics.waveletKey(w, levels: levels)] = try space.componentVariances(of: x)
            }
            levels += 1
        }
        waveletVariances = wavelets
    }

    /// The statistics cached at `url` when they belong to `dataset`; otherwise computed and written
    /// there (atomically). `cached` says which happened.
    public static func loadOrCompute<S: TensorScalar>(
        for dataset: ImageDataset<S>, cache url: URL
    ) throws -> (statistics: DatasetStatistics, cached: Bool) {
        if FileManager.default.fileExists(atPath: url.path) {
            let stats = try DatasetStatistics(contentsOf: url)
            if stats.fingerprint == fingerprint(of: dataset) { return (stats, true) }
        }
        let stats = try DatasetStatistics(of: dataset)
        try stats.write(to: url)
        return (stats, false)
    }

    /// The statistics as a safetensors file: F64 tensors and the fingerprint in the metadata.
    public func file() -> SafeTensorsFile {
        var f = SafeTensorsFile(metadata: [
            "format": DatasetStatistics.formatName, "fingerprint": fingerprint,
            "shape": "\(count) \(height) \(width) \(channels)",
        ])
        f.append("mean", mean)
        f.append("pixel_variances", Tensor(pixelVariances))
        f.append("pca_variances", Tensor(pcaVariances))
        f.append("pca_components", pcaComponents)
        f.append("power_spectrum", Tensor(powerSpectrum))
        for key in waveletVariances.keys.sorted() { f.append("wavelet/\(key)", Tensor(waveletVariances[key]!)) }
        return f
    }

    /// Writes the statistics atomically.
    public func write(to url: URL) throws { try file().write(to: url.path) }

    /// Reads and validates cached statistics.
    /// - Throws: `GUDError.malformedData` for a file that is not a statistics file or is inconsistent.
    public init(contentsOf url: URL) throws {
        let f = try SafeTensorsFile(contentsOf: url.path)
        func bad(_ m: String) -> GUDError { .malformedData("\(url.path) is not a valid statistics file: \(m)") }
        guard f.metadata["format"] == DatasetStatistics.formatName, let fp = f.metadata["fingerprint"],
            let dims = f.metadata["shape"]?.split(separator: " ").compactMap({ Int($0) }), dims.count == 4
        else { throw bad("missing format, fingerprint or shape metadata") }
        let (n, h, w, c) = (dims[0], dims[1], dims[2], dims[3])
        let d = h * w
        func vector(_ name: String) throws -> [Double] {
            let t: Tensor<Double> = try f.tensor(name)
            guard t.shape == [d] else { throw bad("\(name) has shape \(t.shape), expected [\(d)]") }
            return t.scalars
        }
        fingerprint = fp
        count = n
        height = h
        width = w
        channels = c
        mean = try f.tensor("mean")
        guard mean.shape == [1, d, c] else { throw bad("mean has shape \(mean.shape), expected [1, \(d), \(c)]") }
        pixelVariances = try vector("pixel_variances")
        pcaVariances = try vector("pca_variances")
        pcaComponents = try f.tensor("pca_components")
        guard pcaComponents.shape == [d, d] else { throw bad("pca_components has shape \(pcaComponents.shape)") }
        powerSpectrum = try vector("power_spectrum")
        var wavelets = [String: [Double]]()
        for e in f.entries where e.name.hasPrefix("wavelet/") {
            wavelets[String(e.name.dropFirst("wavelet/".count))] = try vector(e.name)
        }
        waveletVariances = wavelets
    }

    /// "N×H×W×C" and a 64-bit hash of the values' bit patterns.
    public static func fingerprint<S: TensorScalar>(of dataset: ImageDataset<S>) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        dataset.images.withUnsafeBufferPointer { b in
            for v in b {
                h = (h ^ UInt64(truncatingIfNeeded: Double(v).bitPattern)) &* 0x0000_0100_0000_01B3
                h ^= h >> 29
            }
        }
        return "\(dataset.count)x\(dataset.height)x\(dataset.width)x\(dataset.channels)-\(String(h, radix: 16))"
    }
}
