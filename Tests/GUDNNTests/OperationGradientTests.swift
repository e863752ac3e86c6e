import Foundation
import GUDNN
import Testing

/// Finite-difference gradient checks in Double (relative error ≤ 1e-6) for every tape operation.
@Suite struct OperationGradientTests {
    let tolerance = 1e-6

    func store(_ build: (ParameterBuilder<Double>) throws -> Void) rethrows -> ParameterStore<Double> {
        let s = ParameterStore<Double>()
        try build(ParameterBuilder(store: s, source: RandomSource(seed: 5)))
        TestSupport.randomize(s, seed: 6)
        return s
    }

    @Test(arguments: [(3, 1), (3, 2), (1, 1)])
    func convolution(kernel: Int, stride: Int) throws {
        var conv: Conv2D!
        let s = try store { conv = try Conv2D($0.scope("c"), inputs: 3, outputs: 4, kernelSize: kernel, stride: stride) }
        let x: Tensor<Double> = TestSupport.uniform([3, 2, 6, 5], seed: 1)
        let e = try TestSupport.gradientCheck(inputs: [x], store: s) { t, v in try conv(v[0], on: t) }
        #expect(e < tolerance, "\(e)")
    }

    @Test(arguments: [1, 2])
    func convolutionWithFusedActivation(stride: Int) throws {
        var conv: Conv2D!
        let s = try store { conv = try Conv2D($0.scope("c"), inputs: 2, outputs: 3, stride: stride) }
        let x: Tensor<Double> = TestSupport.uniform([2, 2, 6, 4], seed: 3, scale: 2)
        let e = try TestSupport.gradientCheck(inputs: [x], store: s) { t, v in try conv(v[0], on: t, activation: .silu) }
        #expect(e < tolerance, "\(e)")
        // Fused and separate activation agree.
        let tape = Tape<Double>(parameters: s)
        tape.begin(recording: false)
        defer { tape.end() }
        let xv = try tape.input(x)
        let fused = tape.tensor(try conv(xv, on: tape, activation: .silu))
        let separate = tape.tensor(tape.silu(try conv(xv, on: tape)))
        #expect(try fused.maxAbsDifference(separate) < 1e-15)
    }

    /// Large enough for several chunks per image and several parts, so that bands, halo rows and the
    /// chunked reductions are exercised; compared with a direct convolution, then gradient-checked.
    @Test func convolutionWithManyChunks() throws {
        var conv: Conv2D!
        let s = try store { conv = try Conv2D($0.scope("c"), inputs: 40, outputs: 2) }
        let x: Tensor<Double> = TestSupport.uniform([40, 3, 20, 12], seed: 2)
        let tape = Tape<Double>(parameters: s)
        tape.begin(recording: false)
        let y = try conv(try tape.input(x), on: tape)
        let fast = tape.tensor(y)
        tape.end()
        var maxErr = 0.0
        let w = s.value(conv.weight), b = s.value(conv.bias)
        for co in 0..<2 { for n in 0..<3 { for yy in 0..<20 { for xx in 0..<12 {
            var acc = b[co]
            for ky in 0..<3 { for kx in 0..<3 { for ci in 0..<40 {
                let sy = yy + ky - 1, sx = xx + kx - 1
                if sy >= 0 && sy < 20 && sx >= 0 && sx < 12 { acc += w[ky, kx, ci, co] * x[ci, n, sy, sx] }
            }}}
            maxErr = max(maxErr, abs(acc - fast[co, n, yy, xx]))
        }}}}
        #expect(maxErr < 1e-12)
        // Directional check of all gradients (too many elements for a full finite-difference check).
        tape.begin(recording: true)
        let xv = try tape.input(x, requiresGradient: true)
        let out = try conv(xv, on: tape)
        let seed: Tensor<Double> = TestSupport.uniform(out.extents.array, seed: 3)
        s.zeroGradients()
        try tape.backward(from: out, seed: seed)
        let gx = tape.gradient(xv)!
        tape.end()
        let u: Tensor<Double> = TestSupport.uniform(x.shape, seed: 4)
        let uw: Tensor<Double> = TestSupport.uniform(w.shape, seed: 5)
        func loss(_ x: Tensor<Double>) throws -> Double {
            tape.begin(recording: false)
            defer { tape.end() }
            return zip(tape.tensor(try conv(tape.input(x), on: tape)).scalars, seed.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let h = 1e-6
        var xp = x, xm = x
        for i in 0..<x.count { xp[flat: i] += h * u[flat: i]; xm[flat: i] -= h * u[flat: i] }
        let analyticX = zip(gx.scalars, u.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs((try loss(xp) - loss(xm)) / (2 * h) - analyticX) < 1e-6 * abs(analyticX))
        let gw = s.gradient(conv.weight)
        try s.setValue(conv.weight, try w + uw * h)
        let lp = try loss(x)
        try s.setValue(conv.weight, try w - uw * h)
        let lm = try loss(x)
        try s.setValue(conv.weight, w)
        let analyticW = zip(gw.scalars, uw.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs((lp - lm) / (2 * h) - analyticW) < 1e-6 * abs(analyticW))
    }

    @Test func dense() throws {
        var d: Dense!
        let s = try store { d = try Dense($0.scope("d"), inputs: 5, outputs: 3) }
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([4, 5], seed: 2)], store: s) { t, v in try d(v[0], on: t) }
        #expect(e < tolerance, "\(e)")
    }

