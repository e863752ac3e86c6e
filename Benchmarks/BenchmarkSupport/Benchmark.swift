import Foundation
import GUD

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
