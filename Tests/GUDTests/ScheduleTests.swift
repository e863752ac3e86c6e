import Foundation
import Testing
@testable import GUD

@Suite("Schedules")
struct ScheduleTests {
    static let labels: [Double] = [0.0, 0.35, -1.2, 2.5, 1.0, 0.0, -0.4, 3.1]

    /// Every kind of schedule, component-wise ones included.
    static func schedules() throws -> [(String, any Schedule<Double>)] {
        [
            ("linear", try LinearSchedule<Double>()),
            ("vp", try VPSchedule<Double>()),
            ("cosine", try CosineSchedule<Double>()),
            ("soft conditioning", try softConditioningSchedule(labels: labels, softness: 0.5)),
            ("soft conditioning, clipped", try softConditioningSchedule(labels: labels, softness: 0.3, clip: true)),
            ("variance adjusted, clipped", try varianceAdjustedSchedule(variances: [4, 1.5, 0.6, 0.2, 0.05, 0.01], softness: 2, clip: true)),
            ("column", try columnSchedule(rows: 2, columns: 5, softness: 2)),
            ("row", try rowSchedule(rows: 4, columns: 2, softness: 0.5)),
            ("user γ, analytic", GammaSchedule<Double>(gamma: { -10 + 15 * $0 * $0 }, derivative: { 30 * $0 })),
            ("user γ, autodiff", GammaSchedule<Double>(differentiable: { t in -9 + 12 * t + 3 * t * t * t })),
        ]
    }

