import Testing
@testable import GUDNumerics

struct SymmetricEigendecompositionTests {
    init() { TestSupport.pinThreads }

    /// A random SPD matrix BBᵀ/n + 0.1 I.
    func randomSPD(_ n: Int, seed: UInt64) throws -> Tensor<Double> {
        let b: Tensor<Double> = TestSupport.uniform([n, n], seed: seed)
        var a = try Tensor.matmul(b, b, transposeB: true) / Double(n)
        for i in 0..<n { a[i, i] += 0.1 }
        return a
    }

    /// max |A − Vᵀ Λ V| and max |V Vᵀ − I|.
    func residuals(_ a: Tensor<Double>, _ e: SymmetricEigendecomposition<Double>) throws -> (Double, Double) {
        let n = a.shape[0]
        var lv = e.vectors
        for i in 0..<n { for j in 0..<n { lv[i, j] *= e.values[i] } }
        let rec = try Tensor.matmul(e.vectors, lv, transposeA: true)
        let gram = try Tensor.matmul(e.vectors, e.vectors, transposeB: true)
        return (try rec.maxAbsDifference(a), try gram.maxAbsDifference(.identity(n)))
    }

    @Test(arguments: [1, 2, 6, 37, 100, 200])
    func reconstructsSPD(n: Int) throws {
        let a = try randomSPD(n, seed: UInt64(n))
        let e = try SymmetricEigendecomposition(a)
        let (rec, orth) = try residuals(a, e)
        #expect(rec < 1e-10)
        #expect(orth < 1e-10)
        #expect(zip(e.values.scalars, e.values.scalars.dropFirst()).allSatisfy { $0 <= $1 }, "ascending order")
        #expect(e.values.scalars.allSatisfy { $0 > 0 })
    }

    @Test func signsAreDeterministic() throws {
        let e = try SymmetricEigendecomposition(try randomSPD(20, seed: 3))
        for i in 0..<20 {
            let row = (0..<20).map { e.vectors[i, $0] }
            let big = row.max { abs($0) < abs($1) }!
            #expect(big > 0)
        }
    }

    @Test func singularAndIndefiniteAreDecomposedAsIs() throws {
        // Rank 1: eigenvalues 0, 0, 14; indefinite: eigenvalues −1, 3.
        let v: [Double] = [1, 2, 3]
        let rank1 = Tensor(shape: [3, 3]) { v[$0 / 3] * v[$0 % 3] }
        let e1 = try SymmetricEigendecomposition(rank1)
        #expect(abs(e1.values[0]) < 1e-12 && abs(e1.values[1]) < 1e-12)
        #expect(abs(e1.values[2] - 14) < 1e-12)
        #expect(try residuals(rank1, e1).0 < 1e-12)
        let indefinite = try Tensor<Double>(shape: [2, 2], scalars: [1, 2, 2, 1])
        let e2 = try SymmetricEigendecomposition(indefinite)
        #expect(abs(e2.values[0] + 1) < 1e-12 && abs(e2.values[1] - 3) < 1e-12)
    }

    @Test func floatPrecision() throws {
        let a = try randomSPD(50, seed: 11)
        let e = try SymmetricEigendecomposition(a.converted(to: Float.self))
        let ed = try SymmetricEigendecomposition(a)
        for (x, y) in zip(e.values.scalars, ed.values.scalars) { #expect(abs(Double(x) - y) < 1e-4 * max(1, abs(y))) }
    }

    @Test func badInputThrows() throws {
        #expect(throws: GUDError.self) { try SymmetricEigendecomposition(Tensor<Double>(shape: [2, 3])) }
        var nan = Tensor<Double>.identity(3)
        nan[1, 1] = .nan
        #expect(throws: GUDError.nonFinite("matrix to decompose has nan at flat index 4 (shape [3, 3]); expected finite values")) {
            try SymmetricEigendecomposition(nan)
        }
        let asym = try Tensor<Double>(shape: [2, 2], scalars: [1, 2, 0, 1])
        #expect(throws: GUDError.self) { try SymmetricEigendecomposition(asym) }
    }
}
