import Foundation
import Testing
import GUD

/// The code of the DocC walk-through (`Sources/GUD/GUD.docc/Walkthrough.md`), compiled and run at a
/// tiny size: the same statements, with 4 training steps instead of 2000, 5 sampler steps instead of
/// 100 and 50, and a temporary run directory. Keep the two in step.
@Suite(.serialized)
struct WalkthroughTests {
    @Test func trainsAndSamplesFromSwift() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("gud-walkthrough-\(UUID())")
        defer { try? FileManager.default.removeItem(at: run) }

        // 1. Describe the run: data, basis and prior, schedule, network, size.
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(dataset: "digits")            // the bundled 8×8 digits
        configuration.space = SpaceConfiguration(kind: .fourier, whitened: true)
        configuration.schedule = ScheduleConfiguration(kind: .softConditioning, softness: 1)
        configuration.network = NetworkConfiguration(architecture: .mlp)
        configuration.network.hiddenWidths = [128, 128]
        configuration.batchSize = 32
        configuration.steps = 4

        // 2. Train; the run directory receives config.json, the statistics, the checkpoint, the losses.
        let trainer = try Trainer<Float>(configuration: configuration, directory: run, overwrite: true)
        let summary = try trainer.train()
        print("mean loss of the last 100 steps: \(summary.recentLoss)")

        // 3. Load the run (EMA weights) and sample with its own schedule: 16 images (16, 64, 1).
        let trained = try TrainedModel<Float>(run: run)
        let (images, _) = try trained.sample(count: 16, steps: 5, source: RandomSource(seed: 0))

        // 4. Or call a sampler yourself: the probability-flow ODE with Heun's method.
        let setup = trained.setup
        let result = try sampleHeun(
            model: try trained.model(), schedule: try setup.schedule(), space: setup.space,
            start: .noise(count: 16), source: RandomSource(seed: 1), stepSize: 0.2)
        let odeImages = try setup.decode(result.samples.compWhite)           // compWhite → images

        // 5. Save both as grids of 4 × 4 images.
        try ImageGrid.render(images, height: setup.height, width: setup.width)
            .write(to: run.appendingPathComponent("sde.png"))
        try ImageGrid.render(odeImages, height: setup.height, width: setup.width)
            .write(to: run.appendingPathComponent("ode.png"))

        #expect(summary.finalStep == 4 && images.shape == [16, 64, 1] && odeImages.shape == [16, 64, 1])
        #expect(images.isFinite && odeImages.isFinite && result.steps == 5)
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("ode.png").path))
    }
}
