import Foundation
import Testing
@testable import GUD

@Suite("Likelihood and models")
struct LikelihoodTests {
    /// The finite-difference vector–Jacobian products agree with exact ones: the diagonal Gaussian
    /// model's (linear, in PCA and Fourier spaces) and tanh's (nonlinear, Jacobian 1 − tanh²).
    @Test func finiteDifferenceProductsMatchExactOnes() throws {
        let problem = try GaussianProblem()
        let (pca, variances) = try problem.space(whitened: false)
        let fourier = try FourierSpace<Double>(shape: [4, 4])
        let cases: [(String, any Space<Double>, [Double])] = [("pca", pca, variances), ("fourier", fourier, [Double](repeating: 2, count: 16))]
        for (name, space, variances) in cases {
            let model = try DiagonalGaussianModel(variances: variances)
            let closure = EpsilonClosure<Double> { state, x in try model.epsilon(x, state: state) }
            let schedule = try LinearSchedule<Double>(gammaMin: -5, gammaMax: 5)
            let state = try schedule(times: [0.2, 0.7, 0.5])
            let source = RandomSource(seed: 30)
            let y: Tensor<Double> = source.gaussian(shape: [3, 16, 1])
            let cotangents: [Tensor<Double>] = (0..<3).map { source.derived($0).gaussian(shape: [3, 16, 1]) }
            let exact = try model.epsilonAndVJP(dataWhite: y, state: state, space: space, cotangents: cotangents)
            let approximate = try closure.epsilonAndVJP(dataWhite: y, state: state, space: space, cotangents: cotangents)
            #expect(try exact.epsilon.maxAbsDifference(approximate.epsilon) < 1e-12, "\(name): ε")
            for k in 0..<3 {
                #expect(try exact.vjps[k].maxAbsDifference(approximate.vjps[k]) < 1e-8, "\(name): VJP \(k)")
            }
        }
        // A nonlinear model in Float, and in Double.
        let space = try IdentitySpace<Float>(dimension: 6)
        let tanhModel = EpsilonClosure<Float> { _, x in x.map { Float.tanh($0) } }
        let y: Tensor<Float> = RandomSource(seed: 31).gaussian(shape: [2, 6, 2])
        let v: Tensor<Float> = RandomSource(seed: 32).gaussian(shape: [2, 6, 2])
        let result = try tanhModel.epsilonAndVJP(dataWhite: y, state: LinearSchedule<Float>()(0.5), space: space, cotangents: [v])
        let expected = try v.zipMap(y) { $0 * (1 - Float.tanh($1) * Float.tanh($1)) }
        #expect(try result.vjps[0].maxAbsDifference(expected) < 2e-4)
    }

