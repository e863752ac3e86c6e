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

    /// Sets GUD's worker and OpenBLAS thread counts to `threads` — call it before anything else runs:
    /// the worker count is read once — and measures the sgemm baseline: this process's empty report.
    public func startReport() -> BenchmarkReport {
        setenv("GUD_NUM_THREADS", String(threads), 1)
        BLAS.setThreadCount(threads)
        return BenchmarkReport(threads: threads, sgemmGFLOPS: Benchmark.sgemmGFLOPS())
    }

    public func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive, got \(runs)") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be non-negative, got \(warmup)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
    }
}
