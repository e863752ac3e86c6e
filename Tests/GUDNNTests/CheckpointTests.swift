import Foundation
import GUDNN
import Testing

/// Checkpoints: bit-exact round trips, resuming training, and rejection of every kind of corrupt file.
@Suite struct CheckpointTests {
    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gudnn-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// A small network, Adam and EMA after two training steps.
    static func trained() throws -> (UNet<Float>, Adam<Float>, ExponentialMovingAverage<Float>) {
        let net = try UNet<Float>(NetworkTests.tinyUNetConfiguration(), source: RandomSource(seed: 1))
        let adam = try Adam(parameters: net.parameters)
        let ema = try ExponentialMovingAverage(parameters: net.parameters, halfLife: 5)
        let x: Tensor<Float> = TestSupport.uniform([2, 48, 1], seed: 2)
        for step in 0..<2 {
            _ = try net.lossAndGradients(x: x, conditioning: .time(Tensor([0.3, 0.6])), target: x, dropoutSource: RandomSource(seed: UInt64(step)))
            try adam.update(net.parameters, learningRate: 1e-3)
            try ema.update(from: net.parameters)
        }
        return (net, adam, ema)
    }

    @Test func roundTripIsBitExact() throws {
        let (net, adam, ema) = try Self.trained()
        let path = Self.temporaryPath("roundtrip.safetensors")
        let saved = try net.checkpoint(ema: ema, optimizer: adam, metadata: ["training.step": "2", "note": "quote \" and \\ and\nnewline"])
        try saved.write(to: path)
        let loaded = try Checkpoint<Float>.read(from: path)
        #expect(loaded == saved.withFormatMarker())
        #expect(loaded.metadata["note"] == "quote \" and \\ and\nnewline")
        #expect(Set(try SafeTensorsFile(contentsOf: path).entries.map { $0.name.split(separator: ".").first! }) == ["model", "ema", "optimizer"])

        let copy = try UNet<Float>.restored(from: loaded)
        #expect(copy.parameters.namedValues() == net.parameters.namedValues())
        let x0: Tensor<Float> = TestSupport.uniform([2, 48, 1], seed: 4)
        let anyNetwork = try loaded.makeNetwork()
        #expect(try anyNetwork.predict(x: x0, conditioning: .time(Tensor([0.2, 0.4]))) == net.predict(x: x0, conditioning: .time(Tensor([0.2, 0.4]))))
        let mlp = try MLP<Float>(MLPConfiguration(space: 3), source: RandomSource(seed: 2))
        #expect(try mlp.checkpoint().withFormatMarker().makeNetwork().parameters.namedValues() == mlp.parameters.namedValues())
        // Restoring into fresh objects resumes training bit-exactly.
        let net2 = try UNet<Float>(NetworkTests.tinyUNetConfiguration(), source: RandomSource(seed: 9))
        let adam2 = try Adam(parameters: net2.parameters)
        let ema2 = try ExponentialMovingAverage(parameters: net2.parameters, halfLife: 5)
        try net2.restore(from: loaded, ema: ema2, optimizer: adam2)
        let x: Tensor<Float> = TestSupport.uniform([2, 48, 1], seed: 3)
        for (n, a, e) in [(net, adam, ema), (net2, adam2, ema2)] {
            _ = try n.lossAndGradients(x: x, conditioning: .time(Tensor([0.1, 0.9])), target: x, dropoutSource: RandomSource(seed: 7))
            try a.update(n.parameters, learningRate: 1e-3)
            try e.update(from: n.parameters)
        }
        #expect(net2.parameters.namedValues() == net.parameters.namedValues())
        #expect(ema2.namedValues() == ema.namedValues())
        #expect(adam2.exportState() == adam.exportState())
    }

