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
        var reports: [BenchmarkReport] = []
        for file in files {
            let report = try JSONDecoder().decode(BenchmarkReport.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
            reports.append(report)
            machines.insert("\(report.machine), \(report.threads) threads")
            for result in report.cases {
                if byCase[result.name] == nil { order.append(result.name) }
                byCase[result.name, default: []].append((report, result))
            }
        }
        print("machines: \(machines.sorted().joined(separator: "; "))   reports: \(files.count)")
        let w = max(30, order.map(\.count).max() ?? 0)
        print(Self.columns(["case", "runs", "median ms (over runs)", "fastest ms", "sgemm GFLOP/s", "peak MB", "reference ms", "speed-up"], w))
        for name in order {
            let entries = byCase[name]!
            let medians = entries.map(\.result.median_ms), baselines = entries.map(\.report.sgemm_gflops)
            var fields = [
                name, "\(entries.count)", Self.range(medians, "%.3f"), String(format: "%.3f", entries.map(\.result.min_ms).min()!),
                Self.range(baselines, "%.0f"), String(format: "%.1f", entries.map(\.result.peak_rss_mb).max()!),
            ]
            if let ref = Self.reference[name] {
                fields += [Self.range([ref.low, ref.high], "%.1f"), Self.range([ref.low / medians.max()!, ref.high / medians.min()!], "%.1f×")]
            }
            print(Self.columns(fields, w))
        }
        var exponents: [String: [Double]] = [:]
        for report in reports {
            for (name, value) in report.exponents ?? [:] { exponents[name, default: []].append(value) }
        }
        for (name, values) in exponents.sorted(by: { $0.key < $1.key }) {
            print("exponent \(name): \(Self.range(values, "%.2f"))")
        }
    }

    /// Fields padded to fixed widths: the first to `first`, the others to their headings' widths.
    static func columns(_ fields: [String], _ first: Int) -> String {
        let widths = [first, 4, 24, 10, 13, 7, 14, 10]
        let line = zip(fields, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "  ")
        return String(line.reversed().drop(while: { $0 == " " }).reversed())
    }

    /// "a–b" (or "a" when equal) of the smallest and largest value.
    static func range(_ values: [Double], _ format: String) -> String {
        let (lo, hi) = (String(format: format, values.min()!), String(format: format, values.max()!))
        return lo == hi ? lo : "\(lo)–\(hi)"
    }
}
