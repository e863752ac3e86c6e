import Foundation

/// One measured case, in the JSON format shared by all benchmarks.
public struct BenchmarkCase: Codable, Sendable {
    public var name: String
    public var median_ms: Double
    public var min_ms: Double
    public var max_ms: Double
    public var runs: Int
    public var peak_rss_mb: Double
    /// Work rate where the case has a FLOP count.
    public var gflops: Double?
    /// Further measured values of the case (e.g. allocations per step, network evaluations,
    /// bits per dimension, a fitted exponent), by name.
    public var metrics: [String: Double]?

    /// Adds (or replaces) a named value in ``metrics``.
    public mutating func record(_ name: String, _ value: Double) {
        metrics = (metrics ?? [:]).merging([name: value]) { $1 }
    }
}

/// A benchmark run: the machine, the thread count, the same-run sgemm baseline, and the cases.
public struct BenchmarkReport: Codable, Sendable {
    public var machine: String
    public var threads: Int
    public var sgemm_gflops: Double
    public var cases: [BenchmarkCase]
    /// Fitted exponents of a sweep (log-log slopes of time against work), by sweep name; only
    /// benchmarks that sweep a size set them.
    public var exponents: [String: Double]?

    public init(threads: Int, sgemmGFLOPS: Double, cases: [BenchmarkCase] = []) {
        self.machine = Benchmark.machineDescription()
        self.threads = threads
        self.sgemm_gflops = sgemmGFLOPS
        self.cases = cases
    }

    /// Writes the report as pretty-printed JSON, atomically (temporary file, then rename).
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Prints the table and, when `path` is given, writes the JSON there.
    public func finish(json path: String?) throws {
        print(table())
        if let path {
            try write(to: path)
            print("wrote \(path)")
        }
    }

    /// The cases as an aligned text table, each case's metrics on an indented line below it.
    public func table() -> String {
        var lines = ["machine: \(machine)", String(format: "threads: %d   sgemm baseline (1024³, same run): %.1f GFLOP/s", threads, sgemm_gflops)]
        let w = max(24, cases.map(\.name.count).max() ?? 0)
        lines.append("case".padding(toLength: w, withPad: " ", startingAt: 0) + "   median ms      min ms      max ms  runs  peak MB   GFLOP/s")
        for c in cases {
            lines.append(
                c.name.padding(toLength: w, withPad: " ", startingAt: 0)
                    + String(format: "  %10.3f  %10.3f  %10.3f  %4d  %7.1f  %8@", c.median_ms, c.min_ms, c.max_ms, c.runs, c.peak_rss_mb,
                             c.gflops.map { String(format: "%.1f", $0) } ?? "–"))
            if let metrics = c.metrics, !metrics.isEmpty {
                lines.append("    " + metrics.sorted { $0.key < $1.key }.map { "\($0.key) = \(String(format: "%.4g", $0.value))" }.joined(separator: ", "))
            }
        }
        for (name, exponent) in (exponents ?? [:]).sorted(by: { $0.key < $1.key }) {
            lines.append(String(format: "exponent %@: %.2f", name, exponent))
        }
        return lines.joined(separator: "\n")
    }
}
