import Testing
@testable import GUDNumerics

/// gemm / gemv against naive loops, for odd shapes and every transpose combination.
struct MatrixProductTests {
    init() { TestSupport.pinThreads }

    /// C = op(A) op(B) by a triple loop in Double.
    func naive<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>, _ ta: Bool, _ tb: Bool) -> [Double] {
        let (m, k) = ta ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let n = tb ? b.shape[0] : b.shape[1]
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = ta ? a[p, i] : a[i, p]
                    let bv = tb ? b[j, p] : b[p, j]
                    s += Double(av) * Double(bv)
                }
                c[i * n + j] = s
            }
        }
        return c
    }

    func checkGemm<S: TensorScalar>(_: S.Type) throws {
        let shapes = [(1, 1, 1), (3, 5, 7), (17, 1, 9), (13, 31, 2), (64, 33, 65), (2, 100, 3)]
        var seed: UInt64 = 1
        for (m, k, n) in shapes {
            for ta in [false, true] {
                for tb in [false, true] {
                    seed += 1
                    let a: Tensor<S> = TestSupport.uniform(ta ? [k, m] : [m, k], seed: seed)
                    let b: Tensor<S> = TestSupport.uniform(tb ? [n, k] : [k, n], seed: seed + 100)
                    let c = try Tensor.matmul(a, b, transposeA: ta, transposeB: tb)
                    #expect(c.shape == [m, n])
                    let ref = naive(a, b, ta, tb)
                    let tol = Double(TestSupport.tolerance(S.self)) * Double(k)
                    for (x, y) in zip(c.scalars, ref) {
                        #expect(abs(Double(x) - y) <= tol * max(1, abs(y)), "m=\(m) k=\(k) n=\(n) ta=\(ta) tb=\(tb)")
                    }
                }
            }
        }
    }

    @Test func gemmFloat() throws { try checkGemm(Float.self) }
    @Test func gemmDouble() throws { try checkGemm(Double.self) }

    @Test func batchedAndBroadcast() throws {
        let a: Tensor<Double> = TestSupport.uniform([2, 3, 4, 5], seed: 7)
        let b: Tensor<Double> = TestSupport.uniform([2, 3, 5, 6], seed: 8)
        let w: Tensor<Double> = TestSupport.uniform([5, 6], seed: 9)
        let c = try Tensor.matmul(a, b)
        let d = try Tensor.matmul(a, w)
        #expect(c.shape == [2, 3, 4, 6])
        #expect(d.shape == [2, 3, 4, 6])
        for i in 0..<2 {
            for j in 0..<3 {
                let ai = Tensor(shape: [4, 5]) { a[i, j, $0 / 5, $0 % 5] }
                let bi = Tensor(shape: [5, 6]) { b[i, j, $0 / 6, $0 % 6] }
                let ref = naive(ai, bi, false, false)
                let ref2 = naive(ai, w, false, false)
                for r in 0..<4 {
                    for s in 0..<6 {
                        #expect(abs(c[i, j, r, s] - ref[r * 6 + s]) < 1e-12)
                        #expect(abs(d[i, j, r, s] - ref2[r * 6 + s]) < 1e-12)
                    }
                }
            }
        }
    }

    func checkGemv<S: TensorScalar>(_: S.Type) throws {
        let a: Tensor<S> = TestSupport.uniform([7, 11], seed: 3)
        let x: Tensor<S> = TestSupport.uniform([11], seed: 4)
        let xt: Tensor<S> = TestSupport.uniform([7], seed: 5)
        let y = try Tensor.matvec(a, x)
        let yt = try Tensor.matvec(a, xt, transposeA: true)
        let ref = naive(a, try x.reshaped([11, 1]), false, false)
        let reft = naive(a, try xt.reshaped([7, 1]), true, false)
        let tol = Double(TestSupport.tolerance(S.self)) * 11
        for (u, v) in zip(y.scalars, ref) { #expect(abs(Double(u) - v) <= tol) }
        for (u, v) in zip(yt.scalars, reft) { #expect(abs(Double(u) - v) <= tol) }
    }

    @Test func gemvFloat() throws { try checkGemv(Float.self) }
    @Test func gemvDouble() throws { try checkGemv(Double.self) }

    @Test func mismatchedShapesThrow() {
        let a = Tensor<Float>(shape: [3, 4])
        let b = Tensor<Float>(shape: [5, 2])
        #expect(throws: GUDError.self) { try Tensor.matmul(a, b) }
        #expect(throws: GUDError.self) { try Tensor.matmul(a, Tensor<Float>(shape: [4])) }
        #expect(throws: GUDError.self) {
            try Tensor.matmul(Tensor<Float>(shape: [2, 3, 4]), Tensor<Float>(shape: [3, 4, 2]))
        }
        #expect(throws: GUDError.self) { try Tensor.matvec(a, Tensor<Float>(shape: [3])) }
        do {
            _ = try Tensor.matmul(a, b)
        } catch let e as GUDError {
            #expect(e.description.contains("[3, 4]") && e.description.contains("[5, 2]"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func emptyInnerDimensionGivesZeros() throws {
        let c = try Tensor.matmul(Tensor<Double>(shape: [3, 0]), Tensor<Double>(shape: [0, 2]))
        #expect(c == Tensor<Double>(shape: [3, 2]))
    }
}
