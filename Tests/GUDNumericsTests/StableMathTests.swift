import Testing
@testable import GUDNumerics

struct StableMathTests {
    func check<T: TensorScalar>(_: T.Type) {
        // Reference values from mpmath at 30 digits (sigmoid, softplus of ±40, 0, ±1e-3).
        #expect(StableMath.sigmoid(T(0)) == 0.5)
        #expect(StableMath.sigmoid(T(-800)) >= 0 && StableMath.sigmoid(T(-800)).isFinite)
        #expect(StableMath.sigmoid(T(800)) == 1)
        let s40 = StableMath.sigmoid(T(-40))
        #expect(abs(s40 / T(4.248354255291589e-18) - 1) < T.ulpOfOne * 16)
        #expect(abs(StableMath.softplus(T(40)) - 40) <= T.ulpOfOne * 40)
        #expect(abs(StableMath.softplus(T(-40)) / T(4.248354255291589e-18) - 1) < T.ulpOfOne * 16)
        #expect(abs(StableMath.softplus(T(0)) - T(0.6931471805599453)) < T.ulpOfOne * 2)
        #expect(StableMath.softplus(T(1000)) == 1000)
        #expect(abs(StableMath.logSigmoid(T(-1000)) + 1000) <= T.ulpOfOne * 1000)
        // logit inverts sigmoid across the γ range, where 1 − p is tiny.
        let tol: T = T.self == Float.self ? 2e-2 : 1e-8
        for i in -30...30 {
            let x = T(i) / 2
            let y = StableMath.logit(StableMath.sigmoid(x))
            #expect(abs(y - x) < tol * max(1, abs(x)))
        }
        #expect(StableMath.logit(T(0)) == -.infinity)
        #expect(StableMath.logit(T(1)) == .infinity)
        #expect(StableMath.logit(T(1.5)).isNaN)
        // log-sum-exp.
        let lse: T = StableMath.logSumExp([T(1000), T(1000)])
        #expect(abs(lse - (1000 + T.log(2))) < T.ulpOfOne * 2000)
        #expect(StableMath.logSumExp([T]()) == -.infinity)
        #expect(StableMath.logSumExp([-T.infinity, -T.infinity]) == -.infinity)
        #expect(StableMath.logSumExp([T(1), .infinity]) == .infinity)
        #expect(StableMath.logSumExp([T(1), .nan]).isNaN)
        let small: T = StableMath.logSumExp([T(-1000), T(-1001)])
        #expect(abs(small - (-1000 + T.log(1 + T.exp(-1)))) < T.ulpOfOne * 2000)
    }

    @Test func float() { check(Float.self) }
    @Test func double() { check(Double.self) }
}
