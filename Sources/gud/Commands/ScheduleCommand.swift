import ArgumentParser
import Foundation
import GUD

/// `gud schedule`: tabulates and plots a schedule per component.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Write γ, σ, β and the true SNR of every component over t as CSV or JSON, and an SVG plot.",
        discussion: """
            The schedule comes from a run (--run) or from data, basis and schedule options. CSV has one row \
            per (t, component): t,component,label,gamma,sigma,beta,true_snr. The true SNR is Σᵢ e^{−γᵢ} with \
            Σᵢ the data variance in the diffusion coordinates (1 when whitened). The plot draws one line per \
            component (at most --max-lines, evenly spread over the labels), coloured by its ordering label.
            """)

    @Option(name: [.short, .customLong("run")], help: "Take data, basis and schedule from this run directory.")
    var runPath: String?

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Basis and prior") var space: SpaceOptions
    @OptionGroup(title: "Schedule") var schedule: ScheduleOptions

    @Option(help: "Times: this many points from 0 to 1.")
    var points = 101

    @Option(name: .shortAndLong, help: "Table output: .csv or .json.")
    var output: String = "schedule.csv"

    @Option(help: "SVG plot output (none if empty).")
    var plot: String = "schedule.svg"

    @Option(help: "The plotted quantity.")
    var quantity: Quantity = .gamma

    @Option(name: .customLong("max-lines"), help: "At most this many component lines in the plot.")
    var maxLines = 200

    enum Quantity: String, ExpressibleByArgument, CaseIterable {
        case gamma, sigma, beta, snr
    }

    func validate() throws {
        guard points >= 2 else { throw ValidationError("--points must be at least 2") }
        guard output.hasSuffix(".csv") || output.hasSuffix(".json") else { throw ValidationError("--output must end in .csv or .json") }
        if runPath != nil && !(data.isEmpty && space.isEmpty) {
            throw ValidationError("--run takes data and basis from the run; give only schedule options (e.g. --softness) with it")
        }
    }

    func run() throws {
        let setup: DiffusionSetup<Double>
        var scheduleConfig: ScheduleConfiguration
        if let runPath {
            let model = try TrainedModel<Float>(run: URL(fileURLWithPath: runPath))
            scheduleConfig = model.configuration.schedule
            schedule.apply(to: &scheduleConfig)
            setup = try DiffusionSetup(space: model.configuration.space, schedule: scheduleConfig, statistics: model.statistics)
        } else {
            var d = DataConfiguration(), s = SpaceConfiguration()
            scheduleConfig = ScheduleConfiguration()
            data.apply(to: &d)
            space.apply(to: &s)
            schedule.apply(to: &scheduleConfig)
            let dataset = try d.load(source: RandomSource(seed: 0).derived("data"), as: Double.self)
            setup = try DiffusionSetup(space: s, schedule: scheduleConfig, statistics: DatasetStatistics(of: dataset))
        }
        let sch = try setup.schedule()
        let d = setup.space.dimension
        let times = (0..<points).map { Double($0) / Double(points - 1) }
        let whitened = setup.spaceConfiguration.whitened
        let variances = whitened ? [Double](repeating: 1, count: d) : setup.componentVariances
        let labels = setup.labels ?? [Double](repeating: 0, count: d)
        // table[q][i][j]: quantity q of component i at time j.
        var table = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: points), count: d), count: 4)
        for (j, t) in times.enumerated() {
            let state = try evaluate(sch, t)
            let snr = try state.trueSNR(variances: variances)
            for i in 0..<d {
                let k = state.width == 1 ? 0 : i
                table[0][i][j] = state.gamma[flat: k]
                table[1][i][j] = state.sigma[flat: k]
                table[2][i][j] = state.beta[flat: k]
                table[3][i][j] = snr[flat: i]
            }
        }
        let outURL = URL(fileURLWithPath: output)
        if output.hasSuffix(".csv") {
            var lines = ["t,component,label,gamma,sigma,beta,true_snr"]
            for (j, t) in times.enumerated() {
                for i in 0..<d {
                    lines.append("\(t),\(i),\(labels[i]),\(table[0][i][j]),\(table[1][i][j]),\(table[2][i][j]),\(table[3][i][j])")
                }
            }
            try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: outURL)
        } else {
            let json: [String: Any] = [
                "t": times, "schedule": scheduleConfig.kind.rawValue, "space": setup.spaceConfiguration.kind.rawValue,
                "components": (0..<d).map { i in
                    ["index": i, "label": labels[i], "gamma": table[0][i], "sigma": table[1][i], "beta": table[2][i], "true_snr": table[3][i]] as [String: Any]
                },
            ]
            let bytes = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            try AtomicFile.write(bytes, to: outURL)
        }
        print("table: \(outURL.path) (\(d) components × \(points) times)")
        guard !plot.isEmpty else { return }
        let q = Quantity.allCases.firstIndex(of: quantity)!
        var svg = SVGPlot(
            title: "\(scheduleConfig.kind.rawValue) schedule in the \(setup.spaceConfiguration.kind.rawValue) basis",
            xLabel: "t", yLabel: quantity == .snr ? "log10 true SNR" : quantity.rawValue, colorLabel: "ordering label")
        let order = (0..<d).sorted { labels[$0] < labels[$1] }
        let shown = d <= maxLines ? order : (0..<maxLines).map { order[$0 * (d - 1) / Swift.max(maxLines - 1, 1)] }
        for i in shown {
            let y = quantity == .snr ? table[q][i].map { Foundation.log10($0) } : table[q][i]
            try svg.addLine(x: times, y: y, colorValue: labels[i])
        }
        try AtomicFile.write(svg.render(), to: URL(fileURLWithPath: plot))
        print("plot: \(plot) (\(shown.count) lines)")
    }

    private func evaluate(_ schedule: any GUD.Schedule<Double>, _ t: Double) throws -> NoisingState<Double> {
        try open(schedule, t)
    }

    private func open<Sch: GUD.Schedule>(_ schedule: Sch, _ t: Double) throws -> NoisingState<Double> where Sch.Scalar == Double {
        schedule(t)
    }
}
