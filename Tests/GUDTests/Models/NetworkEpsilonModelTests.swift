import Testing
@testable import GUD

struct NetworkEpsilonModelTests {
    /// Labels symmetric under k → −k on the 4×4 grid (a Fourier space requires it): |k_r| + |k_c|.
    static let frequencyLabels: [Double] = (0..<16).map { (i: Int) -> Double in
        let (r, c) = (i / 4, i % 4)
        return Double(min(r, 4 - r) + min(c, 4 - c))
    }

    /// A small γ-conditioned MLP in a whitened 4×4 Fourier space, in Double.
    func makeModel(_ parameterization: EpsilonParameterization = .epsilon) throws -> NetworkEpsilonModel<Double> {
        let data: Tensor<Double> = RandomSource(seed: 1).gaussian(shape: [64, 16, 1])
        let space = try FourierSpace(shape: [4, 4], data: data)
        let config = MLPConfiguration(space: 16, channels: 1, hiddenWidths: [12, 12], embeddingDimension: 8, conditioning: .gamma(components: 16))
        let net = try MLP<Double>(config, source: RandomSource(seed: 2))
        return try NetworkEpsilonModel(network: net, space: space, parameterization: parameterization)
    }

    @Test func epsilonIsTheNetworkConjugatedByTheBasis() throws {
        let model = try makeModel()
        let schedule = try softConditioningSchedule(labels: Self.frequencyLabels, softness: 1)
        let y: Tensor<Double> = RandomSource(seed: 3).gaussian(shape: [3, 16, 1])
        let state = try schedule(times: [0.2, 0.5, 0.9])
        let x = try model.space.toComponentSpace(y)
        let eps = try model.epsilon(x, state: state)
        let direct = try model.network.predict(x: y, conditioning: .gamma(state.gammaPerSample(batch: 3, components: 16)))
        #expect(try model.space.fromComponentSpace(eps).maxAbsDifference(direct) < 1e-12)
    }

    @Test(arguments: EpsilonParameterization.allCases)
    func exactVJPsMatchFiniteDifferences(parameterization: EpsilonParameterization) throws {
        let model = try makeModel(parameterization)
        let schedule = try softConditioningSchedule(labels: Self.frequencyLabels, softness: 2)
        let y: Tensor<Double> = RandomSource(seed: 4).gaussian(shape: [2, 16, 1])
        let v: Tensor<Double> = RandomSource(seed: 5).gaussian(shape: [2, 16, 1])
        let state = try schedule(times: [0.3, 0.7])
        let exact = try model.epsilonAndVJP(dataWhite: y, state: state, space: model.space, cotangents: [v])
        let fd = try model.finiteDifferenceEpsilonAndVJP(dataWhite: y, state: state, space: model.space, cotangents: [v])
        #expect(try exact.epsilon.maxAbsDifference(fd.epsilon) < 1e-12)
        let scale = fd.vjps[0].scalars.map(abs).max()!
        #expect(try exact.vjps[0].maxAbsDifference(fd.vjps[0]) < 1e-7 * max(1, scale))
    }

    /// The training target read back through the parameterization gives the noise: ε̂ = z exactly
    /// when the network outputs its target.
    @Test(arguments: EpsilonParameterization.allCases)
    func targetsInvertTheParameterization(parameterization: EpsilonParameterization) throws {
        let model = try makeModel(parameterization)
        let schedule = try softConditioningSchedule(labels: Self.frequencyLabels.map { $0 * 1.3 }, softness: 0.7)
        try model.space.validate(schedule: schedule)
        let state = try schedule(times: [0.1, 0.6])
        let x0 = try model.space.toComponentSpace(RandomSource(seed: 6).gaussian(shape: [2, 16, 1]))
        let (noised, noise) = try ouProcess(DataValue(model.space, compWhite: x0), state: state, source: RandomSource(seed: 7))
        let target = try model.target(noise: noise.compWhite, noisy: noised.compWhite, state: state)
        let y = try noised.dataWhite
        let read: Tensor<Double>
        switch parameterization {
        case .epsilon: read = try model.space.toComponentSpace(target)
        case .gaussianResidual: read = try model.space.toComponentSpace(target + y)
        case .vPrediction:
            read = try applyComponentwise(.vPredictionToEpsilon, model.space.toComponentSpace(target), x: noised.compWhite, state: state)
        }
        let difference = try read.maxAbsDifference(noise.compWhite)
        #expect(difference < 1e-10, "difference \(difference)")
    }

    @Test func mismatchedNetworkIsRejected() throws {
        let space = try IdentitySpace<Double>(dimension: 9)
        let net = try MLP<Double>(MLPConfiguration(space: 16, hiddenWidths: [4], embeddingDimension: 4), source: RandomSource(seed: 0))
        #expect(throws: GUDError.self) { try NetworkEpsilonModel(network: net, space: space) }
        let gammaNet = try MLP<Double>(
            MLPConfiguration(space: 9, hiddenWidths: [4], embeddingDimension: 4, conditioning: .gamma(components: 4)), source: RandomSource(seed: 0))
        #expect(throws: GUDError.self) { try NetworkEpsilonModel(network: gammaNet, space: space) }
    }
}

