import Foundation
import Testing
@testable import GUD

/// Bad input gives a clear thrown ``GUDError`` of the right kind, never a crash or NaN.
@Suite("Bad input")
struct BadInputTests {
    enum Kind { case shape, argument, nonFinite }

    /// Expects `body` to throw the given kind of ``GUDError`` whose message mentions every fragment.
    func expectError(_ kind: Kind, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a \(kind) error", sourceLocation: sourceLocation)
        } catch let error as GUDError {
            let matches: Bool
            switch (kind, error) {
            case (.shape, .shapeMismatch), (.argument, .invalidArgument), (.nonFinite, .nonFinite): matches = true
            default: matches = false
            }
            #expect(matches, "expected a \(kind) error, got \(error)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(error.message.contains(fragment), "'\(error.message)' does not mention '\(fragment)'", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("expected GUDError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func wrongShapes() throws {
        let space = try LinearSpace<Double>(covariance: Tensor.identity(4))
        let fourier = try FourierSpace<Double>(shape: [2, 2])
        expectError(.shape, "expected (batch, 4, channels)") { _ = try space.encode(Tensor(shape: [2, 5, 1])) }
        expectError(.shape) { _ = try space.encode(Tensor(shape: [2, 4])) }
        expectError(.shape, "(batch, 4, channels, 2)") { _ = try fourier.decode(Tensor(shape: [1, 4, 1])) }
        expectError(.shape) { _ = try DataValue(space, compWhite: Tensor(shape: [1, 3, 1])) }
        expectError(.shape, "square") { _ = try LinearSpace<Double>(components: Tensor(shape: [3, 4])) }
        expectError(.shape, "one per component") { _ = try IdentitySpace<Double>(dimension: 3, scale: [1, 2]) }
        // States that do not broadcast to the data.
        let state = try LinearSchedule<Double>()(times: [0.1, 0.2, 0.3])
        expectError(.shape, "batch 2") { _ = try epsilonToScore(Tensor<Double>(shape: [2, 4, 1]), state: state) }
        let componentwise = try softConditioningSchedule(labels: [1.0, 2, 3])(0.5)
        expectError(.shape) { _ = try scoreToVelocity(Tensor<Double>(shape: [1, 4, 1]), x: Tensor(shape: [1, 4, 1]), state: componentwise) }
        expectError(.shape) { _ = try scoreToVelocity(Tensor<Double>(shape: [1, 3, 1]), x: Tensor(shape: [1, 3, 2]), state: componentwise) }
        expectError(.shape, "β") {
            _ = try NoisingState(t: Tensor([0.1]), gamma: Tensor(shape: [1, 3]), beta: Tensor(shape: [1, 2]))
        }
        expectError(.shape) { _ = try ouProcess(DataValue(space, data: Tensor(shape: [2, 4, 1])), state: componentwise, realNoise: Tensor(shape: [2, 4, 1])) }
        expectError(.shape) {
            _ = try ouProcess(DataValue(space, data: Tensor(shape: [2, 4, 1])), state: LinearSchedule<Double>()(0.5), realNoise: Tensor(shape: [3, 4, 1]))
        }
        var x = Tensor<Double>(shape: [1, 4, 1])
        expectError(.shape) { try eulerMaruyamaStep(&x, epsilon: Tensor(shape: [1, 4, 2]), increment: nil, state: LinearSchedule<Double>()(0.5), dt: -0.01) }
        expectError(.shape, "components") { try space.validate(schedule: softConditioningSchedule(labels: [1.0, 2, 3])) }
        expectError(.shape) { _ = try GaussianPrior<Double>.standard.logDensity(compWhite: Tensor(shape: [1, 3, 1]), space: space) }
    }

    @Test func nonPositiveScalesAndVariances() throws {
        expectError(.argument, "positive") { _ = try IdentitySpace<Double>(dimension: 2, scale: [1, 0]) }
        expectError(.argument, "positive") { _ = try LinearSpace<Float>(components: Tensor.identity(2), scale: [-1, 1]) }
        expectError(.argument, "positive") { _ = try FourierSpace<Double>(shape: [2], scale: [0, 1]) }
        expectError(.argument, "positive") { _ = try WaveletSpace<Double>(height: 2, width: 2, levels: 1, scale: [1, 1, 1, -2]) }
        expectError(.argument, "positive") { _ = try DiagonalGaussianModel<Double>(variances: [1, 0]) }
        expectError(.argument, "positive variances") { _ = try varianceAdjustedSchedule(variances: [1.0, -0.5]) }
        expectError(.argument, "softness") { _ = try softConditioningSchedule(labels: [1.0, 2], softness: 0) }
        expectError(.argument, "γ_max") { _ = try LinearSchedule<Double>(gammaMin: 5, gammaMax: -5) }
        expectError(.argument) { _ = try VPSchedule<Double>(betaMin: -1) }
        expectError(.argument, "orthogonal") {
            _ = try LinearSpace<Double>(components: Tensor(shape: [2, 2], scalars: [1, 0.5, 0, 1]))
        }
        expectError(.argument, "floor") {
            _ = try LinearSpace<Double>(covariance: Tensor(shape: [2, 2], scalars: [1, 0, 0, 0]))
        }
    }

