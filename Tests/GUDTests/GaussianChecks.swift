import Foundation
import Testing
@testable import GUD

/// Checks that hold exactly for Gaussian data N(0, C) (D = 16, non-diagonal C) with the closed-form
/// ε-model in the PCA basis (``DiagonalGaussianModel``), for a whitened and an unwhitened prior and
/// soft-conditioning schedules (labels −log λ) of softness 0.5 and 2.
@Suite("Exact Gaussian checks")
struct GaussianChecks {
    /// Euler–Maruyama sampling reproduces C within its statistical error.
    ///
    /// 4000 samples, 200 steps (dt = 0.005), from the N(0, I) prior (γ̃_max = 12 makes the prior
    /// mismatch ~10⁻⁵). The discrete scheme itself has an O(dt) bias, computed exactly from the
    /// variance recursion of each PCA component (var ← a² var + β|dt|): it must stay below 2.5 %, and
    /// every entry of the sample covariance must lie within 4.5 standard errors
    /// √((C̃ᵢᵢ C̃ⱼⱼ + C̃ᵢⱼ²)/N) of C̃ = Uᵀ diag(λ (1 + bias)) U, and the whole within twice its
    /// expected Frobenius distance.
    @Test(arguments: [true, false], [0.5, 2.0])
    func eulerMaruyamaReproducesCovariance(whitened: Bool, softness: Double) throws {
        let problem = try GaussianProblem()
        let (space, variances) = try problem.space(whitened: whitened)
        let schedule = try problem.schedule(space: space, softness: softness)
        let model = try DiagonalGaussianModel(variances: variances)
        let count = 4000, stepSize = 0.005
        let result = try sampleEulerMaruyama(
            model: model, schedule: schedule, space: space, start: .noise(count: count),
            source: RandomSource(seed: 11), stepSize: stepSize)
        #expect(result.steps == 200)

        // The exact variance of every whitened component under the discrete scheme.
        let d = GaussianProblem.dimension
        var variance = [Double](repeating: 1, count: d)
        let grid = try TimeGrid.uniform(from: 1.0, to: 0.0, stepSize: stepSize)
        for k in 0..<(grid.count - 1) {
            let state = schedule(grid[k])
            let dt = abs(grid[k + 1] - grid[k])
            for i in 0..<d {
                let (a, s, b) = (state.alpha[flat: i], state.sigma[flat: i], state.beta[flat: i])
                let v = a * a * variances[i] + s * s
                let factor = 1 + b * (0.5 - 1 / v) * dt
                variance[i] = factor * factor * variance[i] + b * dt
            }
        }
        let bias = (0..<d).map { variance[$0] / variances[$0] - 1 }
        #expect(bias.allSatisfy { abs($0) < 0.025 }, "the scheme's bias \(bias.map { abs($0) }.max()!) exceeds 2.5 %")

        // C̃ = Uᵀ diag(λ (1 + bias)) U against the sample covariance, entry by entry.
        let lambda = space.variances ?? []
        let u = space.components
        let expected = try Tensor.matmul(u, Tensor(shape: [d, d]) { lambda[$0 / d] * (1 + bias[$0 / d]) * u[flat: $0] }, transposeA: true)
        let phi = try result.samples.data.reshaped([count, d])
        let sample = try Tensor.matmul(phi, phi, transposeA: true) / Double(count)
        var worst = 0.0
        for i in 0..<d {
            for j in i..<d {
                let c = expected[i, j]
                let se = ((expected[i, i] * expected[j, j] + c * c) / Double(count)).squareRoot()
                worst = max(worst, abs(sample[i, j] - c) / se)
            }
        }
        #expect(worst < 4.5, "largest deviation of the sample covariance: \(worst) standard errors")
        // In norm: ‖Ĉ − C̃‖ within twice its expected size √(Σᵢⱼ (C̃ᵢᵢ C̃ⱼⱼ + C̃ᵢⱼ²)/N), and C̃ within 2.5 % of C.
        var spread = 0.0
        for i in 0..<d {
            for j in 0..<d {
                let c = expected[i, j]
                spread += expected[i, i] * expected[j, j] + c * c
            }
        }
        let typical = (spread / Double(count)).squareRoot()
        let error = try (sample - expected).sumOfSquares().squareRoot()
        #expect(error < 2 * typical, "‖Ĉ − C̃‖ = \(error), expected about \(typical)")
        let shift = try (expected - problem.covariance).sumOfSquares().squareRoot() / problem.covariance.sumOfSquares().squareRoot()
        #expect(shift < 0.025, "‖C̃ − C‖/‖C‖ = \(shift)")
    }

