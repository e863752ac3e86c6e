import Foundation
import Testing
@testable import GUD

struct ImageDatasetTests {
    /// A rank-2 IDX file is one image (a texture), from which crops are cut.
    @Test func aSingleImageIDXFileIsOneImage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-idx2-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("texture.idx")
        let (h, w) = (6, 8)
        try AtomicFile.write([0, 0, 0x08, 2, 0, 0, 0, UInt8(h), 0, 0, 0, UInt8(w)] + (0..<(h * w)).map { UInt8($0 * 5) }, to: url)
        let image = try ImageDataset<Float>.idx(images: url)
        #expect(image.count == 1 && image.height == h && image.width == w)
        #expect(image.images[flat: 0] == -1 && abs(image.images[flat: h * w - 1] - Float(2 * 235.0 / 255 - 1)) < 1e-6)
        var config = DataConfiguration(dataset: "idx")
        config.path = url.path
        config.cropSize = 4
        config.cropCount = 10
        let crops: ImageDataset<Float> = try config.load(source: RandomSource(seed: 1))
        #expect(crops.count == 10 && crops.height == 4 && crops.width == 4)
    }

    @Test func splitIsDisjointAndSeeded() throws {
        let digits = try ImageDataset<Float>.bundled(.digits)
        let (train, val) = try digits.split(validationFraction: 0.2, source: RandomSource(seed: 1))
        #expect(train.count + val.count == digits.count && val.count == 359)
        let (train2, _) = try digits.split(validationFraction: 0.2, source: RandomSource(seed: 1))
        #expect(train.images == train2.images)
        #expect(throws: GUDError.self) { try digits.split(validationFraction: 1, source: RandomSource(seed: 1)) }
    }

    @Test func batchesArePureFunctionsOfTheStep() throws {
        let data = try ImageDataset<Double>.bundled(.digits).prefix(100)
        let sampler = try BatchSampler(dataset: data, batchSize: 16, source: RandomSource(seed: 3))
        #expect(sampler.batchesPerEpoch == 6)
        // An epoch's batches are disjoint; a later query of the same step gives the same batch.
        let epoch0 = (0..<6).flatMap { sampler.indices(step: $0) }
        #expect(Set(epoch0).count == 96)
        #expect(sampler.indices(step: 7) == sampler.indices(step: 7))
        #expect(sampler.indices(step: 6) != sampler.indices(step: 0))
        #expect(try sampler.batch(step: 2).shape == [16, 64, 1])
        #expect(throws: GUDError.self) { try BatchSampler(dataset: data, batchSize: 101, source: RandomSource(seed: 0)) }
    }

    @Test func npyDatasetShapesAndErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-ds-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("x.npy")
        try NPYFile(shape: [2, 2, 3], bytes: [0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 0, 0]).write(to: url)
        let d = try ImageDataset<Float>.npy(url)
        #expect(d.height == 2 && d.width == 3 && d.images.shape == [2, 6, 1] && d.images[0, 1, 0] == 1)
        let flat = dir.appendingPathComponent("flat.npy")
        try NPYFile(Tensor<Double>(shape: [3, 6])).write(to: flat)
        #expect(throws: GUDError.self) { try ImageDataset<Float>.npy(flat) }
        #expect(try ImageDataset<Float>.npy(flat, height: 2, width: 3).images.shape == [3, 6, 1])
        var nan = Tensor<Double>(shape: [1, 2, 2])
        nan[0, 1, 1] = .nan
        try NPYFile(nan).write(to: url)
        #expect(throws: GUDError.self) { try ImageDataset<Float>.npy(url) }
    }
}