    /// The likelihood through the default finite-difference products equals the one through exact
    /// products (the integration path of models without a backward pass).
    @Test func finiteDifferenceLikelihood() throws {
        let problem = try GaussianProblem()
        let (space, variances) = try problem.space(whitened: false)
        let schedule = try problem.schedule(space: space, softness: 1, gammaMinTarget: -12, gammaMaxTarget: 6)
        let model = try DiagonalGaussianModel(variances: variances)
        let closure = EpsilonClosure<Double> { state, x in try model.epsilon(x, state: state) }
        let data = try DataValue(space, data: problem.samples(2, source: RandomSource(seed: 2)))
        let exact = try logLikelihood(model: model, schedule: schedule, data: data, relativeTolerance: 1e-6, absoluteTolerance: 1e-6)
        let approximate = try logLikelihood(model: closure, schedule: schedule, data: data, relativeTolerance: 1e-6, absoluteTolerance: 1e-6)
        for b in 0..<2 { #expect(abs(exact.logDensity[b] - approximate.logDensity[b]) < 1e-5) }
    }

    /// Stationary Gaussian data is diagonal in the Fourier basis: with the whitening scale √P the
    /// exact model has unit variances, and the ODE log-density (complex components, the dataWhite
    /// trace and log|det M| of the Fourier space) equals the analytic density
    /// −½ Σₖ |Xₖ|²/Pₖ − ½ Σ log Pₖ − D/2 log 2π, X = FFT(φ).
    @Test func fourierLikelihoodIsExact() throws {
        let shape = [4, 4]
        let mirror = FourierSpace<Double>.conjugateIndices(shape)
        let power = (0..<16).map { k -> Double in
            let (r, c) = (min(k / 4, 4 - k / 4), min(k % 4, 4 - k % 4))
            let squared = Double(r * r + c * c)
            return 3 / (1 + squared)
        }
        #expect(power.indices.allSatisfy { power[$0] == power[mirror[$0]] })
        let space = try FourierSpace(shape: shape, scale: power.map { $0.squareRoot() })
        let plain = try FourierSpace<Double>(shape: shape)
        // φ = IFFT(√P · FFT(z)) is N(0, C) with C circulant of spectrum P.
        let z: Tensor<Double> = RandomSource(seed: 40).gaussian(shape: [5, 16, 1])
        let phi = try space.decode(plain.toComponentSpace(z))
        let spectrum = try plain.toComponentSpace(phi)
        let logDet = power.reduce(0.0) { $0 + log($1) }
        let analytic = (0..<5).map { b -> Double in
            var quadratic = 0.0
            for k in 0..<16 {
                let (re, im) = (spectrum[b, k, 0, 0], spectrum[b, k, 0, 1])
                quadratic += (re * re + im * im) / power[k]
            }
            return -0.5 * (quadratic + logDet + 16 * log(2 * Double.pi))
        }
        let labels = power.map { -log($0) }
        let schedule = try softConditioningSchedule(labels: labels, gammaMinTarget: -20, gammaMaxTarget: 5, softness: 1)
        let ones = [Double](repeating: 1, count: 16)
        let result = try logLikelihood(
            model: DiagonalGaussianModel(variances: ones), schedule: schedule, data: DataValue(space, data: phi),
            prior: GaussianPrior.marginal(dataVariances: ones, schedule: schedule), relativeTolerance: 1e-9, absoluteTolerance: 1e-9)
        for b in 0..<5 { #expect(abs(result.logDensity[b] - analytic[b]) < 1e-6, "\(result.logDensity[b]) vs \(analytic[b])") }
        // The same in an unwhitened Fourier space, where the flow is not trivial.
        let unwhitened = try logLikelihood(
            model: DiagonalGaussianModel(variances: power), schedule: schedule, data: DataValue(plain, data: phi),
            prior: GaussianPrior.marginal(dataVariances: power, schedule: schedule), relativeTolerance: 1e-9, absoluteTolerance: 1e-9)
        for b in 0..<5 { #expect(abs(unwhitened.logDensity[b] - analytic[b]) < 1e-6, "\(unwhitened.logDensity[b]) vs \(analytic[b])") }
    }

    /// Bits per dimension with the dequantisation offset log₂(256/2) = 7 for 8-bit data in [−1, 1].
    @Test func bitsPerDimension() throws {
        #expect(dequantizationOffset() == 7)
        #expect(dequantizationOffset(levels: 256, range: 1) == 8)
        let bits: Double = GUD.bitsPerDimension(logLikelihood: -1000, dimension: 784)
        let expected: Double = 1000 / (784 * log(2.0)) + 7
        #expect(abs(bits - expected) < 1e-12)
        #expect(GUD.bitsPerDimension(logLikelihood: Float(0), dimension: 10, offset: 0) == 0)
        // On a result: the data-space log-density per dimension.
        let space = try IdentitySpace<Double>(dimension: 4, scale: [2, 2, 2, 2])
        let data = try DataValue(space, data: Tensor(shape: [1, 4, 1], repeating: 0))
        let schedule = try LinearSchedule<Double>(gammaMin: -20, gammaMax: 5)
        let result = try logLikelihood(model: DiagonalGaussianModel(variances: [1, 1, 1, 1]), schedule: schedule, data: data,
                                       prior: GaussianPrior.marginal(dataVariances: [1, 1, 1, 1], schedule: schedule))
        // N(0, 4 I) at 0: −2 log(2π · 4).
        #expect(abs(result.logDensity[0] - -2 * log(8 * Double.pi)) < 1e-6)
        #expect(abs(result.logDensityWhite[0] - -2 * log(2 * Double.pi)) < 1e-6)
        let expectedBits: Double = 2 * log(8 * Double.pi) / (4 * log(2.0)) + 7
        #expect(abs(result.bitsPerDimension()[0] - expectedBits) < 1e-6)
        #expect(result.dimension == 4)
    }

    /// The Gaussian prior's log-density in real and complex (Fourier) compWhite.
    @Test func gaussianPrior() throws {
        let y: Tensor<Double> = RandomSource(seed: 41).gaussian(shape: [3, 16, 2])
        let squares = (0..<3).map { b in (0..<32).reduce(0.0) { $0 + y[flat: b * 32 + $1] * y[flat: b * 32 + $1] } }
        let reference = squares.map { -0.5 * $0 - 16 * log(2 * Double.pi) }
        let real = try IdentitySpace<Double>(dimension: 16), fourier = try FourierSpace<Double>(shape: [16])
        for (space, x) in [(real as any Space<Double>, y), (fourier, try fourier.toComponentSpace(y))] {
            let log = try GaussianPrior<Double>.standard.logDensity(compWhite: x, space: space)
            for b in 0..<3 { #expect(abs(log[b] - reference[b]) < 1e-10) }
        }
        let scaled = try GaussianPrior(variances: [Double](repeating: 4, count: 16)).logDensity(compWhite: y, space: real)
        for b in 0..<3 { #expect(abs(scaled[b] - (reference[b] + 0.375 * squares[b] - 32 * log(2.0))) < 1e-10) }
        #expect(throws: GUDError.self) { try GaussianPrior(variances: [1.0, 0]) }
        #expect(throws: GUDError.self) { try GaussianPrior(variances: [1.0, 2]).logDensity(compWhite: y, space: real) }
    }
}
