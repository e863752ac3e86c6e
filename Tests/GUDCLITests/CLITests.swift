import Foundation
import Testing
import GUD
import ProcessSupport

/// Runs the built `gud` executable and checks its output and exit status.
@Suite(.serialized)
struct CLITests {
    static let gud = BuiltExecutable("gud")

    static func run(_ arguments: [String]) throws -> BuiltExecutable.Result { try gud.run(arguments) }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gud-cli-\(UUID())")
    }

    /// Fails with one `error:` line containing `fragment` and a non-zero status.
    func expectFailure(_ arguments: [String], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try Self.run(arguments)
        #expect(r.status != 0, "\(arguments) succeeded", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func badCommandLinesGiveOneLineAndNonZeroStatus() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try expectFailure(["train", "-o", dir.path, "--steps", "0"], "steps must be positive")
        try expectFailure(["train", "-o", dir.path, "--space", "hexagonal"], "hexagonal")
        try expectFailure(["train", "-o", dir.path, "--bogus"], "--bogus")
        try expectFailure(["train", "-o", dir.path, "--resume", "--steps", "5"], "--resume takes the configuration")
        try expectFailure(["train", "-o", dir.path, "--schedule", "wavelet-column"], "needs a wavelet space")
        try expectFailure(["train", "-o", dir.path, "--a-range", "2:1"], "a range")
        try expectFailure(["train", "-o", dir.path, "--dataset", "idx", "--data-path", dir.appendingPathComponent("none.idx").path], "no such file")
        try expectFailure(["sample", "--run", dir.appendingPathComponent("missing").path], "is not a trained run")
        try expectFailure(["likelihood", "--run", dir.path, "--probes", "1"], "--probes must be at least 2")
        try expectFailure(["schedule", "--points", "1"], "--points must be at least 2")
        try expectFailure(["extend", "--run", dir.path], "--width")
        try expectFailure(["losses", "--run", dir.appendingPathComponent("missing").path], "missing")
        try expectFailure(["quality", "--samples", dir.appendingPathComponent("none.npy").path], "none.npy")
        try expectFailure(["likelihood", "--run", dir.path, "--softness", "0"], "softness must be positive")
        // Malformed files.
        let bad = dir.appendingPathComponent("bad.json")
        try AtomicFile.write("{\"steps\": \"many\"}", to: bad)
        try expectFailure(["train", "-o", dir.path, "--config", bad.path], "'steps' should be")
        let npy = dir.appendingPathComponent("bad.npy")
        try AtomicFile.write("not an array", to: npy)
        try expectFailure(["stats", "--dataset", "npy", "--data-path", npy.path, "-o", dir.appendingPathComponent("s").path], "magic")
    }

    @Test func helpListsEnumValuesAndSucceeds() throws {
        let r = try Self.run(["train", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("pixel") && r.stdout.contains("daubechies4") && r.stdout.contains("soft-conditioning"))
    }

    @Test func trainSampleAndInspectATinyRun() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = dir.appendingPathComponent("run").path
        let train = try Self.run([
            "train", "-o", run, "--dataset", "digits", "--architecture", "mlp", "--hidden-widths", "32,32",
            "--steps", "4", "--batch-size", "16", "--checkpoint-every", "2", "--seed", "3",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("seed: 3"))
        let sample = try Self.run(["sample", "--run", run, "--count", "3", "--steps", "5", "--trajectory", "1,0.5,0"])
        #expect(sample.status == 0, "\(sample.stderr)")
        for file in ["samples.png", "samples.npy", "samples-trajectory.png"] {
            #expect(FileManager.default.fileExists(atPath: "\(run)/\(file)"), "\(file)")
        }
        let npy = try NPYFile(contentsOf: URL(fileURLWithPath: "\(run)/samples.npy"))
        #expect(npy.shape == [3, 8, 8] && npy.tensor(as: Float.self).isFinite)
        let schedule = try Self.run(["schedule", "--run", run, "-o", dir.appendingPathComponent("s.json").path, "--plot", dir.appendingPathComponent("s.svg").path, "--points", "5"])
        #expect(schedule.status == 0, "\(schedule.stderr)")
        let json = try JSONSerialization.jsonObject(with: AtomicFile.read(dir.appendingPathComponent("s.json"))) as? [String: Any]
        #expect((json?["components"] as? [Any])?.count == 64)
        let resume = try Self.run(["train", "--resume", "-o", run])
        #expect(resume.status == 0 && resume.stdout.contains("trained 0 steps"), "\(resume.stdout) \(resume.stderr)")
        let noise = try Self.run(["noise", "--dataset", "digits", "--images", "2", "--paper-figure", "-o", dir.appendingPathComponent("n.png").path])
        #expect(noise.status == 0, "\(noise.stderr)")
        let losses = try Self.run(["losses", "--run", run, "--window", "2", "-o", dir.appendingPathComponent("l.svg").path])
        #expect(losses.status == 0 && losses.stdout.contains("4 steps"), "\(losses.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("l.svg"), encoding: .utf8).contains("<polyline"))
        let likelihoodJSON = dir.appendingPathComponent("nll.json")
        let likelihood = try Self.run([
            "likelihood", "--run", run, "--count", "2", "--batch-size", "2", "--tolerance", "1e-2", "--softness", "2",
            "--json", likelihoodJSON.path,
        ])
        #expect(likelihood.status == 0, "\(likelihood.stderr)")
        let nll = try JSONSerialization.jsonObject(with: AtomicFile.read(likelihoodJSON)) as? [String: Any]
        #expect((nll?["bits_per_dim"] as? Double)?.isFinite == true && nll?["softness"] as? Double == 2 && nll?["images"] as? Int == 2)
        #expect((nll?["per_image"] as? [Double])?.count == 2)
        // The quality metric takes 28×28 images only: 8×8 samples are refused with the expected shape.
        try expectFailure(["quality", "--samples", "\(run)/samples.npy"], "expected at least two 28×28 images")
    }

    @Test func qualityOfRealImagesIsReportedAsJSON() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let images = try ImageDataset<Float>.bundled(.mnist).prefix(32).images
        let npy = dir.appendingPathComponent("real.npy"), json = dir.appendingPathComponent("q.json")
        try NPYFile(images.reshaped([32, 28, 28])).write(to: npy)
        let r = try Self.run(["quality", "--samples", npy.path, "--bootstrap", "2", "--json", json.path])
        #expect(r.status == 0, "\(r.stderr)")
        let q = try JSONSerialization.jsonObject(with: AtomicFile.read(json)) as? [String: Any]
        #expect(q?["sample_count"] as? Int == 32 && q?["reference_count"] as? Int == 10000)
        #expect((q?["frechet_distance"] as? Double).map { $0 > 0 && $0 < 200 } == true)
    }
}
