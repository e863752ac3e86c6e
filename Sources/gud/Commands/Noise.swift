import ArgumentParser
import Foundation
import GUD

/// `gud noise`: pictures of the forward process on real images.
struct Noise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the forward (noising) process of real images: rows of images, columns at chosen times, decoded to data space.",
        discussion: """
            With --paper-figure the picture stacks four processes, as the paper's Figure 4 (one block of \
            rows each, top to bottom): standard diffusion (pixel basis, linear γ), variance-matched (whitened \
            Fourier basis, variance-ordered soft conditioning, softness 1), column-wise (pixel basis, column \
            schedule), and wavelet + column (whitened Haar basis, level × column soft conditioning). \
            Otherwise the basis and schedule options choose one process.
            """)

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Basis and prior") var space: SpaceOptions
    @OptionGroup(title: "Schedule") var schedule: ScheduleOptions

    @Option(help: "Images per process (the first ones of the data set).")
    var images = 4

    @Option(help: "Times of the columns.")
    var times = NumberList(argument: "0,0.2,0.4,0.5,0.6,0.7,0.8,0.9,1")!

    @Option(help: "Seed of the noise.")
    var seed: UInt64 = 0

    @Flag(name: .customLong("paper-figure"), help: "Compare the four processes of the paper's Figure 4.")
    var paperFigure = false

    @Option(name: .shortAndLong, help: "The PNG to write.")
    var output = "noising.png"

    func validate() throws {
        guard images >= 1 else { throw ValidationError("--images must be positive") }
        guard times.values.allSatisfy({ (0...1).contains($0) }) else { throw ValidationError("--times must lie in [0, 1]") }
        if paperFigure && !(space.isEmpty && schedule.isEmpty) {
            throw ValidationError("--paper-figure fixes the bases and schedules; give only data options with it")
        }
    }

    /// The processes to draw: (name, basis, schedule).
    func processes() -> [(String, SpaceConfiguration, ScheduleConfiguration)] {
        guard paperFigure else {
            var s = SpaceConfiguration(), c = ScheduleConfiguration()
            space.apply(to: &s)
            schedule.apply(to: &c)
            return [("\(s.kind.rawValue)/\(c.kind.rawValue)", s, c)]
        }
        var column = ScheduleConfiguration(kind: .column, softness: 2)
        column.gammaMin = -10
        var wavelet = ScheduleConfiguration(kind: .waveletColumn, softness: 0.5)
        wavelet.secondarySoftness = 4
        return [
            ("standard", SpaceConfiguration(kind: .pixel, whitened: false), ScheduleConfiguration(kind: .linear)),
            ("variance-matched", SpaceConfiguration(kind: .fourier), ScheduleConfiguration(kind: .softConditioning, softness: 1)),
            ("column-wise", SpaceConfiguration(kind: .pixel, whitened: false), column),
            ("wavelet + column", SpaceConfiguration(kind: .haar), wavelet),
        ]
    }

    func run() throws {
        var d = DataConfiguration()
        data.apply(to: &d)
        let dataset = try d.load(source: RandomSource(seed: seed).derived("data"), as: Float.self)
        let stats = try DatasetStatistics(of: dataset)
        let picked = try dataset.prefix(images)
        let ts = times.values.map { Float($0) }
        var rows = [[Tensor<Float>]]()
        print("seed: \(seed); columns: t = \(times.values.map { String($0) }.joined(separator: ", "))")
        for (name, s, c) in processes() {
            let setup = try DiffusionSetup<Float>(space: s, schedule: c, statistics: stats)
            rows += try draw(setup: setup, schedule: setup.schedule(), images: picked.images, times: ts)
            print("rows \(rows.count - picked.count + 1)–\(rows.count): \(name)")
        }
        try ImageOutput.grid(rows: rows, height: dataset.height, width: dataset.width, to: URL(fileURLWithPath: output))
        print("picture: \(output)")
    }

    private func draw<Sch: GUD.Schedule>(
        setup: DiffusionSetup<Float>, schedule: Sch, images: Tensor<Float>, times: [Float]
    ) throws -> [[Tensor<Float>]] where Sch.Scalar == Float {
        try ForwardNoising.rows(images: images, setup: setup, schedule: schedule, times: times, source: RandomSource(seed: seed))
    }
}
