import Foundation
import Testing
import GUD
import ProcessSupport

/// Runs the example programs of `Examples/` (built by `swift test`: this target depends on them) at a
/// tiny size: TrainOnNPY on the bundled 8×8 digits written as a uint8 `.npy` array, then
/// SampleWithCustomSchedule on its run with both custom schedules and both samplers.
@Suite(.serialized)
struct ExamplesTests {
    static func run(_ name: String, _ arguments: [String]) throws -> BuiltExecutable.Result {
        try BuiltExecutable(name).run(arguments)
    }

    /// The first `count` bundled digits as a uint8 array (count, 8, 8): a user's image file.
    static func writeDigits(count: Int, to url: URL) throws {
        let digits = try ImageDataset<Float>.bundled(.digits).prefix(count)
        let bytes = digits.images.scalars.map { UInt8(((Double($0) + 1) / 2 * 255).rounded()) }
        try NPYFile(shape: [count, 8, 8], bytes: bytes).write(to: url)
    }

    static func isPNG(_ url: URL) throws -> Bool {
        try AtomicFile.read(url).prefix(8) == Foundation.Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func trainOnNPYThenSampleWithCustomSchedules() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-examples-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let npy = dir.appendingPathComponent("digits.npy")
        try Self.writeDigits(count: 128, to: npy)
        let run = dir.appendingPathComponent("run")

        // A γ-conditioned MLP trained on a family of soft-conditioning schedules, 4 steps.
        let train = try Self.run("TrainOnNPY", [
            npy.path, "--output", run.path, "--architecture", "mlp", "--hidden-widths", "32,32",
            "--a-range", "0.5:2", "--steps", "4", "--batch-size", "16", "--seed", "1",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("read 128 images of 8×8×1") && train.stdout.contains("conditioned on γ"), "\(train.stdout)")
        for file in ["config.json", "statistics.safetensors", "checkpoint.safetensors", "losses.csv", "data.png"] {
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), "\(file)")
        }

        // Soft conditioning at a softness outside the training range, reversed order, Euler–Maruyama.
        let soft = dir.appendingPathComponent("soft.png")
        let a = try Self.run("SampleWithCustomSchedule", [
            "--run", run.path, "--softness", "0.25", "--reverse", "--steps", "5", "--count", "4", "--output", soft.path,
        ])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("5 euler-maruyama steps") && !a.stdout.contains("note:"), "\(a.stdout)")
        #expect(try Self.isPNG(soft))

        // A user γ(t) (GammaSchedule) with Heun's method: two network calls per step.
        let quadratic = dir.appendingPathComponent("quadratic.png")
        let b = try Self.run("SampleWithCustomSchedule", [
            "--run", run.path, "--schedule", "quadratic", "--sampler", "heun", "--steps", "5", "--count", "3",
            "--output", quadratic.path,
        ])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("5 heun steps, 10 network calls"), "\(b.stdout)")
        #expect(try Self.isPNG(quadratic))

        // Bad input: one error line and a non-zero status.
        let bad = try Self.run("SampleWithCustomSchedule", ["--run", run.path, "--schedule", "zigzag"])
        #expect(bad.status != 0 && bad.stderr.contains("zigzag"), "\(bad.stderr)")
    }
}