    /// β integrates back to the marginals: log α(t)² − log α(0)² = −∫₀ᵗ β, component by component
    /// (adaptive Simpson quadrature on 400 panels, which resolves the kinks, jumps and short active
    /// windows of clipped and sequential schedules).
    @Test func betaIntegratesToTheMarginals() throws {
        for (name, schedule) in try Self.schedules() {
            for end in [0.3, 0.7, name == "cosine" ? 0.99 : 1.0] {
                let start = schedule(0), final = schedule(end)
                let panels = 400
                var integral = [Double](repeating: 0, count: schedule.width)
                for p in 0..<panels {
                    let (a, b) = (end * Double(p) / Double(panels), end * Double(p + 1) / Double(panels))
                    let part = adaptiveSimpson(a, b, tolerance: 1e-13) { schedule($0).beta.scalars }
                    for i in integral.indices { integral[i] += part[i] }
                }
                for i in 0..<schedule.width {
                    let change = log(final.alphaSquared[flat: i]) - log(start.alphaSquared[flat: i])
                    #expect(abs(change + integral[i]) <= 1e-8 * max(1, integral[i]),
                            "\(name), component \(i), t = \(end): Δ log α² = \(change), ∫β = \(integral[i])")
                }
            }
        }
    }

    /// `evaluate(at:into:)` gives the values of `schedule(t)` exactly, rewriting a one-row state of
    /// the schedule's width in its own storage and replacing any other state.
    @Test func evaluateIntoMatchesCallAsFunction() throws {
        for (name, schedule) in try Self.schedules() {
            var state = schedule(0.9)
            let address = state.gamma.withUnsafeBufferPointer { $0.baseAddress }
            for t in [0.0, 0.37, 1.0] {
                schedule.evaluate(at: t, into: &state)
                let expected = schedule(t)
                #expect(state.t == expected.t && state.gamma == expected.gamma && state.beta == expected.beta, "\(name), t = \(t)")
                #expect(state.alpha == expected.alpha && state.sigma == expected.sigma, "\(name), t = \(t)")
            }
            #expect(state.gamma.withUnsafeBufferPointer { $0.baseAddress } == address, "\(name): storage reused")
            var perSample = try schedule(times: [0.1, 0.2])
            schedule.evaluate(at: 0.5, into: &perSample)
            #expect(perSample.rows == 1 && perSample.gamma == schedule(0.5).gamma, "\(name): a per-sample state is replaced")
        }
    }

    /// Soft conditioning with labels −log λ and softness 1 in a whitened space is standard diffusion
    /// on the unwhitened components with γ_c(t) linear from γ̃_min + log λ_min to γ̃_max + log λ_max:
    /// the true SNRs agree exactly, the noised values differ only by the rescaling
    /// cᵢ(t) = αᵢ/(α_c √λᵢ), and the denoised estimates (the posterior means) coincide.
    @Test func softConditioningIsStandardDiffusionOfTheUnwhitenedData() throws {
        let problem = try GaussianProblem()
        let (whiteSpace, _) = try problem.space(whitened: true)
        let (plainSpace, lambda) = try problem.space(whitened: false)
        let soft = try softConditioningSchedule(labels: lambda.map { -log($0) }, gammaMinTarget: -7, gammaMaxTarget: 3, softness: 1)
        let standard = try LinearSchedule(gammaMin: -7 + log(lambda.min()!), gammaMax: 3 + log(lambda.max()!))
        let phi = try problem.samples(5, source: RandomSource(seed: 1))
        let noise: Tensor<Double> = RandomSource(seed: 2).gaussian(shape: phi.shape)
        let ones = lambda.map { _ in 1.0 }
        for t in [0.05, 0.3, 0.6, 0.95] {
            let (w, c) = (soft(t), standard(t))
            #expect(try w.trueSNR(variances: ones).maxAbsDifference(c.trueSNR(variances: lambda)) <= 1e-12 * (try c.trueSNR(variances: lambda).max()))
            let whiteNoised = try ouProcess(DataValue(whiteSpace, data: phi), state: w, realNoise: noise).noised.compWhite
            let plainNoised = try ouProcess(DataValue(plainSpace, data: phi), state: c, realNoise: noise).noised.compWhite
            for b in 0..<5 {
                for i in 0..<16 {
                    let factor = w.alpha[flat: i] / (c.alpha[flat: 0] * lambda[i].squareRoot())
                    #expect(abs(whiteNoised[b, i, 0] - factor * plainNoised[b, i, 0]) <= 1e-10 * max(1, abs(whiteNoised[b, i, 0])))
                }
            }
            // The same posterior mean E[φ | noised] in data space.
            let whiteModel = try DiagonalGaussianModel(variances: ones), plainModel = try DiagonalGaussianModel(variances: lambda)
            let whiteDenoised = try denoisedEstimate(x: whiteNoised, epsilon: whiteModel.epsilon(whiteNoised, state: w), state: w)
            let plainDenoised = try denoisedEstimate(x: plainNoised, epsilon: plainModel.epsilon(plainNoised, state: c), state: c)
            #expect(try whiteSpace.decode(whiteDenoised).maxAbsDifference(plainSpace.decode(plainDenoised)) < 1e-9)
            // The whitened marginals have unit variance, the unwhitened ones do not: they agree
            // only up to the rescaling.
            let plainVariance = c.alpha[flat: 0] * c.alpha[flat: 0] * lambda[0] + c.sigma[flat: 0] * c.sigma[flat: 0]
            #expect(abs(plainVariance - 1) > 1e-3)
        }
    }

    /// Clipped components are frozen in the forward process: β = 0 and the same (α, σ), hence the
    /// same noised values, throughout their waiting time.
    @Test func clippedComponentsAreFrozenInTheForwardProcess() throws {
        let schedule = try columnSchedule(rows: 4, columns: 5, softness: 2)  // offsets 0 … 0.5 by column
        let space = try IdentitySpace<Double>(dimension: 20)
        let x = DataValue<Double>.self
        let data: Tensor<Double> = RandomSource(seed: 3).gaussian(shape: [2, 20, 1])
        let noise: Tensor<Double> = RandomSource(seed: 4).gaussian(shape: [2, 20, 1])
        let early = try ouProcess(x.init(space, data: data), state: schedule(0.1), realNoise: noise).noised.data
        let late = try ouProcess(x.init(space, data: data), state: schedule(0.4), realNoise: noise).noised.data
        for b in 0..<2 {
            for i in 0..<20 {
                let column = i % 5
                if column == 4 {  // waits at γ_min until t = 0.5
                    #expect(early[b, i, 0] == late[b, i, 0])
                    #expect(schedule(0.1).beta[flat: i] == 0 && schedule(0.4).beta[flat: i] == 0)
                } else {
                    #expect(early[b, i, 0] != late[b, i, 0])
                }
            }
        }
        // Column 0 is at γ_max from t = 0.5 on.
        #expect(schedule(0.6).gamma[flat: 0] == 5 && schedule(0.9).beta[flat: 0] == 0 && schedule(0.3).beta[flat: 0] > 0)
    }

    /// The soft-conditioning endpoints: the highest label reaches γ̃_min at t = 0, the lowest γ̃_max
    /// at t = 1, all with one slope; infinite softness is standard diffusion.
    @Test func softConditioningEndpoints() throws {
        let labels = Self.labels
        for softness in [0.3, 1, 4] {
            let (lo, hi) = try componentwiseLinearEndpoints(labels: labels, gammaMinTarget: -7, gammaMaxTarget: 3, softness: softness)
            #expect(abs(lo[labels.firstIndex(of: labels.max()!)!] + 7) < 1e-14)
            #expect(abs(hi[labels.firstIndex(of: labels.min()!)!] - 3) < 1e-14)
            let slopes = zip(hi, lo).map { $0 - $1 }
            #expect(slopes.allSatisfy { abs($0 - slopes[0]) < 1e-12 })
            // Higher label → higher γ at every time.
            let state = try softConditioningSchedule(labels: labels, softness: softness)(0.5)
            for i in labels.indices { for j in labels.indices where labels[i] > labels[j] { #expect(state.gamma[flat: i] > state.gamma[flat: j]) } }
        }
        let standard = try softConditioningSchedule(labels: labels, softness: .infinity)(0.4)
        #expect(Set(standard.gamma.scalars).count == 1 && abs(standard.gamma[flat: 0] - (-7 + 0.4 * 10)) < 1e-14)
        // Variance adjusted with its default ordering at softness 1: one γ for every component.
        let adjusted = try varianceAdjustedSchedule(variances: [4, 1.5, 0.6, 0.2], softness: 1)(0.3)
        #expect(Set(adjusted.gamma.scalars).count == 1)
    }

    /// Sequential offsets: τ_max = clamp(1/softness, 0, 0.99); columns and rows label row-major pixels.
    @Test func sequentialOffsets() throws {
        #expect(try GUD.sequentialOffsets(labels: [0.0, 1, 2], softness: 2) == [0, 0.25, 0.5])
        #expect(try GUD.sequentialOffsets(labels: [0.0, 1], softness: 0.5) == [0, 0.99])
        #expect(try GUD.sequentialOffsets(labels: [0.0, 1], softness: .infinity) == [0, 0])
        #expect(try GUD.sequentialOffsets(labels: [3.0, 3, 3], softness: 2) == [0, 0, 0])
        let columns = try columnSchedule(rows: 2, columns: 3, softness: 4)
        #expect(columns.offsets == [0, 0.125, 0.25, 0, 0.125, 0.25])
        let rows = try rowSchedule(rows: 2, columns: 3, softness: 4)
        #expect(rows.offsets == [0, 0, 0, 0.25, 0.25, 0.25])
        #expect(abs(columns.slope - 18 / 0.75) < 1e-12)
        // Component 2 starts rising at its offset and reaches γ_max at offset + (1 − τ_range).
        #expect(columns(0.25).gamma[flat: 2] == -13 && columns(1).gamma[flat: 2] == 5 && columns(0.5).beta[flat: 2] > 0)
    }

    /// Two orderings combine additively, each with its own softness (the paper's Haar experiment:
    /// wavelet level with one softness, column with another).
    @Test func hierarchicalOrdering() throws {
        let space = try WaveletSpace<Double>(height: 8, width: 8, levels: 2)
        let level = space.coarseToFineLabels()
        let column = space.coefficients.map { $0.pixelColumn / 8 }
        let labels = try hierarchicalLabels(primary: level, primarySoftness: 0.5, secondary: column, secondarySoftness: 4)
        for i in labels.indices { #expect(abs(labels[i] - (level[i] / 0.5 + column[i] / 4)) < 1e-14) }
        let schedule = try hierarchicalSchedule(primaryLabels: level, primarySoftness: 0.5, secondaryLabels: column, secondarySoftness: 4)
        try space.validate(schedule: schedule)
        let state = schedule(0.5)
        // Coarse before fine, and within a band left before right.
        let approximation = space.coefficients.firstIndex { $0.orientation == .approximation }!
        let fine = space.coefficients.firstIndex { $0.level == 1 }!
        #expect(state.gamma[flat: approximation] < state.gamma[flat: fine])
        let left = 2 * 8 + 4, right = 2 * 8 + 7  // level-1 vertical details of one row, columns 0 and 3
        #expect(space.coefficients[left].level == 1 && state.gamma[flat: left] < state.gamma[flat: right])
    }

    /// A family evaluates every sample with its own parameter.
    @Test func scheduleFamilyPerSample() throws {
        let family = try SoftConditioningFamily(labels: Self.labels)
        let times = [0.3, 0.3, 0.7], softness = [0.5, 2, 1]
        let state = try family(times: Tensor(times), parameters: Tensor(softness))
        #expect(state.rows == 3 && state.width == Self.labels.count)
        for r in 0..<3 {
            let member = try family.member(softness[r])(times[r])
            #expect(Array(state.gamma.scalars[(r * 8)..<((r + 1) * 8)]) == member.gamma.scalars)
            #expect(Array(state.beta.scalars[(r * 8)..<((r + 1) * 8)]) == member.beta.scalars)
        }
        #expect(try state.gammaPerSample(batch: 3, components: 8) == state.gamma)
        let variance = try VarianceAdjustedFamily(variances: [4.0, 1, 0.25])
        #expect(try variance.member(0.5).gammaMin != variance.member(2).gammaMin)
        #expect(throws: GUDError.self) { try family(times: Tensor([0.1, 0.2]), parameters: Tensor([1.0])) }
        #expect(throws: GUDError.self) { try family(times: Tensor([0.1]), parameters: Tensor([-1.0])) }
    }

    /// Automatic differentiation gives the analytic derivative; a component-wise user schedule works.
    @Test func userSchedules() throws {
        let automatic = GammaSchedule<Double>(differentiable: { t in -9 + 12 * t + 3 * t * t * t })
        let analytic = GammaSchedule<Double>(gamma: { -9 + 12 * $0 + 3 * $0 * $0 * $0 }, derivative: { 12 + 9 * $0 * $0 })
        for t in [0.0, 0.25, 0.8, 1.0] {
            #expect(abs(automatic(t).beta[flat: 0] - analytic(t).beta[flat: 0]) < 1e-14)
            #expect(automatic(t).gamma == analytic(t).gamma)
        }
        let componentwise = try GammaSchedule<Float>(componentCount: 2, gamma: { [-5 + 8 * $0, -3 + 4 * $0] }, derivative: { _ in [8, 4] })
        let state = componentwise(0.5)
        #expect(state.gamma.scalars == [-1, -1])
        #expect(abs(state.beta[flat: 0] - 2 * state.beta[flat: 1]) < 1e-6)
    }

    /// α² + σ² = 1, SNR = α²/σ² = e^{−γ}, log SNR = −γ, true SNR = Σ e^{−γ}; stable at extreme γ.
    @Test func noisingStateQuantities() throws {
        let gammas: [Double] = [-.infinity, -60, -13.3, 0, 5, 60, .infinity]
        let state = try NoisingState(t: Tensor([0.5]), gamma: Tensor(shape: [1, 7], scalars: gammas),
                                     beta: Tensor(shape: [1, 7], repeating: 1))
        for i in 0..<7 {
            let (a2, s2) = (state.alphaSquared[flat: i], state.sigmaSquared[flat: i])
            #expect(abs(a2 + s2 - 1) < 1e-15)
            #expect(state.alpha[flat: i] * state.alpha[flat: i] - a2 < 1e-15)
            #expect(state.logSNR[flat: i] == -gammas[i])
            if gammas[i].isFinite, abs(gammas[i]) < 30 { #expect(abs(state.snr[flat: i] - a2 / s2) <= 1e-12 * state.snr[flat: i]) }
        }
        #expect(state.alpha[flat: 0] == 1 && state.sigma[flat: 0] == 0 && state.alpha[flat: 6] == 0 && state.sigma[flat: 6] == 1)
        #expect(state.sigma[flat: 1] > 0 && state.alpha[flat: 5] > 0)
        let snr = try state.trueSNR(variances: [1, 1, 2, 2, 3, 3, 4])
        #expect(abs(snr[flat: 3] - 2) < 1e-15 && abs(snr[flat: 4] - 3 * exp(-5)) < 1e-15)
        #expect(try state.timesPerSample(batch: 3).scalars == [0.5, 0.5, 0.5])
        #expect(try state.gammaPerSample(batch: 2, components: 7).shape == [2, 7])
    }
}

/// ∫ₐᵇ f for a vector-valued f by adaptive Simpson quadrature (depth ≤ 50, error measured on the
/// largest component), accurate across kinks and jumps.
func adaptiveSimpson(_ a: Double, _ b: Double, tolerance: Double, _ f: (Double) -> [Double]) -> [Double] {
    func simpson(_ a: Double, _ b: Double, _ fa: [Double], _ fm: [Double], _ fb: [Double]) -> [Double] {
        fa.indices.map { (b - a) / 6 * (fa[$0] + 4 * fm[$0] + fb[$0]) }
    }
    func recurse(_ a: Double, _ b: Double, _ fa: [Double], _ fm: [Double], _ fb: [Double], _ whole: [Double],
                 _ tol: Double, _ depth: Int) -> [Double] {
        let m = (a + b) / 2
        let (flm, frm) = (f((a + m) / 2), f((m + b) / 2))
        let left = simpson(a, m, fa, flm, fm), right = simpson(m, b, fm, frm, fb)
        let error = whole.indices.map { abs(left[$0] + right[$0] - whole[$0]) }.max() ?? 0
        if depth >= 50 || error <= 15 * tol {
            return whole.indices.map { left[$0] + right[$0] + (left[$0] + right[$0] - whole[$0]) / 15 }
        }
        let l = recurse(a, m, fa, flm, fm, left, tol / 2, depth + 1), r = recurse(m, b, fm, frm, fb, right, tol / 2, depth + 1)
        return l.indices.map { l[$0] + r[$0] }
    }
    let (fa, fm, fb) = (f(a), f((a + b) / 2), f(b))
    return recurse(a, b, fa, fm, fb, simpson(a, b, fa, fm, fb), tolerance, 0)
}