    @Test func notANumber() throws {
        let nan = Double.nan
        expectError(.nonFinite, "scale") { _ = try IdentitySpace<Double>(dimension: 2, scale: [1, nan]) }
        expectError(.nonFinite, "labels") { _ = try softConditioningSchedule(labels: [1.0, nan]) }
        expectError(.argument, "softness") { _ = try softConditioningSchedule(labels: [1.0, 2], softness: nan) }
        expectError(.nonFinite) { _ = try LinearSpace<Double>(covariance: Tensor(shape: [2, 2], scalars: [1, nan, nan, 1])) }
        var data: Tensor<Double> = RandomSource(seed: 1).gaussian(shape: [10, 4, 1])
        data[3, 1, 0] = nan
        expectError(.nonFinite, "data") { _ = try LinearSpace<Double>(data: data) }
        expectError(.nonFinite, "data") { _ = try FourierSpace<Double>(shape: [4], data: data) }
        expectError(.nonFinite, "times") { _ = try LinearSchedule<Double>()(times: [0.1, nan]) }
        expectError(.nonFinite, "γ") { _ = try NoisingState(t: 0.5, gamma: nan, beta: 1) }
        expectError(.nonFinite) { _ = try ClipBounds<Double>(lower: nan, upper: 1) }
        let space = try IdentitySpace<Double>(dimension: 4)
        var start = Tensor<Double>(shape: [1, 4, 1])
        start[0, 2, 0] = .infinity
        expectError(.nonFinite, "initial state") {
            _ = try sampleEulerMaruyama(model: EpsilonClosure { _, x in x }, schedule: LinearSchedule<Double>(), space: space,
                                        start: .compWhite(start), source: RandomSource(seed: 0))
        }
        expectError(.nonFinite, "data") {
            _ = try logLikelihood(model: DiagonalGaussianModel(variances: [1, 1, 1, 1]), schedule: LinearSchedule<Double>(),
                                  data: DataValue(space, data: start))
        }
    }

    @Test func fourierSymmetryAndWaveletShapes() throws {
        expectError(.argument, "not symmetric", "k → −k") { _ = try FourierSpace<Double>(shape: [4], scale: [1, 2, 1, 1]) }
        let fourier = try FourierSpace<Double>(shape: [4])
        expectError(.argument, "not symmetric") { try fourier.validate(schedule: softConditioningSchedule(labels: [0.0, 1, 2, 3])) }
        expectError(.argument, "not symmetric") {
            _ = try sampleEulerMaruyama(model: EpsilonClosure { _, x in x }, schedule: softConditioningSchedule(labels: [0.0, 1, 2, 3]),
                                        space: fourier, start: .noise(count: 1), source: RandomSource(seed: 0))
        }
        expectError(.argument, "high to low") {
            _ = try sampleEulerMaruyama(model: EpsilonClosure { _, x in x }, schedule: LinearSchedule<Double>(), space: fourier,
                                        start: .noise(count: 1), source: RandomSource(seed: 0), tStart: 0, tEnd: 1)
        }
        expectError(.argument, "divisible by 2^2 = 4", "6 × 8") { _ = try WaveletSpace<Double>(height: 6, width: 8, levels: 2) }
        expectError(.argument, "at least 1") { _ = try WaveletSpace<Double>(height: 8, width: 8, levels: 0) }
        expectError(.argument) { _ = try FourierSpace<Double>(shape: [0, 4]) }
        expectError(.argument, "probe") {
            _ = try logLikelihood(model: DiagonalGaussianModel(variances: [1, 1, 1, 1]), schedule: LinearSchedule<Double>(),
                                  data: DataValue(fourier, data: Tensor(shape: [1, 4, 1])),
                                  divergence: .hutchinson(probes: 1, source: RandomSource(seed: 0)))
        }
    }
}
