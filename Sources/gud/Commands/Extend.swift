import ArgumentParser
import Foundation
import GUD

/// `gud extend`: wider images from a column-wise run.
struct Extend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate images wider than the training width with a column-wise run, by shifting a window and regenerating its new columns conditioned on the known ones.",
        discussion: "The run must use the pixel basis and a schedule that generates columns left to right (e.g. --schedule column).")

    @Option(name: [.short, .customLong("run")], help: "The run directory (pixel basis, column schedule).")
    var runPath: String

    @Option(help: "The width of the generated images (pixels).")
    var width: Int

    @Option(help: "New columns per window shift (default: a quarter of the training width).")
    var shift: Int?

    @Option(name: .shortAndLong, help: "Images to generate.")
    var count = 4

    @Option(help: "Euler–Maruyama steps per window.")
    var steps = 100

    @Option(help: "Seed.")
    var seed: UInt64 = 0

    @Option(name: .shortAndLong, help: "Output prefix (default: <run>/extended): writes .png and .npy.")
    var output: String?

    func validate() throws {
        guard count >= 1, steps >= 1 else { throw ValidationError("--count and --steps must be positive") }
    }

    func run() throws {
        let model = try TrainedModel<Float>(run: URL(fileURLWithPath: runPath))
        let setup = model.setup
        print("run: \(runPath) (step \(model.step)); seed: \(seed)")
        let line = ProgressLine(total: 0, label: "window")
        let images = try extend(model: model, schedule: setup.schedule()) { line.update(step: $0) }
        line.finish()
        let prefix = URL(fileURLWithPath: output ?? (runPath as NSString).appendingPathComponent("extended"))
        let files = try ImageOutput.write(images, height: setup.height, width: width, prefix: prefix, columns: 1)
        print("extended \(count) images from width \(setup.width) to \(width): \(files.png.path)")
        print("array: \(files.npy.path)")
    }

    private func extend<Sch: GUD.Schedule>(
        model: TrainedModel<Float>, schedule: Sch, progress: @escaping (Int) -> Void
    ) throws -> Tensor<Float> where Sch.Scalar == Float {
        try ImageExtension.extend(
            model: try model.model(), schedule: schedule, setup: model.setup, count: count, targetWidth: width,
            shift: shift, source: RandomSource(seed: seed), steps: steps) { done, _ in progress(done) }
    }
}
