import Foundation
import Testing
@testable import GUD

struct TrainingConfigurationTests {
    @Test func jsonRoundTripsExactly() throws {
        var c = TrainingConfiguration()
        c.space = SpaceConfiguration(kind: .haar, whitened: false, levels: 2)
        c.schedule = ScheduleConfiguration(kind: .waveletColumn, softness: 0.5)
        c.schedule.secondaryARange = [0.2, 0.8]
        c.schedule.gammaMin = -9
        c.network = .bigUNet
        c.data.limit = 100
        c.seed = 12345
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-config-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("config.json")
        try c.write(to: url)
        #expect(try TrainingConfiguration.load(from: url) == c)
    }

    @Test func missingKeysKeepDefaultsAndUnknownKeysFail() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-config-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.json")
        try AtomicFile.write(#"{"steps": 12, "schedule": {"softness": 2.5}}"#, to: url)
        let c = try TrainingConfiguration.load(from: url)
        #expect(c.steps == 12 && c.schedule.softness == 2.5 && c.batchSize == TrainingConfiguration().batchSize)
        try AtomicFile.write(#"{"stepz": 12}"#, to: url)
        #expect(throws: GUDError.malformedData("unknown configuration key 'stepz'; known keys here: batchSize, checkpointEvery, data, network, optimizer, parameterization, schedule, seed, space, steps, timeExponent")) {
            try TrainingConfiguration.load(from: url)
        }
        try AtomicFile.write(#"{"steps": "many"}"#, to: url)
        #expect(throws: GUDError.self) { try TrainingConfiguration.load(from: url) }
        try AtomicFile.write("{not json", to: url)
        #expect(throws: GUDError.self) { try TrainingConfiguration.load(from: url) }
    }

    @Test func impossibleCombinationsAreRejected() {
        var c = TrainingConfiguration()
        c.schedule = ScheduleConfiguration(kind: .waveletColumn)
        #expect(throws: GUDError.self) { try c.validate() }
        c = TrainingConfiguration()
        c.schedule.aRange = [1.5, 0.5]
        #expect(throws: GUDError.self) { try c.validate() }
        c = TrainingConfiguration()
        c.schedule = ScheduleConfiguration(kind: .linear)
        c.schedule.aRange = [0.5, 1]
        #expect(throws: GUDError.self) { try c.validate() }
        c = TrainingConfiguration()
        c.data.dataset = "cifar"
        #expect(throws: GUDError.self) { try c.validate() }
    }
}
