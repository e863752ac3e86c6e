import ArgumentParser
import BenchmarkSupport
import Foundation

/// Reads the JSON reports of one or more suite runs (`scripts/bench.sh`) and prints one line per
/// case: the range of its medians over the runs, its fastest single run, the range of the same-run
/// sgemm baselines, and the JAX reference's figure with the speed-up where there is one.
@main
struct BenchmarkSummary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-summary",
        abstract: "Summarise the JSON reports of one or more benchmark runs next to the reference's figures.")

    @Argument(help: "Directories holding the JSON reports of one run each (or report files).")
    var paths: [String]

    /// The reference's medians on 2 cores (shared/reference/bench-reference.json, run "run"):
    /// low = the pure-JAX variant, high = the Flax NNX variant (for sampling: the manual loop and
    /// the diffrax sampler), in ms.
    static let reference: [String: (low: Double, high: Double)] = [
        "unet_small_train_b64": (240.4, 252.7),
        "unet_big_train_b64": (736.2, 790.2),
        "mlp_train_b256_d64": (5.74, 13.5),
        "unet_small_forward_b16": (16.2, 30.0),
        "sample_unet_small_16x100": (1478, 1550),
    ]

    func run() throws {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or directory: \(path)")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
                files += names.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        var byCase: [String: [(report: BenchmarkReport, result: BenchmarkCase)]] = [:]
        var order: [String] = []
        var machines = Set<String>()
        for file in files {
            let report = try JSONDecoder().decode(BenchmarkReport.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
            machines.insert("\(report.machine), \(report.threads) threads")
            for result in report.cases {
                if byCase[result.name] == nil { order.append(result.name) }
                byCase[result.name, default: []].append((report, result))
            }
        }
        print("machines: \(machines.sorted().joined(separator: "; "))   reports: \(files.count)")
        let w = max(30, order.map(\.count).max() ?? 0)
        print("case".padding(toLength: w, withPad: " ", startingAt: 0)
              + "  runs  median ms (range over runs)   fastest ms   sgemm GFLOP/s   peak MB   reference ms      speed-up")
        for name in order {
            let entries = byCase[name]!
            let medians = entries.map(\.result.median_ms), baselines = entries.map(\.report.sgemm_gflops)
            var line = name.padding(toLength: w, withPad: " ", startingAt: 0)
            line += String(format: "  %4d  %-28@  %10.3f   %-14@  %7.1f", entries.count, Self.range(medians, "%.3f") as NSString,
                           entries.map(\.result.min_ms).min()!, Self.range(baselines, "%.0f") as NSString,
                           entries.map(\.result.peak_rss_mb).max()!)
            if let ref = Self.reference[name] {
                line += String(format: "   %-14@  %@", Self.range([ref.low, ref.high], "%.1f") as NSString,
                               Self.range([ref.low / medians.max()!, ref.high / medians.min()!], "%.1f×") as NSString)
            }
            print(line)
        }
    }

    /// "a–b" (or "a" when equal) of the smallest and largest value.
    static func range(_ values: [Double], _ format: String) -> String {
        let (lo, hi) = (String(format: format, values.min()!), String(format: format, values.max()!))
        return lo == hi ? lo : "\(lo)–\(hi)"
    }
}
