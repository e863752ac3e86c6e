import Foundation
import Testing
@testable import GUDNumerics

struct FFTTests {
    init() { TestSupport.pinThreads }

    /// The orthonormal n-D DFT by direct summation, in Double. x is interleaved complex (shape + [2]).
    func naiveDFT(_ x: [Double], shape: [Int], sign: Double) -> [Double] {
        let n = shape.reduce(1, *)
        func multi(_ flat: Int) -> [Int] {
            var f = flat
            var idx = [Int](repeating: 0, count: shape.count)
            for a in stride(from: shape.count - 1, through: 0, by: -1) {
                idx[a] = f % shape[a]
                f /= shape[a]
            }
            return idx
        }
        var out = [Double](repeating: 0, count: 2 * n)
        for k in 0..<n {
            let kk = multi(k)
            var re = 0.0, im = 0.0
            for j in 0..<n {
                let jj = multi(j)
                var phase = 0.0
                for a in 0..<shape.count { phase += Double(kk[a] * jj[a]) / Double(shape[a]) }
                let (c, s) = (cos(2 * .pi * phase), sign * sin(2 * .pi * phase))
                re += x[2 * j] * c - x[2 * j + 1] * s
                im += x[2 * j] * s + x[2 * j + 1] * c
            }
            out[2 * k] = re / Double(n).squareRoot()
            out[2 * k + 1] = im / Double(n).squareRoot()
        }
        return out
    }

    static let shapes: [[Int]] = [[8], [4, 4], [3, 5], [28, 28]]

    func checkAgainstDFT<S: TensorScalar>(_ shape: [Int], _: S.Type) throws {
        let x: Tensor<S> = TestSupport.uniform(shape + [2], seed: UInt64(shape.reduce(1, *)))
        let xd = x.scalars.map(Double.init)
        let fwd = try FFT.forward(x)
        let inv = try FFT.inverse(x)
        let refF = naiveDFT(xd, shape: shape, sign: -1)
        let refI = naiveDFT(xd, shape: shape, sign: 1)
        let tol = S.self == Float.self ? 1e-5 : 1e-12
        for (u, v) in zip(fwd.scalars, refF) { #expect(abs(Double(u) - v) < tol * 10) }
        for (u, v) in zip(inv.scalars, refI) { #expect(abs(Double(u) - v) < tol * 10) }
        // Round trip and Parseval.
        let back = try FFT.inverse(fwd)
        #expect(Double(try back.maxAbsDifference(x)) < tol * 10)
        let e0 = Double(x.sumOfSquares()), e1 = Double(fwd.sumOfSquares())
        #expect(abs(e0 - e1) < tol * 10 * e0)
    }

    @Test(arguments: shapes) func matchesNaiveDFTFloat(shape: [Int]) throws { try checkAgainstDFT(shape, Float.self) }
    @Test(arguments: shapes) func matchesNaiveDFTDouble(shape: [Int]) throws { try checkAgainstDFT(shape, Double.self) }

    @Test(arguments: shapes) func realInputIsHermitian(shape: [Int]) throws {
        let x: Tensor<Double> = TestSupport.uniform(shape, seed: 5)
        let f = try FFT.forwardReal(x)
        let n = shape.reduce(1, *)
        // X(−k) = conj(X(k)), with −k taken per axis modulo the extent.
        for k in 0..<n {
            var rem = k, neg = 0, mul = 1
            for a in stride(from: shape.count - 1, through: 0, by: -1) {
                let i = rem % shape[a]
                rem /= shape[a]
                neg += ((shape[a] - i) % shape[a]) * mul
                mul *= shape[a]
            }
            #expect(abs(f.scalars[2 * k] - f.scalars[2 * neg]) < 1e-12)
            #expect(abs(f.scalars[2 * k + 1] + f.scalars[2 * neg + 1]) < 1e-12)
        }
        let back = try FFT.realPart(try FFT.inverse(f))
        #expect(try back.maxAbsDifference(x) < 1e-12)
    }

    @Test func batchedLayoutTransformsEachLine() throws {
        // (outer 3, spatial 4×5, inner 2): each (outer, inner) line equals its own 2-D transform.
        let layout = FFTLayout(spatialShape: [4, 5], outer: 3, inner: 2)
        let x: Tensor<Double> = TestSupport.uniform([3, 20, 2, 2], seed: 9)
        let f = try FFT.transform(x, layout: layout, direction: .forward)
        for o in 0..<3 {
            for c in 0..<2 {
                var line = [Double]()
                for s in 0..<20 { line += [x[o, s, c, 0], x[o, s, c, 1]] }
                let ref = naiveDFT(line, shape: [4, 5], sign: -1)
                for s in 0..<20 {
                    #expect(abs(f[o, s, c, 0] - ref[2 * s]) < 1e-12)
                    #expect(abs(f[o, s, c, 1] - ref[2 * s + 1]) < 1e-12)
                }
            }
        }
    }

    @Test func plansAreCachedAndThreadSafe() throws {
        let layouts = (1...6).map { FFTLayout(spatialShape: [$0 + 2, 7], outer: 2, inner: 1) }
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let l = layouts[i % layouts.count]
            let x: Tensor<Float> = TestSupport.uniform([2, l.spatialCount, 1, 2], seed: UInt64(i))
            let y = try! FFT.transform(
                try! FFT.transform(x, layout: l, direction: .forward), layout: l, direction: .inverse)
            precondition(try! y.maxAbsDifference(x) < 1e-5)
        }
        let p1: FFTPlan<Float> = try FFTPlanner.plan(layouts[0], .forward)
        let p2: FFTPlan<Float> = try FFTPlanner.plan(layouts[0], .forward)
        #expect(p1 === p2)
    }

    @Test func badInputThrows() {
        #expect(throws: GUDError.self) { try FFT.forward(Tensor<Double>(shape: [4, 3])) }
        #expect(throws: GUDError.self) {
            try FFT.transform(Tensor<Double>(shape: [4, 2]), layout: FFTLayout(spatialShape: [5]), direction: .forward)
        }
        #expect(throws: GUDError.self) {
            try FFT.transform(Tensor<Double>(shape: [0, 2]), layout: FFTLayout(spatialShape: [0]), direction: .forward)
        }
    }
}
