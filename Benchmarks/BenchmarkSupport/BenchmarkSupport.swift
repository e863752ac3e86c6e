import ArgumentParser
import Foundation
import GUD

/// Options shared by every benchmark executable.
public struct BenchmarkOptions: ParsableArguments {
    @Option(help: "Write the results as JSON to this path.")
    public var json: String?

    @Option(help: "Timed runs per case (after warm-up).")
    public var runs: Int = 30

    @Option(help: "Untimed warm-up runs per case.")
    public var warmup: Int = 3

    @Option(help: "OpenBLAS threads (default: all cores).")
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    public init() {}

    public func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive, got \(runs)") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be non-negative, got \(warmup)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
    }
}

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
}

/// A benchmark run: the machine, the thread count, the same-run sgemm baseline, and the cases.
public struct BenchmarkReport: Codable, Sendable {
    public var machine: String
    public var threads: Int
    public var sgemm_gflops: Double
    public var cases: [BenchmarkCase]

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

    /// The cases as an aligned text table.
    public func table() -> String {
        var lines = ["machine: \(machine)", String(format: "threads: %d   sgemm baseline (1024³, same run): %.1f GFLOP/s", threads, sgemm_gflops)]
        let w = max(24, cases.map(\.name.count).max() ?? 0)
        lines.append("case".padding(toLength: w, withPad: " ", startingAt: 0) + "   median ms      min ms      max ms  runs  peak MB   GFLOP/s")
        for c in cases {
            lines.append(
                c.name.padding(toLength: w, withPad: " ", startingAt: 0)
                    + String(format: "  %10.3f  %10.3f  %10.3f  %4d  %7.1f  %8@", c.median_ms, c.min_ms, c.max_ms, c.runs, c.peak_rss_mb,
                             c.gflops.map { String(format: "%.1f", $0) } ?? "–"))
        }
        return lines.joined(separator: "\n")
    }
}

/// Timing and machine utilities.
public enum Benchmark {
    /// Times `body` `runs` times after `warmup` untimed calls; returns milliseconds per run.
    public static func time(warmup: Int, runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
        for _ in 0..<warmup { try body() }
        var ms = [Double]()
        ms.reserveCapacity(runs)
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            ms.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        return ms
    }

    /// Measures a case: median, min and max of `runs` timed calls, and the process's peak RSS so far.
    public static func measure(
        _ name: String, warmup: Int, runs: Int, flops: Double? = nil, _ body: () throws -> Void
    ) rethrows -> BenchmarkCase {
        let ms = try time(warmup: warmup, runs: runs, body).sorted()
        let median = ms.count % 2 == 1 ? ms[ms.count / 2] : (ms[ms.count / 2 - 1] + ms[ms.count / 2]) / 2
        return BenchmarkCase(
            name: name, median_ms: median, min_ms: ms.first!, max_ms: ms.last!, runs: runs,
            peak_rss_mb: peakResidentMegabytes(), gflops: flops.map { $0 / (median / 1e3) / 1e9 })
    }

    /// The sgemm rate (GFLOP/s) of a square n×n×n product with the current OpenBLAS threads: best of `repeats`.
    public static func sgemmGFLOPS(n: Int = 1024, repeats: Int = 5) -> Double {
        let source = RandomSource(seed: 1)
        let a: Tensor<Float> = source.gaussian(shape: [n, n])
        let b: Tensor<Float> = source.gaussian(shape: [n, n])
        var c = [Float](repeating: 0, count: n * n)
        let ms = time(warmup: 1, runs: repeats) {
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BLAS.gemm(m: n, n: n, k: n, a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!)
                    }
                }
            }
        }
        return 2 * Double(n) * Double(n) * Double(n) / (ms.min()! / 1e3) / 1e9
    }

    /// The peak resident set size of this process in MB (`VmHWM` of /proc/self/status; 0 where unavailable).
    public static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }

    /// The CPU model and core count, e.g. "AMD EPYC 7B13 (2 cores)".
    public static func machineDescription() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let name = line.split(separator: ":", maxSplits: 1).last
        {
            return "\(name.trimmingCharacters(in: .whitespaces)) (\(cores) cores)"
        }
        return "unknown CPU (\(cores) cores)"
    }
}