    /// The probability-flow ODE log-density with the exact divergence equals log N(φ; 0, C) to
    /// 1e-4 nats per dimension. The prior is the exact marginal at t = 1; γ̃_min = −20 makes the
    /// t = 0 marginal equal to the data distribution to ~10⁻⁹.
    @Test(arguments: [true, false], [0.5, 2.0])
    func odeLogDensityIsExact(whitened: Bool, softness: Double) throws {
        let problem = try GaussianProblem()
        let (space, variances) = try problem.space(whitened: whitened)
        let schedule = try problem.schedule(space: space, softness: softness, gammaMinTarget: -20)
        let model = try DiagonalGaussianModel(variances: variances)
        let phi = try problem.samples(8, source: RandomSource(seed: 3))
        let truth = try problem.logDensity(phi)
        let prior = try GaussianPrior.marginal(dataVariances: variances, schedule: schedule)
        let result = try logLikelihood(
            model: model, schedule: schedule, data: DataValue(space, data: phi), prior: prior,
            relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
        let d = Double(GaussianProblem.dimension)
        for (estimate, exact) in zip(result.logDensity, truth) {
            #expect(abs(estimate - exact) / d < 1e-4, "log-density \(estimate), exact \(exact)")
        }
        #expect(result.standardError == nil)
    }

    /// With the standard normal prior the mismatch at t = 1 is negligible when γ(1) ≥ 12.
    @Test func standardPriorWithLargeFinalGamma() throws {
        let problem = try GaussianProblem()
        let (space, variances) = try problem.space(whitened: false)
        let schedule = try problem.schedule(space: space, softness: 1, gammaMinTarget: -20, gammaMaxTarget: 12)
        let phi = try problem.samples(4, source: RandomSource(seed: 5))
        let result = try logLikelihood(
            model: DiagonalGaussianModel(variances: variances), schedule: schedule, data: DataValue(space, data: phi),
            relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
        for (estimate, exact) in zip(result.logDensity, try problem.logDensity(phi)) {
            #expect(abs(estimate - exact) / 16 < 1e-4, "log-density \(estimate), exact \(exact)")
        }
    }

    /// Hutchinson's estimator agrees with the exact log-density within its reported error bar. In the
    /// whitened space the exact model has ε̂ = x, so the control variate makes the estimate exact.
    @Test(arguments: [true, false])
    func hutchinsonWithinErrorBar(whitened: Bool) throws {
        let problem = try GaussianProblem()
        let (space, variances) = try problem.space(whitened: whitened)
        let schedule = try problem.schedule(space: space, softness: 0.5, gammaMinTarget: -20)
        let phi = try problem.samples(12, source: RandomSource(seed: 9))
        let truth = try problem.logDensity(phi)
        let result = try logLikelihood(
            model: DiagonalGaussianModel(variances: variances), schedule: schedule, data: DataValue(space, data: phi),
            divergence: .hutchinson(probes: 16, source: RandomSource(seed: 4)),
            prior: GaussianPrior.marginal(dataVariances: variances, schedule: schedule),
            relativeTolerance: 1e-7, absoluteTolerance: 1e-7)
        let errors = try #require(result.standardError)
        var sumSquares = 0.0, sum = 0.0
        for b in 0..<phi.shape[0] {
            let deviation = result.logDensity[b] - truth[b]
            #expect(whitened ? errors[b] < 1e-6 : errors[b] > 0, "standard error \(errors[b])")
            #expect(abs(deviation) <= 5 * errors[b] + 1e-6, "sample \(b): off by \(deviation), standard error \(errors[b])")
            sum += deviation
            sumSquares += errors[b] * errors[b]
        }
        #expect(abs(sum) <= 4 * sumSquares.squareRoot() + 1e-6, "mean deviation \(sum / Double(phi.shape[0]))")
    }
}