    @Test func writesAreAtomic() throws {
        let (net, _, _) = try Self.trained()
        let path = Self.temporaryPath("atomic.safetensors")
        try net.checkpoint().write(to: path)
        try net.checkpoint(metadata: ["second": "yes"]).write(to: path)
        #expect(try Checkpoint<Float>.read(from: path).metadata["second"] == "yes")
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.contains(".tmp-") })
    }

    /// A valid file's bytes and its header as text.
    static func validFile() throws -> (bytes: [UInt8], header: String) {
        var f = SafeTensorsFile(metadata: ["gud.format": "gud-nn-checkpoint-1"])
        f.append("model.a", try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        f.append("model.b", Tensor<Float>([7, 8]))
        let bytes = try f.serialized()
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        return (bytes, String(decoding: bytes[8..<(8 + n)], as: UTF8.self))
    }

    /// The file with its header replaced by `header` (data unchanged).
    static func withHeader(_ header: String, data: ArraySlice<UInt8>) -> [UInt8] {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var out = [UInt8]()
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { out.append(contentsOf: $0) }
        return out + h + data
    }

    func expectRejected(_ bytes: [UInt8], _ fragment: String) {
        do {
            _ = try SafeTensorsFile(bytes: bytes)
            Issue.record("accepted a corrupt file; expected an error containing '\(fragment)'")
        } catch let e as GUDError {
            guard case .malformedData(let m) = e else { Issue.record("wrong error kind \(e)"); return }
            #expect(m.contains(fragment), "message: \(m)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func corruptFilesAreRejected() throws {
        let (bytes, header) = try Self.validFile()
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        let data = bytes[(8 + n)...]
        #expect(try SafeTensorsFile(bytes: bytes).entries.count == 2)
        // Truncated before the end of the length field, inside the header, inside the data.
        expectRejected(Array(bytes.prefix(5)), "shorter than the 8-byte header length")
        expectRejected(Array(bytes.prefix(8 + n / 2)), "exceeds the")
        expectRejected(Array(bytes.dropLast(4)), "exceed the 28-byte data section")
        // Header length larger than the file.
        var lying = bytes
        lying[0] = 0xFF; lying[1] = 0xFF
        expectRejected(lying, "header length 65535 exceeds")
        // Not JSON / not an object.
        expectRejected(Self.withHeader("{not json", data: data), "not valid JSON")
        expectRejected(Self.withHeader("[1, 2]", data: data), "not a JSON object")
        // Offsets that overlap, leave a gap, or exceed the data.
        expectRejected(Self.withHeader(header.replacingOccurrences(of: "[24,32]", with: "[20,28]"), data: data), "overlaps")
        expectRejected(Self.withHeader(header.replacingOccurrences(of: "[24,32]", with: "[28,36]"), data: data + [0, 0, 0, 0]), "gap")
        expectRejected(Self.withHeader(header.replacingOccurrences(of: "[24,32]", with: "[24,40]").replacingOccurrences(of: "\"shape\":[2]", with: "\"shape\":[4]"), data: data), "exceed the 32-byte data section")
        expectRejected(Array(bytes + [1, 2, 3, 4]), "trailing bytes")
        // Byte size that does not match dtype and shape; unsupported dtype.
        expectRejected(Self.withHeader(header.replacingOccurrences(of: "\"shape\":[2]", with: "\"shape\":[3]"), data: data), "needs 12")
        expectRejected(Self.withHeader(header.replacingOccurrences(of: "\"dtype\":\"F32\",\"shape\":[2]", with: "\"dtype\":\"I8\",\"shape\":[2]"), data: data), "unsupported dtype I8")
    }

    @Test func checkpointsNotMatchingTheNetworkAreRejected() throws {
        let (net, adam, ema) = try Self.trained()
        let good = try net.checkpoint(ema: ema, optimizer: adam)
        func expectRejected(_ c: Checkpoint<Float>, _ fragment: String, ema e: ExponentialMovingAverage<Float>? = nil, adam a: Adam<Float>? = nil) {
            let before = net.parameters.namedValues()
            do {
                try net.restore(from: c, ema: e, optimizer: a)
                Issue.record("accepted a mismatching checkpoint; expected '\(fragment)'")
            } catch let error as GUDError {
                #expect(error.message.contains(fragment), "message: \(error.message)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
            #expect(net.parameters.namedValues() == before)
        }
        var missing = good
        missing.weights.removeLast()
        expectRejected(missing, "'output_conv.bias' is missing")
        var extra = good
        extra.weights.append(NamedTensor("unused.weight", Tensor<Float>([1])))
        expectRejected(extra, "unknown tensor 'unused.weight'")
        var wrongShape = good
        wrongShape.weights[0].tensor = Tensor<Float>(shape: [3, 3])
        expectRejected(wrongShape, "has shape [3, 3], expected [")
        var otherConfig = good
        var cfg = NetworkTests.tinyUNetConfiguration()
        cfg.baseChannels = 8
        otherConfig.metadata["gud.configuration"] = String(decoding: try JSONEncoder().encode(cfg), as: UTF8.self)
        expectRejected(otherConfig, "differs from the network's")
        var noEMA = good
        noEMA.ema = nil
        expectRejected(noEMA, "no EMA weights", ema: ema)
        var badMoment = good
        badMoment.optimizer!.tensors.removeFirst()
        expectRejected(badMoment, "missing", adam: adam)
        // A Double file read as Float: wrong dtype.
        let path = Self.temporaryPath("double.safetensors")
        let dnet = try UNet<Double>(NetworkTests.tinyUNetConfiguration(), source: RandomSource(seed: 1))
        try dnet.checkpoint().write(to: path)
        #expect { try Checkpoint<Float>.read(from: path) } throws: { ($0 as? GUDError)?.message.contains("dtype F64, expected F32") == true }
        #expect(try UNet<Double>.restored(from: Checkpoint<Double>.read(from: path)).parameters.namedValues() == dnet.parameters.namedValues())
    }
}

extension Checkpoint {
    /// The checkpoint as read back: writing adds the format marker and the step entries.
    func withFormatMarker() -> Checkpoint {
        var c = self
        c.metadata = file().metadata
        return c
    }
}
