import Foundation
import Testing
@testable import GUD

/// The configuration files of the experiments (`experiments/configs/*.json`) parse, validate and
/// train: 5 steps each, with their basis, prior, schedule (family or not) and network, on the first
/// 64 bundled MNIST test images at batch 2 (the experiments themselves train on the MNIST training split).
@Suite(.serialized)
struct ExperimentConfigurationTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("experiments/configs")

    static var files: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test func everyExperimentHasAConfiguration() {
        #expect(Self.files.count == 8, "found \(Self.files.map(\.lastPathComponent))")
    }

    @Test(arguments: files)
    func configurationParsesAndTrainsFiveSteps(_ file: URL) throws {
        var c = try TrainingConfiguration.load(from: file)
        try c.validate()
        #expect(c.steps >= 500 && c.network.architecture == .unet && c.parameterization == .vPrediction)
        c.data = DataConfiguration(dataset: "mnist")
        c.data.limit = 64
        c.batchSize = 2
        c.steps = 5
        c.checkpointEvery = 5
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-experiment-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try Trainer<Float>(configuration: c, directory: dir, log: { _ in })
        let summary = try trainer.train()
        #expect(summary.finalStep == 5 && trainer.losses.allSatisfy { $0.loss.isFinite })
        #expect(trainer.network.conditioningKind == (c.schedule.isFamily ? .gamma(components: 784) : .time))
    }
}
