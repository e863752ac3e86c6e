import ArgumentParser
import Foundation
import GUD

/// `gud losses`: the training curves of runs as an SVG plot.
struct Losses: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plot the training loss of one or more runs (moving average over a window of steps) as SVG.",
        discussion: """
            Reads <run>/losses.csv of every --run; line k (coloured by k on the colour bar) is the k-th run, \
            listed on standard output with its last smoothed loss.
            """)

    @Option(name: [.short, .customLong("run")], help: "A run directory (repeat for several runs).")
    var runs: [String]

    @Option(help: "Moving-average window in steps.")
    var window = 100

    @Option(name: .shortAndLong, help: "The SVG file to write.")
    var output = "losses.svg"

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one --run") }
        guard window >= 1 else { throw ValidationError("--window must be positive") }
    }

    func run() throws {
        var plot = SVGPlot(title: "training loss, moving average over \(window) steps", xLabel: "step", yLabel: "loss", colorLabel: "run")
        for (k, run) in runs.enumerated() {
            let records = try LossLog.read(from: RunDirectory(URL(fileURLWithPath: run)).losses)
            guard !records.isEmpty else { throw GUDError.malformedData("\(run)/losses.csv holds no steps") }
            var sum = 0.0, smoothed = [Double]()
            for (i, r) in records.enumerated() {
                sum += r.loss
                if i >= window { sum -= records[i - window].loss }
                smoothed.append(sum / Double(Swift.min(i + 1, window)))
            }
            try plot.addLine(x: records.map { Double($0.step) }, y: smoothed, colorValue: Double(k))
            print(String(format: "%d: %@ (%d steps, last smoothed loss %.4f)", k, run, records.count, smoothed.last!))
        }
        try AtomicFile.write(plot.render(), to: URL(fileURLWithPath: output))
        print("plot: \(output)")
    }
}
