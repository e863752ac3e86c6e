@testable import GUDNN
import Testing

/// The U-Net and MLP: parameter counts, whole-network gradients, precision agreement, the
/// vector–Jacobian product, and the inference path.
@Suite struct NetworkTests {
    /// A tiny U-Net with every path: two levels (stride-2 convolution, bilinear resize, skip
    /// concatenation with a 1×1 skip convolution) and bottleneck attention.
    static func tinyUNetConfiguration(conditioning: ConditioningKind = .time) -> UNetConfiguration {
        UNetConfiguration(
            height: 8, width: 6, baseChannels: 4, channelMultipliers: [1, 2], attentionHeads: 2, dropout: 0.2,
            embeddingDimension: 8, conditioning: conditioning)
    }

    @Test func referenceParameterCounts() throws {
        #expect(try UNet<Float>(.small(), source: RandomSource(seed: 0)).parameters.scalarCount == 28_761)
        #expect(try UNet<Float>(.big(), source: RandomSource(seed: 0)).parameters.scalarCount == 303_281)
        #expect(try MLP<Float>(MLPConfiguration(space: 64), source: RandomSource(seed: 0)).parameters.scalarCount == 189_376)
        #expect(try MLP<Float>(MLPConfiguration(space: 2), source: RandomSource(seed: 0)).parameters.scalarCount == 157_570)
    }

