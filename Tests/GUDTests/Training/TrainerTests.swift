import Foundation
import Testing
@testable import GUD

/// End-to-end training on the bundled 8×8 digits with a small MLP (seconds in debug builds; the
/// U-Net path is exercised by a few steps in `familyTrainingUsesGammaConditioning`).
@Suite(.serialized)
struct TrainerTests {
    static func configuration(steps: Int, architecture: NetworkConfiguration.Architecture = .mlp) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.data = DataConfiguration(dataset: "digits")
        c.network.architecture = architecture
        c.network.baseChannels = 4
        c.network.hiddenWidths = [128, 128]
        c.network.embeddingDimension = 32
        c.batchSize = 32
        c.steps = steps
        c.checkpointEvery = 50
        c.optimizer.learningRate = 2e-3
        c.optimizer.warmupSteps = 10
        c.optimizer.emaHalfLife = 20
        c.seed = 7
        return c
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gud-train-\(UUID())")
    }

    @Test func trainsSamplesAndEvaluatesLikelihood() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try Trainer<Float>(configuration: Self.configuration(steps: 200), directory: dir, log: { _ in })
        let summary = try trainer.train()
        #expect(summary.finalStep == 200 && !summary.stoppedEarly)
        // The loss decreases: the last 50 steps average well below the first 50.
        let first = trainer.losses.prefix(50).map(\.loss).reduce(0, +) / 50
        let last = trainer.losses.suffix(50).map(\.loss).reduce(0, +) / 50
        #expect(last < 0.8 * first, "first \(first), last \(last)")
        #expect(trainer.run.hasCheckpoint)
        #expect(try LossLog.read(from: trainer.run.losses).count == 200)

        let model = try TrainedModel<Float>(run: dir)
        #expect(model.step == 200 && model.usesEMA)
        let (images, trajectory) = try model.sample(count: 5, steps: 20, source: RandomSource(seed: 1), saveTimes: [1, 0.5, 0])
        #expect(images.shape == [5, 64, 1] && images.isFinite)
        #expect(trajectory.count == 3)
        let report = try LikelihoodEvaluation.bitsPerDimension(
            model: model, images: try ImageDataset<Float>.bundled(.digits).prefix(4).images, levels: 17,
            probes: 2, tolerance: 1e-3, source: RandomSource(seed: 2))
        #expect(report.mean.isFinite && report.perImage.count == 4 && report.hutchinsonStandardError != nil)
    }

    @Test func resumingGivesTheSameLossesAndWeights() throws {
        let straight = Self.temporaryDirectory(), split = Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: split)
        }
        let a = try Trainer<Float>(configuration: Self.configuration(steps: 40), directory: straight, log: { _ in })
        _ = try a.train()
        let b = try Trainer<Float>(configuration: Self.configuration(steps: 40), directory: split, log: { _ in })
        _ = try b.train(untilStep: 20)
        let resumed = try Trainer<Float>(resuming: split, log: { _ in })
        #expect(resumed.step == 20)
        _ = try resumed.train()
        #expect(a.losses.map(\.loss) == resumed.losses.map(\.loss))
        #expect(a.network.parameters.namedValues() == resumed.network.parameters.namedValues())
        #expect(a.ema.namedValues() == resumed.ema.namedValues())
    }

    @Test func familyTrainingUsesGammaConditioning() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = Self.configuration(steps: 3, architecture: .unet)
        c.schedule.aRange = [0.5, 1.5]
        let trainer = try Trainer<Float>(configuration: c, directory: dir, log: { _ in })
        #expect(trainer.network.conditioningKind == .gamma(components: 64))
        _ = try trainer.train()
        let model = try TrainedModel<Float>(run: dir)
        let (x, _) = try model.sample(count: 2, steps: 5, source: RandomSource(seed: 0), softness: 0.7)
        #expect(x.isFinite)
    }

    @Test func badRunsAreRejected() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = Self.configuration(steps: 2)
        c.batchSize = 5000
        #expect(throws: GUDError.self) { try Trainer<Float>(configuration: c, directory: dir, log: { _ in }) }
        c = Self.configuration(steps: 2)
        _ = try Trainer<Float>(configuration: c, directory: dir, log: { _ in }).train()
        // A second run into the same directory needs overwrite; a changed config.json blocks resuming.
        #expect(throws: GUDError.self) { try Trainer<Float>(configuration: c, directory: dir, log: { _ in }) }
        var changed = c
        changed.seed = 99
        try changed.write(to: RunDirectory(dir).configuration)
        #expect(throws: GUDError.self) { try Trainer<Float>(resuming: dir, log: { _ in }) }
        #expect(throws: GUDError.self) { try TrainedModel<Float>(run: dir.appendingPathComponent("missing")) }
    }
}
