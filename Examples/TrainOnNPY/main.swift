// Trains a GUD model on your own images, stored as a NumPy `.npy` array.
//
//     swift run TrainOnNPY images.npy --output runs/mine --basis fourier --softness 1 --steps 2000
//
// The array holds (N, H, W) or (N, H, W, C) images, uint8 in [0, 255] or floats already in [−1, 1],
// or flat (N, D) / (N, D, C) images with --height and --width. The run directory receives
// config.json, statistics.safetensors, checkpoint.safetensors, losses.csv and data.png (the first
// images); sample from it with `gud sample --run DIR` or the SampleWithCustomSchedule example.
//
// This program only uses `import GUD`, as a package depending on GUD would.
import ArgumentParser
import Foundation
import GUD

@main
struct TrainOnNPY: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "TrainOnNPY",
        abstract: "Train a GUD ε-network on the images of a .npy file and write a run directory.")

    @Argument(help: "The .npy array of images.")
    var npy: String

    @Option(name: .shortAndLong, help: "The run directory (replaced if it exists).")
    var output: String

    @Option(help: "Image height and width, for flat (N, D) or (N, D, C) arrays.")
    var height: Int?
    @Option(help: "Image width, for flat arrays.")
    var width: Int?

    @Option(help: "The basis: pixel, pca, fourier, haar or daubechies4.")
    var basis = "fourier"
    @Flag(help: "Keep the prior N(0, I) instead of whitening by the data's component variances.")
    var unwhitened = false

    @Option(help: "Soft-conditioning softness s = 1/a (large: standard diffusion; small: autoregressive).")
    var softness = 1.0
    @Option(name: .customLong("a-range"), help: "Train a schedule family: a = 1/softness drawn per image in LO:HI (a γ-conditioned network).")
    var aRange: String?

    @Option(help: "The ε-network: unet or mlp.")
    var architecture = "unet"
    @Option(name: .customLong("base-channels"), help: "U-Net base channels.")
    var baseChannels = 8
    @Option(name: .customLong("hidden-widths"), help: "MLP hidden widths, e.g. 256,256.")
    var hiddenWidths = "256,256,256"

    @Option(help: "Optimisation steps.")
    var steps = 2000
    @Option(name: .customLong("batch-size"), help: "Images per step.")
    var batchSize = 64
    @Option(help: "Seed of every random choice of the run.")
    var seed: UInt64 = 0

    func run() throws {
        // 1. Read the images: (N, H·W, C) in [−1, 1]; fail early with a clear message.
        let url = URL(fileURLWithPath: npy)
        let dataset = try ImageDataset<Float>.npy(url, height: height, width: width)
        print("read \(dataset.count) images of \(dataset.height)×\(dataset.width)×\(dataset.channels) from \(npy)")

        // 2. Describe the run: data, basis and prior, schedule, network, size.
        var config = TrainingConfiguration()
        config.data = DataConfiguration(dataset: "npy")
        config.data.path = url.path
        config.data.height = height
        config.data.width = width
        guard let kind = SpaceConfiguration.Kind(rawValue: basis) else {
            throw ValidationError("unknown basis '\(basis)'; expected one of \(SpaceConfiguration.Kind.allCases.map(\.rawValue))")
        }
        config.space = SpaceConfiguration(kind: kind, whitened: !unwhitened)
        config.schedule = ScheduleConfiguration(kind: .softConditioning, softness: softness)
        if let aRange {
            let bounds = aRange.split(separator: ":").compactMap { Double($0) }
            guard bounds.count == 2 else { throw ValidationError("--a-range takes LO:HI, got '\(aRange)'") }
            config.schedule.aRange = bounds
        }
        guard let arch = NetworkConfiguration.Architecture(rawValue: architecture) else {
            throw ValidationError("unknown architecture '\(architecture)'; expected unet or mlp")
        }
        config.network = NetworkConfiguration(architecture: arch)
        config.network.baseChannels = baseChannels
        config.network.hiddenWidths = hiddenWidths.split(separator: ",").compactMap { Int($0) }
        config.steps = steps
        config.batchSize = min(batchSize, dataset.count)
        config.checkpointEvery = max(1, steps / 10)
        config.seed = seed

        // 3. Train. The trainer reads the data again through the configuration, so that the run
        //    directory alone (config.json) describes how to reproduce or resume it.
        let directory = URL(fileURLWithPath: output)
        let trainer = try Trainer<Float>(configuration: config, directory: directory, overwrite: true)
        print("network: \(trainer.network.parameterScalarCount) parameters, conditioned on \(trainer.setup.conditioning == .time ? "t" : "γ")")
        let summary = try trainer.train { record in
            if record.step % config.checkpointEvery == 0 { print("step \(record.step): loss \(record.loss)") }
        }
        print(String(format: "trained %d steps in %.1f s; mean loss of the last 100 steps %.4f", summary.steps, summary.seconds, summary.recentLoss))

        // 4. A picture of the training data beside the checkpoint (gray or RGB images).
        let first = try dataset.prefix(16)
        if [1, 3].contains(first.channels) {
            try ImageGrid.render(first.images, height: first.height, width: first.width)
                .write(to: trainer.run.url.appendingPathComponent("data.png"))
        }
        print("run directory: \(directory.path)")
    }
}
