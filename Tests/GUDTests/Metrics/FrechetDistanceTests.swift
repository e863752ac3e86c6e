import Testing
@testable import GUD

struct FrechetDistanceTests {
    @Test func distanceOfASetToItselfIsZero() throws {
        let x: Tensor<Double> = RandomSource(seed: 1).gaussian(shape: [200, 6])
        #expect(abs(try FrechetDistance.distance(x, x)) < 1e-9)
    }

    @Test func matchesClosedFormForTwoGaussians() throws {
        // Commuting (diagonal) case: d² = ‖μ₁−μ₂‖² + Σ (√a − √b)².
        let m1 = Tensor<Double>([0, 1, 2]), m2 = Tensor<Double>([1, 1, 0])
        let a: [Double] = [1, 4, 9], b: [Double] = [4, 1, 1]
        func diag(_ v: [Double]) -> Tensor<Double> { Tensor(shape: [3, 3]) { $0 / 3 == $0 % 3 ? v[$0 / 3] : 0 } }
        let d = try FrechetDistance.distance(mean1: m1, covariance1: diag(a), mean2: m2, covariance2: diag(b))
        #expect(abs(d - (5 + 1 + 1 + 4)) < 1e-12)
        // Non-commuting case; expected value from scipy (see frechet_reference.py beside this file):
        // C1 = [[2, 0.5], [0.5, 1]], C2 = [[1, -0.3], [-0.3, 3]], μ₁ = (0, 0), μ₂ = (1, 2) → 5.9293118550.
        let c1 = try Tensor<Double>(shape: [2, 2], scalars: [2, 0.5, 0.5, 1])
        let c2 = try Tensor<Double>(shape: [2, 2], scalars: [1, -0.3, -0.3, 3])
        let d2 = try FrechetDistance.distance(mean1: Tensor([0, 0]), covariance1: c1, mean2: Tensor([1, 2]), covariance2: c2)
        #expect(abs(d2 - 5.9293118550) < 1e-8)
    }

    @Test func squareRootSquaresBack() throws {
        let b: Tensor<Double> = RandomSource(seed: 2).gaussian(shape: [8, 8])
        let spd = try Tensor.matmul(b, b, transposeB: true)
        let r = try FrechetDistance.squareRoot(spd)
        #expect(try Tensor.matmul(r, r).maxAbsDifference(spd) < 1e-10)
    }

    @Test func badInputThrows() {
        #expect(throws: GUDError.self) { try FrechetDistance.distance(Tensor<Double>(shape: [1, 3]), Tensor<Double>(shape: [5, 3])) }
        #expect(throws: GUDError.self) {
            try FrechetDistance.distance(mean1: Tensor([0]), covariance1: .identity(2), mean2: Tensor([0]), covariance2: .identity(2))
        }
        var nan = Tensor<Float>(shape: [3, 2])
        nan[0, 0] = .nan
        #expect(throws: GUDError.self) { try FrechetDistance.distance(nan, nan) }
    }
}