    @Test func layerNorm() throws {
        var ln: LayerNorm!
        let s = try store { ln = try LayerNorm($0.scope("n"), channels: 5) }
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([5, 2, 3, 4], seed: 3)], store: s) { t, v in try ln(v[0], on: t) }
        #expect(e < tolerance, "\(e)")
    }

    @Test func layerNormFusedEpilogue() throws {
        var ln: LayerNorm!
        let s = try store { ln = try LayerNorm($0.scope("n"), channels: 4) }
        let inputs: [Tensor<Double>] = [
            TestSupport.uniform([4, 3, 5, 7], seed: 4), TestSupport.uniform([3, 4], seed: 5), TestSupport.uniform([4, 3, 5, 7], seed: 6),
        ]
        let e = try TestSupport.gradientCheck(inputs: inputs, store: s, dropout: RandomSource(seed: 8)) { t, v in
            try ln(v[0], on: t, shift: v[1], activation: .silu, dropoutRate: 0.3, residual: v[2])
        }
        #expect(e < tolerance, "\(e)")
    }

    @Test func groupNorm() throws {
        var gn: GroupNorm!
        let s = try store { gn = try GroupNorm($0.scope("g"), channels: 6, groups: 3) }
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([6, 2, 3, 3], seed: 7)], store: s) { t, v in try gn(v[0], on: t) }
        #expect(e < tolerance, "\(e)")
    }

    @Test func silu() throws {
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([3, 37], seed: 8, scale: 4)], store: store { _ in }) { t, v in t.silu(v[0]) }
        #expect(e < tolerance, "\(e)")
    }

    @Test func attention() throws {
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([12, 2, 3, 3], seed: 9)], store: store { _ in }) { t, v in
            try t.attention(v[0], heads: 2)
        }
        #expect(e < tolerance, "\(e)")
    }

    @Test func attentionBlock() throws {
        var a: AttentionBlock!
        let s = try store { a = try AttentionBlock($0.scope("a"), channels: 4, heads: 2) }
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([4, 2, 2, 3], seed: 10)], store: s) { t, v in try a(v[0], on: t) }
        #expect(e < tolerance, "\(e)")
    }

    @Test func bilinearUpsampling() throws {
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([2, 2, 3, 4], seed: 11)], store: store { _ in }) { t, v in
            try t.upsampleBilinear2x(v[0])
        }
        #expect(e < tolerance, "\(e)")
    }

    @Test func concatenation() throws {
        let inputs: [Tensor<Double>] = [TestSupport.uniform([2, 3, 4], seed: 12), TestSupport.uniform([2, 5, 4], seed: 13)]
        let e = try TestSupport.gradientCheck(inputs: inputs, store: store { _ in }) { t, v in try t.concatenate(v[0], v[1], axis: 1) }
        #expect(e < tolerance, "\(e)")
    }

    @Test func broadcastingArithmetic() throws {
        let inputs: [Tensor<Double>] = [TestSupport.uniform([3, 1, 4], seed: 14), TestSupport.uniform([2, 1], seed: 15)]
        let e = try TestSupport.gradientCheck(inputs: inputs, store: store { _ in }) { t, v in
            try t.multiply(t.add(v[0], v[1]), t.subtract(v[1], v[0]))
        }
        #expect(e < tolerance, "\(e)")
    }

    @Test func reshapeAndTranspose() throws {
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([2, 3, 4], seed: 16)], store: store { _ in }) { t, v in
            let r = try t.reshape(t.transpose(v[0], axes: [2, 0, 1]), Extents(8, 3))
            return try t.multiply(r, r)
        }
        #expect(e < tolerance, "\(e)")
    }

    @Test func sinusoidalEmbedding() throws {
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([3], seed: 17)], store: store { _ in }) { t, v in
            try t.sinusoidalEmbedding(v[0], dimension: 9)
        }
        #expect(e < tolerance, "\(e)")
    }

    @Test func meanSquaredError() throws {
        let inputs: [Tensor<Double>] = [TestSupport.uniform([2, 5], seed: 18), TestSupport.uniform([2, 5], seed: 19)]
        let e = try TestSupport.gradientCheck(inputs: inputs, store: store { _ in }) { t, v in try t.meanSquaredError(v[0], v[1]) }
        #expect(e < tolerance, "\(e)")
    }

    @Test func softmaxCrossEntropy() throws {
        let labels = [2, 0, 4, 4]
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([4, 5], seed: 22, scale: 3)], store: store { _ in }) { t, v in
            try t.softmaxCrossEntropy(v[0], labels: labels)
        }
        #expect(e < tolerance, "\(e)")
    }

    /// The value equals the direct formula, stays exact for logits far beyond exp's range, and bad
    /// labels or shapes throw.
    @Test func softmaxCrossEntropyValueAndStability() throws {
        let tape = Tape<Double>(parameters: ParameterStore())
        tape.begin(recording: false)
        defer { tape.end() }
        let z: Tensor<Double> = TestSupport.uniform([3, 4], seed: 23, scale: 2)
        let labels = [1, 3, 0]
        let direct = (0..<3).reduce(0.0) { acc, n in
            let row = (0..<4).map { z[n, $0] }
            return acc + Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +)) - row[labels[n]]
        } / 3
        let loss = try tape.softmaxCrossEntropy(tape.input(z), labels: labels)
        #expect(abs(tape.tensor(loss).scalar - direct) < 1e-14)
        // Logits shifted by 1000 give the same loss (softmax is shift invariant); [1000, 0] costs 1000 for label 1.
        let shifted = tape.tensor(try tape.softmaxCrossEntropy(tape.input(z.map { $0 + 1000 }), labels: labels)).scalar
        #expect(abs(shifted - direct) < 1e-12)
        let far = tape.tensor(try tape.softmaxCrossEntropy(tape.input(Tensor(shape: [1, 2], scalars: [1000, 0])), labels: [1])).scalar
        #expect(far == 1000)
        let f = Tape<Float>(parameters: ParameterStore())
        f.begin(recording: false)
        defer { f.end() }
        let big = f.tensor(try f.softmaxCrossEntropy(f.input(Tensor<Float>(shape: [1, 3], scalars: [300, -300, 0])), labels: [0])).scalar
        #expect(big == 0 && big.isFinite)
        #expect(throws: GUDError.self) { try tape.softmaxCrossEntropy(tape.input(z), labels: [0, 1]) }
        #expect(throws: GUDError.self) { try tape.softmaxCrossEntropy(tape.input(z), labels: [0, 4, 1]) }
        #expect(throws: GUDError.self) { try tape.softmaxCrossEntropy(tape.input(z), labels: [0, -1, 1]) }
        #expect(throws: GUDError.self) { try tape.softmaxCrossEntropy(tape.input(Tensor<Double>(shape: [12])), labels: [0]) }
    }

    @Test func dropout() throws {
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([4, 50], seed: 20)], store: store { _ in }, dropout: RandomSource(seed: 3)) { t, v in
            try t.dropout(v[0], rate: 0.5)
        }
        #expect(e < tolerance, "\(e)")
    }

    @Test func dropoutDropsTheRequestedFractionAndKeepsTheMean() throws {
        let tape = Tape<Double>(parameters: ParameterStore())
        tape.begin(recording: false, dropout: RandomSource(seed: 4))
        defer { tape.end() }
        let n = 40_000
        let y = tape.tensor(try tape.dropout(tape.input(Tensor(shape: [n], repeating: 1)), rate: 0.25))
        let zeros = y.scalars.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / Double(n) - 0.25) < 0.01)
        #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3.0) < 1e-15 })
        #expect(abs(y.mean() - 1) < 0.015)
    }

    @Test func scaleOperation() throws {
        let e = try TestSupport.gradientCheck(inputs: [TestSupport.uniform([7], seed: 21)], store: store { _ in }) { t, v in t.scale(v[0], by: -2.5) }
        #expect(e < tolerance, "\(e)")
    }
}
