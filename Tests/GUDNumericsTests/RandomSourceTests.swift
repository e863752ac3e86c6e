import Testing
@testable import GUDNumerics

struct RandomSourceTests {
    @Test func gaussianMomentsMatchStandardNormal() {
        let n = 200_000
        var s = RandomSource(seed: 42).stream(0)
        var sum = 0.0, sum2 = 0.0, sum4 = 0.0
        for _ in 0..<n {
            let z = s.nextGaussian()
            sum += z; sum2 += z * z; sum4 += z * z * z * z
        }
        let mean = sum / Double(n), variance = sum2 / Double(n) - mean * mean
        // Standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032, 4th moment √(96/n) ≈ 0.022.
        #expect(abs(mean) < 5 * 0.0023)
        #expect(abs(variance - 1) < 5 * 0.0032)
        #expect(abs(sum4 / Double(n) - 3) < 5 * 0.022)
    }

    @Test func uniformMomentsAndRange() {
        var s = RandomSource(seed: 1).stream(3)
        let xs = (0..<100_000).map { _ in s.nextUniform() }
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = xs.reduce(0, +) / Double(xs.count)
        #expect(abs(mean - 0.5) < 5 * (1 / 12.0 / Double(xs.count)).squareRoot())
    }

    @Test func reproduciblePerSeed() {
        let a: Tensor<Double> = RandomSource(seed: 7).gaussian(shape: [4, 10])
        let b: Tensor<Double> = RandomSource(seed: 7).gaussian(shape: [4, 10])
        let c: Tensor<Double> = RandomSource(seed: 8).gaussian(shape: [4, 10])
        #expect(a == b)
        #expect(a != c)
    }

    @Test func sampleDrawsDoNotDependOnBatchSize() {
        let source = RandomSource(seed: 2024)
        let big: Tensor<Double> = source.gaussian(shape: [16, 3, 5])
        let small: Tensor<Double> = source.gaussian(shape: [4, 3, 5])
        let shifted: Tensor<Double> = source.gaussian(shape: [2, 3, 5], firstSample: 9)
        #expect(Array(big.scalars[0..<60]) == small.scalars)
        #expect(Array(big.scalars[(9 * 15)..<(11 * 15)]) == shifted.scalars)
    }

    @Test func drawSequenceIsIndependentOfCallSplitting() {
        var one = RandomSource(seed: 5).stream(1)
        var buffered = one
        let singles = (0..<11).map { _ in one.nextGaussian() }
        var buf = [Double](repeating: 0, count: 11)
        buf.withUnsafeMutableBufferPointer { b in
            buffered.fillGaussian(UnsafeMutableBufferPointer(rebasing: b[0..<3]))
            buffered.fillGaussian(UnsafeMutableBufferPointer(rebasing: b[3..<11]))
        }
        #expect(singles == buf)
    }

    @Test func floatAndDoubleDrawsAgreeToRounding() {
        let d: Tensor<Double> = RandomSource(seed: 3).gaussian(shape: [2, 50])
        let f: Tensor<Float> = RandomSource(seed: 3).gaussian(shape: [2, 50])
        #expect(f == d.converted(to: Float.self))
    }

    @Test func derivedSourcesAndStreamsDiffer() {
        let s = RandomSource(seed: 0)
        var a = s.stream(0), b = s.stream(1), c = s.derived("shuffle").stream(0), d = s.derived(1).stream(0)
        let firsts = [a.next(), b.next(), c.next(), d.next()]
        #expect(Set(firsts).count == 4)
        #expect(s.derived("x") == s.derived("x"))
    }

    @Test func uniformNeverRoundsToOneInFloat() {
        var s = RandomSource(seed: 9).stream(0)
        for _ in 0..<10_000 { #expect(s.nextUniform(as: Float.self) < 1) }
    }
}