    @Test func parameterNamesAreStableAndOrdered() throws {
        let net = try UNet<Float>(.big(), source: RandomSource(seed: 0))
        let names = net.parameters.specs.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.first == "time_embed.linear1.weight")
        #expect(names.contains("down.0.res.0.conv1.weight"))
        #expect(names.contains("up.0.res.0.skip.weight"))
        #expect(names.contains("attention.qkv.weight"))
        #expect(names.last == "output_conv.bias")
        let again = try UNet<Float>(.big(), source: RandomSource(seed: 0))
        #expect(again.parameters.specs == net.parameters.specs)
        #expect(again.parameters.namedValues() == net.parameters.namedValues())
        let other = try UNet<Float>(.big(), source: RandomSource(seed: 1))
        #expect(other.parameters.namedValues() != net.parameters.namedValues())
    }

    /// Directional finite differences, one random direction per parameter tensor and three for the
    /// input, against the backward pass, for a whole network in Double with dropout active.
    func wholeNetworkCheck<N: EpsilonNetwork>(_ net: N, conditioning: NetworkConditioning<Double>) throws -> Double where N.Scalar == Double {
        TestSupport.randomize(net.parameters, seed: 3)
        let x: Tensor<Double> = TestSupport.uniform([2, net.space, net.channels], seed: 4)
        let target: Tensor<Double> = TestSupport.uniform([2, net.space, net.channels], seed: 5)
        let dropout = RandomSource(seed: 6)
        func loss(_ x: Tensor<Double>) throws -> Double {
            try net.lossAndGradients(x: x, conditioning: conditioning, target: target, dropoutSource: dropout)
        }
        _ = try loss(x)
        let grads = (0..<net.parameters.scalarCount).map { net.parameters.gradients[$0] }
        let tape = net.tape
        tape.begin(parameters: net.parameters, recording: true, dropout: dropout)
        let xv = try tape.input(x, requiresGradient: true)
        let l = try tape.meanSquaredError(
            net.forward(xv, conditioning: tape.input(conditioning.tensor), on: tape), tape.input(target))
        try tape.backward(from: l)
        let gx = tape.gradient(xv)!.scalars
        tape.end()
        let h = 1e-6
        var worst = 0.0
        var stream = RandomSource(seed: 7).stream(0)
        for spec in net.parameters.specs {
            let u = (0..<spec.count).map { _ in stream.nextGaussian() }
            let saved = (0..<spec.count).map { net.parameters.values[spec.offset + $0] }
            for i in 0..<spec.count { net.parameters.values[spec.offset + i] = saved[i] + h * u[i] }
            let lp = try loss(x)
            for i in 0..<spec.count { net.parameters.values[spec.offset + i] = saved[i] - h * u[i] }
            let lm = try loss(x)
            for i in 0..<spec.count { net.parameters.values[spec.offset + i] = saved[i] }
            let g = Array(grads[spec.offset..<(spec.offset + spec.count)])
            let analytic = zip(g, u).reduce(0) { $0 + $1.0 * $1.1 }
            let scale = g.reduce(0) { $0 + $1 * $1 }.squareRoot() * u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            worst = max(worst, abs((lp - lm) / (2 * h) - analytic) / max(scale, 1e-300))
        }
        for _ in 0..<3 {
            let u = (0..<x.count).map { _ in stream.nextGaussian() }
            var xp = x, xm = x
            for i in 0..<x.count { xp[flat: i] += h * u[i]; xm[flat: i] -= h * u[i] }
            let analytic = zip(gx, u).reduce(0) { $0 + $1.0 * $1.1 }
            let scale = gx.reduce(0) { $0 + $1 * $1 }.squareRoot() * u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            worst = max(worst, abs((try loss(xp) - loss(xm)) / (2 * h) - analytic) / scale)
        }
        return worst
    }

    @Test func uNetGradientsMatchFiniteDifferences() throws {
        let net = try UNet<Double>(Self.tinyUNetConfiguration(), source: RandomSource(seed: 1))
        let t = try Tensor<Double>(shape: [2], scalars: [0.3, 0.8])
        let e = try wholeNetworkCheck(net, conditioning: .time(t))
        #expect(e < 1e-6, "relative error \(e)")
    }

    @Test func gammaConditionedUNetGradientsMatchFiniteDifferences() throws {
        let net = try UNet<Double>(Self.tinyUNetConfiguration(conditioning: .gamma(components: 48)), source: RandomSource(seed: 1))
        let g: Tensor<Double> = TestSupport.uniform([2, 48], seed: 8, scale: 3)
        let e = try wholeNetworkCheck(net, conditioning: .gamma(g))
        #expect(e < 1e-6, "relative error \(e)")
    }

    @Test func mlpGradientsMatchFiniteDifferences() throws {
        let net = try MLP<Double>(MLPConfiguration(space: 5, channels: 2, hiddenWidths: [7, 6], embeddingDimension: 8), source: RandomSource(seed: 2))
        let t = try Tensor<Double>(shape: [2], scalars: [0.1, 0.9])
        let e = try wholeNetworkCheck(net, conditioning: .time(t))
        #expect(e < 1e-6, "relative error \(e)")
    }

    @Test func floatAndDoubleForwardAgree() throws {
        let cfg = Self.tinyUNetConfiguration()
        let d = try UNet<Double>(cfg, source: RandomSource(seed: 3))
        let f = try UNet<Float>(cfg, source: RandomSource(seed: 3))
        TestSupport.randomize(d.parameters, seed: 9)
        TestSupport.randomize(f.parameters, seed: 9)
        let x: Tensor<Double> = TestSupport.uniform([3, 48, 1], seed: 10)
        let t = try Tensor<Double>(shape: [3], scalars: [0, 0.5, 1])
        let yd = try d.predict(x: x, conditioning: .time(t))
        let yf = try f.predict(x: x.converted(), conditioning: .time(t.converted()))
        let e = TestSupport.relativeError(yd.scalars, yf.scalars.map(Double.init))
        #expect(e < 2e-6, "relative error \(e)")
    }

    @Test func vectorJacobianProductMatchesFiniteDifferences() throws {
        let net = try UNet<Double>(Self.tinyUNetConfiguration(), source: RandomSource(seed: 4))
        TestSupport.randomize(net.parameters, seed: 11)
        let x: Tensor<Double> = TestSupport.uniform([2, 48, 1], seed: 12)
        let v: Tensor<Double> = TestSupport.uniform([2, 48, 1], seed: 13)
        let t = try Tensor<Double>(shape: [2], scalars: [0.2, 0.7])
        let (out, vjp) = try net.vectorJacobianProduct(x: x, conditioning: .time(t), vector: v)
        #expect(out == (try net.predict(x: x, conditioning: .time(t))))
        #expect(vjp.shape == x.shape)
        let h = 1e-6
        var numeric = [Double]()
        for i in 0..<x.count {
            var xp = x, xm = x
            xp[flat: i] += h
            xm[flat: i] -= h
            let fp = try net.predict(x: xp, conditioning: .time(t)), fm = try net.predict(x: xm, conditioning: .time(t))
            numeric.append(zip(zip(fp.scalars, fm.scalars), v.scalars).reduce(0) { $0 + ($1.0.0 - $1.0.1) / (2 * h) * $1.1 })
        }
        let e = TestSupport.relativeError(vjp.scalars, numeric)
        #expect(e < 1e-6, "relative error \(e)")
    }

    @Test func predictWithoutAllocationMatchesRecordingPath() throws {
        let net = try UNet<Float>(Self.tinyUNetConfiguration(), source: RandomSource(seed: 5))
        TestSupport.randomize(net.parameters, seed: 14)
        let x: Tensor<Float> = TestSupport.uniform([4, 48, 1], seed: 15)
        let t = try Tensor<Float>(shape: [4], scalars: [0.1, 0.4, 0.6, 0.9])
        var out = Tensor<Float>(shape: x.shape)
        try net.predict(x: x, conditioning: .time(t), into: &out)
        let buffers = net.tape.systemAllocationCount
        for _ in 0..<3 { try net.predict(x: x, conditioning: .time(t), into: &out) }
        #expect(net.tape.systemAllocationCount == buffers)
        let (recorded, _) = try net.vectorJacobianProduct(x: x, conditioning: .time(t), vector: x)
        #expect(out == recorded)
    }

    @Test func dropoutIsReproducibleAndOnlyActiveInTraining() throws {
        let net = try UNet<Double>(Self.tinyUNetConfiguration(), source: RandomSource(seed: 6))
        TestSupport.randomize(net.parameters, seed: 16)
        let x: Tensor<Double> = TestSupport.uniform([2, 48, 1], seed: 17)
        let t = try Tensor<Double>(shape: [2], scalars: [0.5, 0.5])
        func loss(_ s: RandomSource?) throws -> Double {
            try net.lossAndGradients(x: x, conditioning: .time(t), target: x, dropoutSource: s)
        }
        #expect(try loss(RandomSource(seed: 1)) == loss(RandomSource(seed: 1)))
        #expect(try loss(RandomSource(seed: 1)) != loss(RandomSource(seed: 2)))
        #expect(try loss(nil) != loss(RandomSource(seed: 1)))
        let eps = try net.predict(x: x, conditioning: .time(t))
        let mse = zip(eps.scalars, x.scalars).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(x.count)
        #expect(abs(try loss(nil) - mse) < 1e-12)
    }

    @Test func invalidInputsAreRejected() throws {
        let net = try UNet<Float>(Self.tinyUNetConfiguration(), source: RandomSource(seed: 7))
        let x = Tensor<Float>(shape: [2, 48, 1])
        #expect(throws: GUDError.self) { try net.predict(x: Tensor<Float>(shape: [2, 47, 1]), conditioning: .time(Tensor(shape: [2]))) }
        #expect(throws: GUDError.self) { try net.predict(x: x, conditioning: .time(Tensor(shape: [3]))) }
        #expect(throws: GUDError.self) { try net.predict(x: x, conditioning: .gamma(Tensor(shape: [2, 48]))) }
        #expect(throws: GUDError.self) { try UNet<Float>(UNetConfiguration(height: 7, width: 8, channelMultipliers: [1, 2]), source: RandomSource(seed: 0)) }
    }
}

/// Results do not depend on how the parts of the kernels are spread over threads.
@Suite(.serialized) struct ThreadIndependenceTests {
    @Test func parallelAndSerialRunsAreBitIdentical() throws {
        let cfg = UNetConfiguration(height: 16, width: 16, baseChannels: 8, channelMultipliers: [1, 2], attentionHeads: 2)
        let net = try UNet<Float>(cfg, source: RandomSource(seed: 1))
        let x: Tensor<Float> = TestSupport.uniform([8, 256, 1], seed: 2)
        let t = Tensor<Float>((0..<8).map { Float($0) / 8 })
        func run() throws -> (Float, [NamedTensor<Float>]) {
            let loss = try net.lossAndGradients(x: x, conditioning: .time(t), target: x, dropoutSource: RandomSource(seed: 3))
            return (loss, net.parameters.namedGradients())
        }
        let parallel = try run()
        GUDNN.Work.serial = true
        defer { GUDNN.Work.serial = false }
        let serial = try run()
        #expect(parallel.0 == serial.0)
        #expect(parallel.1 == serial.1)
    }
}
