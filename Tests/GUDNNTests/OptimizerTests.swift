import GUDNN
import Testing

/// Adam/AdamW, clipping, learning-rate schedules and the EMA.
@Suite struct OptimizerTests {
    /// Least squares ‖Xθ − y‖²/n through the tape: Adam with a cosine-decayed rate reaches the
    /// closed-form solution of the normal equations.
    @Test func adamSolvesLeastSquares() throws {
        let n = 40, d = 3
        let x: Tensor<Double> = TestSupport.uniform([n, d], seed: 1)
        let truth = [0.7, -1.3, 2.1]
        var stream = RandomSource(seed: 2).stream(0)
        let y = try Tensor<Double>(shape: [n, 1], scalars: (0..<n).map { i in
            (0..<d).reduce(0.0) { $0 + x[i, $1] * truth[$1] } + 0.1 * stream.nextGaussian()
        })
        // Closed form: (XᵀX) θ = Xᵀy, solved by Gaussian elimination.
        var a = (0..<d).map { r in (0..<d).map { c in (0..<n).reduce(0.0) { $0 + x[$1, r] * x[$1, c] } } }
        var b = (0..<d).map { r in (0..<n).reduce(0.0) { $0 + x[$1, r] * y[$1, 0] } }
        for p in 0..<d {
            for r in (p + 1)..<d {
                let f = a[r][p] / a[p][p]
                for c in p..<d { a[r][c] -= f * a[p][c] }
                b[r] -= f * b[p]
            }
        }
        var exact = [Double](repeating: 0, count: d)
        for r in stride(from: d - 1, through: 0, by: -1) {
            exact[r] = (b[r] - ((r + 1)..<d).reduce(0.0) { $0 + a[r][$1] * exact[$1] }) / a[r][r]
        }

        let store = ParameterStore<Double>()
        let theta = try store.create("theta", shape: [d, 1], initializer: .zeros, source: RandomSource(seed: 0))
        let adam = try Adam(parameters: store)
        let schedule = LearningRateSchedule.warmupCosine(peak: 0.05, warmupSteps: 50, totalSteps: 3000, final: 0)
        let tape = Tape<Double>(parameters: store)
        for step in 0..<3000 {
            store.zeroGradients()
            tape.begin(recording: true)
            let loss = try tape.meanSquaredError(tape.dense(tape.input(x), weight: theta, bias: nil), tape.input(y))
            try tape.backward(from: loss)
            tape.end()
            try adam.update(store, learningRate: schedule(step))
        }
        let found = store.value(theta).scalars
        for i in 0..<d { #expect(abs(found[i] - exact[i]) < 1e-6, "θ[\(i)] = \(found[i]), exact \(exact[i])") }
    }

    @Test func adamMatchesItsFormula() throws {
        let store = ParameterStore<Double>()
        let p = try store.create("p", shape: [2], initializer: .ones, source: RandomSource(seed: 0))
        let adam = try Adam(parameters: store, configuration: .adamW(weightDecay: 0.1))
        store.gradients[0] = 0.5
        store.gradients[1] = -2
        try adam.update(store, learningRate: 0.01)
        // First step: m̂ = g, v̂ = g², update = lr (g / (|g| + ε) + λ θ).
        let expected = [1 - 0.01 * (0.5 / (0.5 + 1e-8) + 0.1), 1 - 0.01 * (-2 / (2 + 1e-8) + 0.1)]
        for i in 0..<2 { #expect(abs(store.value(p)[i] - expected[i]) < 1e-15) }
        // AdamW with zero gradients decays the weights by (1 − lr λ) (the moments decay towards zero).
        store.zeroGradients()
        let adamW = try Adam(parameters: store, configuration: .adamW(weightDecay: 0.5))
        let before = store.value(p)
        try adamW.update(store, learningRate: 0.1)
        for i in 0..<2 { #expect(abs(store.value(p)[i] - before[i] * 0.95) < 1e-15) }
    }

    @Test func adamStateRoundTripResumesBitExactly() throws {
        func makeStore() throws -> (ParameterStore<Float>, Parameter) {
            let s = ParameterStore<Float>()
            return (s, try s.create("w", shape: [5], initializer: .lecunNormal(fanIn: 5), source: RandomSource(seed: 3)))
        }
        let (a, _) = try makeStore()
        let (b, _) = try makeStore()
        let adamA = try Adam(parameters: a), adamB = try Adam(parameters: b)
        func step(_ s: ParameterStore<Float>, _ o: Adam<Float>, _ k: Int) throws {
            for i in 0..<5 { s.gradients[i] = Float(k + 1) * (s.values[i] - Float(i)) }
            try o.update(s, learningRate: 0.01)
        }
        for k in 0..<5 { try step(a, adamA, k) }
        for k in 0..<5 { try step(b, adamB, k) }
        // Resume b from a's exported state in a fresh optimiser.
        let resumed = try Adam(parameters: b)
        try resumed.importState(adamA.exportState())
        for k in 5..<10 {
            try step(a, adamA, k)
            try step(b, resumed, k)
        }
        #expect(a.namedValues() == b.namedValues())
        #expect(resumed.step == 10)
        #expect(throws: GUDError.self) { try resumed.importState(OptimizerState(step: 1, tensors: [NamedTensor("m.w", Tensor(shape: [5]))])) }
    }

    @Test func globalNormClipping() throws {
        let store = ParameterStore<Double>()
        _ = try store.create("a", shape: [2], initializer: .zeros, source: RandomSource(seed: 0))
        _ = try store.create("b", shape: [1], initializer: .zeros, source: RandomSource(seed: 0))
        store.gradients[0] = 3; store.gradients[1] = 0; store.gradients[2] = 4
        #expect(try clipGradientsByGlobalNorm(store, maxNorm: 1) == 5)
        let clipped = [store.gradients[0], store.gradients[1], store.gradients[2]]
        #expect(TestSupport.relativeError(clipped, [0.6, 0, 0.8]) < 1e-15)
        // Below the threshold: unchanged.
        #expect(abs(try clipGradientsByGlobalNorm(store, maxNorm: 2) - 1) < 1e-15)
        #expect([store.gradients[0], store.gradients[1], store.gradients[2]] == clipped)
        #expect(throws: GUDError.self) { try clipGradientsByGlobalNorm(store, maxNorm: 0) }
    }

    @Test func warmupCosineSchedule() {
        let s = LearningRateSchedule.warmupCosine(peak: 1e-3, warmupSteps: 10, totalSteps: 110, final: 1e-5)
        #expect(s(0) == 0)
        #expect(abs(s(5) - 5e-4) < 1e-18)
        #expect(s(10) == 1e-3)
        #expect(abs(s(60) - (1e-5 + (1e-3 - 1e-5) * 0.5)) < 1e-15)
        #expect(abs(s(110) - 1e-5) < 1e-18)
        #expect(abs(s(500) - 1e-5) < 1e-18)
        #expect(LearningRateSchedule.constant(0.1)(1234) == 0.1)
    }

    @Test func emaFollowsDecayAndHalfLife() throws {
        let store = ParameterStore<Double>()
        let p = try store.create("p", shape: [1], initializer: .zeros, source: RandomSource(seed: 0))
        let ema = try ExponentialMovingAverage(parameters: store, halfLife: 10)
        #expect(abs(ema.decay - 0.933032991536807) < 1e-15)
        try store.setValue(p, Tensor([1]))
        for _ in 0..<10 { try ema.update(from: store) }
        // After one half-life the average has covered half the distance from 0 to 1.
        #expect(abs(ema.namedValues()[0].tensor[0] - 0.5) < 1e-12)
        let fixed = try ExponentialMovingAverage(parameters: store, decay: 0.9)
        try store.setValue(p, Tensor([3]))
        try fixed.update(from: store)
        #expect(abs(fixed.namedValues()[0].tensor[0] - (0.9 * 1 + 0.1 * 3)) < 1e-15)
        try fixed.copy(to: store)
        #expect(abs(store.value(p)[0] - 1.2) < 1e-15)
        #expect(throws: GUDError.self) { try ExponentialMovingAverage(parameters: store, decay: 1.5) }
    }
}
