import ArgumentParser
import Foundation
import GUD

/// `gud stats`: computes and caches data-set statistics.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute the statistics of a data set (mean, pixel variances, PCA, power spectrum, wavelet variances) and cache them.")

    @OptionGroup(title: "Data") var data: DataOptions

    @Option(help: "Seed for random crops.")
    var seed: UInt64 = 0

    @Option(name: .shortAndLong, help: "Where to write the statistics (safetensors).")
    var output: String = "statistics.safetensors"

    func run() throws {
        var config = DataConfiguration()
        data.apply(to: &config)
        let dataset = try config.load(source: RandomSource(seed: seed).derived("data"), as: Float.self)
        let (stats, cached) = try DatasetStatistics.loadOrCompute(for: dataset, cache: URL(fileURLWithPath: output))
        print("data: \(config.summary): \(stats.count) images \(stats.height)×\(stats.width)×\(stats.channels)")
        print("fingerprint: \(stats.fingerprint)")
        let mean = stats.mean.scalars
        print(String(format: "mean: %.4f … %.4f (average %.4f)", mean.min()!, mean.max()!, mean.reduce(0, +) / Double(mean.count)))
        func range(_ v: [Double]) -> String { String(format: "%.3g … %.3g", v.min()!, v.max()!) }
        print("pixel variances: \(range(stats.pixelVariances))")
        let pca = stats.pcaVariances
        let total = pca.reduce(0, +)
        let k90 = (pca.indices.first { pca[...$0].reduce(0, +) >= 0.9 * total } ?? pca.count - 1) + 1
        print("PCA eigenvalues: \(range(pca)); \(k90) of \(pca.count) components hold 90 % of the variance")
        print("power spectrum: \(range(stats.powerSpectrum))")
        for key in stats.waveletVariances.keys.sorted() { print("wavelet \(key) variances: \(range(stats.waveletVariances[key]!))") }
        print("\(cached ? "cached statistics (unchanged)" : "statistics written"): \(output)")
    }
}
