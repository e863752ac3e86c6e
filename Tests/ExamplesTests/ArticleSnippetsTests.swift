import Foundation
import Testing
import GUD

/// The code listings of the DocC articles (`Sources/GUD/GUD.docc/*.md`), compiled and run on small
/// inputs so that the documentation cannot drift from the API. Each test states the listing's inputs,
/// then repeats the listing as it appears in the article.
@Suite
struct ArticleSnippetsTests {
    /// Smooth random 28 × 28 "images" in [−1, 1], (count, 784, 1).
    static func images(_ count: Int, seed: UInt64) throws -> Tensor<Float> {
        let white: Tensor<Float> = RandomSource(seed: seed).gaussian(shape: [count, 784, 1])
        let blur = try FourierSpace<Float>(shape: [28, 28], scale: (0..<784).map { k in
            let (r, c) = (min(k / 28, 28 - k / 28), min(k % 28, 28 - k % 28))
            return 1 / (1 + Float(r * r + c * c))
        })
        return try blur.decode(blur.toComponentSpace(white)).map { Swift.max(-1, Swift.min(1, $0 * 4)) }
    }

    @Test func spaces() throws {
        let images = try Self.images(32, seed: 1)
        let batch = try Tensor(shape: [2, 784, 1], scalars: Array(images.scalars[0..<1568]))
        let s: Tensor<Float> = RandomSource(seed: 2).gaussian(shape: [2, 784, 1, 2])

        // Spaces.md
        let space = try FourierSpace(shape: [28, 28], data: images, floor: .clamp(relative: 1e-6))
        let x = try DataValue(space, data: batch)
        let white = try x.compWhite                   // (B, 784, 1, 2): S⁻¹ FFT(φ), re and im interleaved
        let networkInput = try x.dataWhite            // (B, 784, 1), real
        let score = try ScoreValue(space, compWhite: s)
        let dataScore = try score.data                // ∇_φ log p: S is applied as a covector

        #expect(white.shape == [2, 784, 1, 2] && networkInput.shape == [2, 784, 1] && dataScore.shape == [2, 784, 1])
        #expect(try space.decode(white).maxAbsDifference(batch) < 1e-4)
    }

    @Test func schedules() throws {
        let images = try Self.images(32, seed: 3)
        let t = Tensor<Float>([0.2, 0.7]), softness = Tensor<Float>([0.5, 2])

        // SchedulesAndSoftConditioning.md
        do {
            let schedule = try LinearSchedule<Float>()            // γ from −13.3 to 5
            let shared = schedule(0.3)                             // one time for all: (1, 1)
            let perSample = try schedule(times: [0.1, 0.5, 0.9])   // a time per sample: (3, 1)
            let sigma = perSample.sigma                            // √sigmoid(γ), (3, 1)
            #expect(shared.gamma.shape == [1, 1] && sigma.shape == [3, 1])
        }
        let quadratic = GammaSchedule<Float>(gamma: { -10 + 15 * $0 * $0 }, derivative: { 30 * $0 })
        let space = try FourierSpace(shape: [28, 28], data: images, floor: .clamp(relative: 1e-6))
        let labels = space.scale!.map { -2 * Float.log($0) }   // −log Σᵢ: low frequencies first
        let schedule = try softConditioningSchedule(labels: labels, softness: 0.5)
        let family = try SoftConditioningFamily<Float>(labels: labels)
        // t and softness: (batch); γ and β: (batch, D)
        let state = try family(times: t, parameters: softness)

        #expect(quadratic(1).gamma[flat: 0] == 5 && schedule.componentCount == 784)
        #expect(state.gamma.shape == [2, 784])
        try space.validate(schedule: schedule)
    }

    @Test func trainingStep() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gud-snippet-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = TrainingConfiguration()
        c.data = DataConfiguration(dataset: "digits")
        c.data.limit = 64
        c.network = NetworkConfiguration(architecture: .mlp)
        c.network.hiddenWidths = [16]
        c.batchSize = 8
        c.steps = 1
        let trainer = try Trainer<Float>(configuration: c, directory: dir, log: { _ in })
        let (setup, network, model, optimizer, ema) = (trainer.setup, trainer.network, trainer.model, trainer.optimizer, trainer.ema)
        let batch = try trainer.dataset.prefix(8).images
        let times = Tensor<Float>((0..<8).map { (Float($0) + 0.5) / 8 })
        let stepSource = RandomSource(seed: 4)
        let learningRate = 1e-3

        // NetworksAndTraining.md
        let state = try setup.trainingState(times: times, source: stepSource.derived("family"))
        let clean = try DataValue(setup.space, compWhite: setup.encode(batch))
        let (noised, noise) = try ouProcess(clean, state: state, source: stepSource.derived("noise"))
        let loss = try network.lossAndGradients(
            x: noised.dataWhite, conditioning: model.conditioning(state, batch: batch.shape[0]),
            target: noise.dataWhite, dropoutSource: stepSource.derived("dropout"))
        _ = try clipGradientsByGlobalNorm(network.parameters, maxNorm: 1)
        try optimizer.update(network.parameters, learningRate: learningRate)
        try ema.update(from: network.parameters)

        #expect(loss.isFinite && optimizer.step == 1 && ema.step == 1)
    }

    @Test func samplingAndLikelihood() throws {
        let space = try IdentitySpace<Float>(dimension: 64)
        let schedule = try LinearSchedule<Float>(gammaMin: -7, gammaMax: 5)
        let network = try MLP<Float>(MLPConfiguration(space: 64, hiddenWidths: [16]), source: RandomSource(seed: 5))
        let test = try ImageDataset<Float>.bundled(.digits).prefix(2).images

        // SamplingAndLikelihood.md
        // A network in its space (TrainedModel.model() gives the one of a run).
        let model = try NetworkEpsilonModel(network: network, space: space)
        let result = try sampleEulerMaruyama(
            model: model, schedule: schedule, space: space,
            start: .noise(count: 16), source: RandomSource(seed: 0), stepSize: 0.01,
            saveTimes: [1, 0.5, 0]) { step in
                if step.index % 25 == 0 { print("t = \(step.time)") }   // step.denoised: x̂₀ so far
                return .proceed                                          // .stop ends early
            }
        let images = try result.samples.data          // (16, D, 1)
        let halfway = result.trajectory[1].value      // the state at t = 0.5
        let likelihood = try logLikelihood(
            model: model, schedule: schedule, data: DataValue(space, data: test),
            divergence: .hutchinson(probes: 4, source: RandomSource(seed: 1)))
        let bits = likelihood.bitsPerDimension(offset: 7)   // 8-bit data in [−1, 1]

        #expect(images.shape == [16, 64, 1] && result.steps == 100 && result.trajectory.count == 3)
        #expect(try halfway.data.shape == [16, 64, 1] && bits.count == 2 && bits.allSatisfy(\.isFinite))
    }
}