struct NetworkEpsilonModelBufferTests {
    @Test func epsilonIntoMatchesTheDirectFormula() throws {
        let data: Tensor<Double> = RandomSource(seed: 1).gaussian(shape: [64, 16, 1])
        let space = try FourierSpace(shape: [4, 4], data: data)
        let schedule = try softConditioningSchedule(labels: (0..<16).map { Double($0 % 4) }, softness: 1)
        let variants = [ConditioningKind.time, .gamma(components: 16)].flatMap { kind in
            EpsilonParameterization.allCases.map { (kind, $0) }
        }
        for (kind, parameterization) in variants {
            let config = MLPConfiguration(space: 16, channels: 1, hiddenWidths: [12], embeddingDimension: 8, conditioning: kind)
            let model = try NetworkEpsilonModel(
                network: MLP<Double>(config, source: RandomSource(seed: 2)), space: space,
                parameterization: parameterization, timeScale: 3)
            // Per-sample times, a shared state, then a different batch size: the buffers follow.
            for (batch, state) in [(3, try schedule(times: [0.2, 0.5, 0.9])), (3, schedule(0.4)), (5, schedule(0.7))] {
                let x = try space.whiteNoise(batch: batch, channels: 1, source: RandomSource(seed: UInt64(batch)))
                var out = Tensor<Double>(shape: x.shape)
                try model.epsilon(x, state: state, into: &out)
                // Against the separate dataWhite formula of the likelihood path (no buffers).
                let direct = try model.epsilonAndVJP(dataWhite: space.fromComponentSpace(x), state: state, space: space, cotangents: [])
                #expect(try space.fromComponentSpace(out).maxAbsDifference(direct.epsilon) < 1e-12)
            }
        }
    }

    /// Euler–Maruyama through the model's buffers gives the samples of the allocating path exactly.
    @Test func samplerThroughBuffersMatchesTheAllocatingPath() throws {
        let data: Tensor<Float> = RandomSource(seed: 1).gaussian(shape: [64, 16, 1])
        let space = try FourierSpace(shape: [4, 4], data: data)
        let schedule = try softConditioningSchedule(labels: space.scale!.map { -2 * Float.log($0) }, softness: 1)
        let config = MLPConfiguration(space: 16, channels: 1, hiddenWidths: [12], embeddingDimension: 8)
        let model = try NetworkEpsilonModel(network: MLP<Float>(config, source: RandomSource(seed: 2)), space: space)
        let allocating = EpsilonClosure<Float> { state, x in try model.epsilon(x, state: state) }
        let source = RandomSource(seed: 3)
        let a = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: 3), source: source, stepSize: 0.05)
        let b = try sampleEulerMaruyama(model: allocating, schedule: schedule, space: space, start: .noise(count: 3), source: source, stepSize: 0.05)
        #expect(try a.samples.compWhite == b.samples.compWhite)
        #expect(a.modelEvaluations == 20)
    }

    @Test func epsilonIntoRejectsAWrongBuffer() throws {
        let space = try FourierSpace<Double>(shape: [4, 4])
        let net = try MLP<Double>(MLPConfiguration(space: 16, hiddenWidths: [4], embeddingDimension: 4), source: RandomSource(seed: 0))
        let model = try NetworkEpsilonModel(network: net, space: space)
        let x = try space.whiteNoise(batch: 2, channels: 1, source: RandomSource(seed: 1))
        let state = try LinearSchedule<Double>()(0.5)
        var wrong = Tensor<Double>(shape: [2, 16, 1])
        #expect(throws: GUDError.self) { try model.epsilon(x, state: state, into: &wrong) }
    }

    @Test func epsilonIntoReusesTheOutputStorage() throws {
        let space = try FourierSpace<Float>(shape: [4, 4])
        let net = try MLP<Float>(MLPConfiguration(space: 16, hiddenWidths: [8], embeddingDimension: 4), source: RandomSource(seed: 0))
        let model = try NetworkEpsilonModel(network: net, space: space)
        let x: Tensor<Float> = try space.whiteNoise(batch: 4, channels: 1, source: RandomSource(seed: 1))
        var out = Tensor<Float>(shape: x.shape)
        let before = out.withUnsafeBufferPointer { $0.baseAddress }
        for t in [Float(0.9), 0.5, 0.1] {
            try model.epsilon(x, state: LinearSchedule<Float>()(t), into: &out)
        }
        #expect(out.withUnsafeBufferPointer { $0.baseAddress } == before)
    }
}
