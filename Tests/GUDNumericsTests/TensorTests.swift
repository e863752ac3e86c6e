import Testing
@testable import GUDNumerics

struct TensorTests {
    @Test func constructionAndIndexing() throws {
        let t = try Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t[1, 2] == 6)
        #expect(t.strides == [3, 1])
        #expect(t.rank == 2 && t.count == 6)
        #expect(Tensor<Float>(scalar: 3).shape == [])
        #expect(throws: GUDError.self) { try Tensor<Double>(shape: [2, 3], scalars: [1, 2]) }
        #expect(throws: GUDError.self) { try Tensor<Double>(shape: [-1, 3], scalars: []) }
        #expect(throws: GUDError.self) { try Tensor<Double>(shape: [Int.max, 4], scalars: []) }
    }

    @Test func copyOnWrite() {
        let a = Tensor<Float>(shape: [3], repeating: 1)
        var b = a
        b[flat: 0] = 5
        #expect(a.scalars == [1, 1, 1])
        #expect(b.scalars == [5, 1, 1])
    }

    @Test func reshape() throws {
        let t = Tensor<Double>(shape: [2, 3, 4])
        #expect(try t.reshaped([6, -1]).shape == [6, 4])
        #expect(throws: GUDError.self) { try t.reshaped([5, -1]) }
        #expect(throws: GUDError.self) { try t.reshaped([-1, -1]) }
        #expect(throws: GUDError.self) { try t.reshaped([25]) }
    }

    @Test func elementwiseAndShapeErrors() throws {
        let a = try Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = try Tensor<Double>(shape: [2, 2], scalars: [4, 3, 2, 1])
        #expect(try (a + b).scalars == [5, 5, 5, 5])
        #expect(try (a * b).scalars == [4, 6, 6, 4])
        #expect((a * 2).scalars == [2, 4, 6, 8])
        #expect((-a).scalars == [-1, -2, -3, -4])
        #expect(a.sum() == 10 && a.mean() == 2.5 && a.sumOfSquares() == 30)
        #expect(a.max() == 4 && a.min() == 1)
        var c = a
        try c.addScaled(b, alpha: 2)
        #expect(c.scalars == [9, 8, 7, 6])
        #expect(throws: GUDError.self) { try a + Tensor<Double>(shape: [4]) }
        #expect(throws: GUDError.self) { try c.addScaled(Tensor<Double>(shape: [3])) }
    }

    @Test func axisReductionsAndPermutation() throws {
        let t = Tensor<Double>(shape: [2, 3, 4]) { Double($0) }
        let s0 = try t.sum(axis: 0)
        #expect(s0.shape == [3, 4] && s0[1, 2] == t[0, 1, 2] + t[1, 1, 2])
        let s1 = try t.mean(axis: 1)
        #expect(s1.shape == [2, 4] && s1[1, 3] == (t[1, 0, 3] + t[1, 1, 3] + t[1, 2, 3]) / 3)
        let p = try t.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { #expect(p[k, i, j] == t[i, j, k]) } } }
        #expect(throws: GUDError.self) { try t.permuted([0, 0, 1]) }
        #expect(throws: GUDError.self) { try t.sum(axis: 3) }
        #expect(try Tensor<Double>(shape: [2, 3]) { Double($0) }.transposed()[2, 1] == 5)
    }

    @Test func nonFiniteIsReported() throws {
        var t = Tensor<Float>(shape: [2, 2])
        try t.checkFinite("x")
        t[1, 0] = .infinity
        #expect(!t.isFinite)
        #expect(throws: GUDError.nonFinite("x has inf at flat index 2 (shape [2, 2]); expected finite values")) {
            try t.checkFinite("x")
        }
        #expect(throws: GUDError.self) { try t.checkShape([2, 3], "x") }
        try t.checkShape([-1, 2], "x")
    }
}
