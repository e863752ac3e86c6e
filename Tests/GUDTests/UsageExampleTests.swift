import Testing
import GUD

/// The usage example of `docs/gud-core.md`, run end to end at a small size (8 × 8 images).
@Suite("Usage example")
struct UsageExampleTests {
    @Test func endToEnd() throws {
        // Some "images" (N, 64, 1): smooth random fields in [−1, 1].
        let white: Tensor<Float> = RandomSource(seed: 1).gaussian(shape: [200, 64, 1])
        let smooth = try FourierSpace<Float>(shape: [8, 8], scale: (0..<64).map { k in
            let (r, c) = (min(k / 8, 8 - k / 8), min(k % 8, 8 - k % 8))
            return 1 / (1 + Float(r * r + c * c))
        })
        let images = try smooth.decode(smooth.toComponentSpace(white)).map { Swift.max(-1, Swift.min(1, $0)) }

        // A whitened Fourier space fitted to the data, and a soft-conditioning schedule that
        // generates the high-variance (low) frequencies first.
        let space = try FourierSpace(shape: [8, 8], data: images, floor: .clamp(relative: 1e-6))
        let labels = space.scale!.map { -2 * Float.log($0) }
        let schedule = try softConditioningSchedule(labels: labels, softness: 1)
        let source = RandomSource(seed: 42)

        // Forward process: noise a batch, one time per sample; (noised, noise) are training pairs.
        let batch = try Tensor(shape: [3, 64, 1], scalars: Array(images.scalars[0..<192]))
        let state = try schedule(times: [0.2, 0.5, 0.9])
        let (noised, noise) = try ouProcess(DataValue(space, data: batch), state: state, source: source.derived("train"))
        #expect(try noised.dataWhite.shape == [3, 64, 1] && noise.compWhite.shape == [3, 64, 1, 2])

        // Sample with Euler–Maruyama from an ε-model given as a closure (in compWhite): here the
        // "Gaussian default" ε = σ x / (α² + σ²), exact for whitened Gaussian data.
        let model = EpsilonClosure<Float> { state, x in try DiagonalGaussianModel(variances: [Float](repeating: 1, count: 64)).epsilon(x, state: state) }
        let result = try sampleEulerMaruyama(model: model, schedule: schedule, space: space,
                                             start: .noise(count: 4), source: source.derived("sample"))
        let samples = try result.samples.data
        #expect(samples.shape == [4, 64, 1] && samples.isFinite && result.steps == 100)

        // Likelihood and bits/dim (8-bit data in [−1, 1]: offset 7), Hutchinson with 4 probes.
        let test = try DataValue(space, data: Tensor(shape: [2, 64, 1], scalars: Array(images.scalars[0..<128])))
        let likelihood = try logLikelihood(model: model, schedule: schedule, data: test,
                                           divergence: .hutchinson(probes: 4, source: source.derived("probes")),
                                           relativeTolerance: 1e-3, absoluteTolerance: 1e-3)
        let bits = likelihood.bitsPerDimension(offset: 7)
        #expect(bits.count == 2 && bits.allSatisfy(\.isFinite))
    }
}
