import Foundation
import Testing
@testable import GUD

@Suite("Samplers")
struct SamplerTests {
    /// A whitened 4 × 4 Fourier space, a symmetric soft-conditioning schedule and a nonlinear model.
    static func fourierSetup() throws -> (space: FourierSpace<Double>, schedule: LinearSchedule<Double>, model: EpsilonClosure<Double>) {
        let shape = [4, 4]
        let mirror = FourierSpace<Double>.conjugateIndices(shape)
        let radius = (0..<16).map { k -> Double in
            let (r, c) = (k / 4, k % 4)
            return Double(min(r, 4 - r) * min(r, 4 - r) + min(c, 4 - c) * min(c, 4 - c))
        }
        let space = try FourierSpace(shape: shape, scale: radius.map { 1 / (1 + $0) })
        #expect(radius.indices.allSatisfy { radius[$0] == radius[mirror[$0]] })
        let schedule = try softConditioningSchedule(labels: radius, softness: 2)
        let model = EpsilonClosure<Double> { state, x in
            let data = try space.fromComponentSpace(x)
            return try space.toComponentSpace(data.map { Double.tanh($0) * 0.5 }) + x * 0.5
        }
        return (space, schedule, model)
    }

    /// A sample does not depend on the batch size or on which samples are drawn with it.
    @Test func samplesDoNotDependOnTheBatch() throws {
        let (space, schedule, model) = try Self.fourierSetup()
        let source = RandomSource(seed: 12)
        let all = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: 6), source: source, stepSize: 0.05)
        let tail = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: 2), source: source,
                                           stepSize: 0.05, firstSample: 4)
        let head = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: 3), source: source, stepSize: 0.05)
        let full = try all.samples.data, part = try tail.samples.data, first = try head.samples.data
        let row = 16
        for j in 0..<(2 * row) { #expect(abs(full[flat: 4 * row + j] - part[flat: j]) < 1e-12) }
        for j in 0..<(3 * row) { #expect(abs(full[flat: j] - first[flat: j]) < 1e-12) }
        // A different source gives different samples.
        let other = try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: 3),
                                            source: RandomSource(seed: 13), stepSize: 0.05)
        #expect(try other.samples.data.maxAbsDifference(first) > 0.1)
        // The deterministic samplers use the same prior draws.
        let heun = try sampleHeun(model: model, schedule: schedule, space: space, start: .noise(count: 6), source: source, stepSize: 0.05)
        let heunTail = try sampleHeun(model: model, schedule: schedule, space: space, start: .noise(count: 2), source: source,
                                      stepSize: 0.05, firstSample: 4)
        for j in 0..<(2 * row) { #expect(abs(try heun.samples.data[flat: 4 * row + j] - heunTail.samples.data[flat: j]) < 1e-12) }
    }

    /// Components with β = 0 stay exactly unchanged in every sampler: with a column schedule,
    /// column 0 sits at γ_max for t > ½ and column 4 at γ_min for t < ½.
    @Test func frozenComponentsStayFrozen() throws {
        let schedule = try columnSchedule(rows: 4, columns: 5, softness: 2)
        let space = try IdentitySpace<Double>(dimension: 20)
        let model = EpsilonClosure<Double> { _, x in x.map { Double.tanh($0) + 0.3 } }
        let saves = [1.0, 0.6, 0.45]
        let runs: [(String, SamplingResult<Double>)] = [
            ("Euler–Maruyama", try sampleEulerMaruyama(model: model, schedule: schedule, space: space, start: .noise(count: 3),
                                                       source: RandomSource(seed: 1), saveTimes: saves)),
            ("Heun", try sampleHeun(model: model, schedule: schedule, space: space, start: .noise(count: 3),
                                    source: RandomSource(seed: 1), saveTimes: saves)),
            ("Dormand–Prince", try sampleDormandPrince(model: model, schedule: schedule, space: space, start: .noise(count: 3),
                                                       source: RandomSource(seed: 1), saveTimes: saves)),
        ]
        for (name, result) in runs {
            #expect(result.trajectory.count == 3, "\(name): \(result.trajectory.map(\.time))")
            let start = try result.trajectory[0].value.compWhite, at06 = try result.trajectory[1].value.compWhite
            let at045 = try result.trajectory[2].value.compWhite, end = try result.samples.compWhite
            for b in 0..<3 {
                for i in 0..<20 {
                    let (s, m, l, e) = (start[b, i, 0], at06[b, i, 0], at045[b, i, 0], end[b, i, 0])
                    switch i % 5 {
                    case 0:
                        #expect(s == m, "\(name): column 0 moved while frozen")
                        #expect(m != e, "\(name): column 0 never moved")
                    case 4:
                        #expect(l == e, "\(name): column 4 moved while frozen")
                        #expect(s != l, "\(name): column 4 never moved")
                    default:
                        #expect(s != e)
                    }
                }
            }
        }
    }

    /// Save times, progress callbacks and early stopping.
    @Test func progressSavesAndStops() throws {
        let (space, schedule, model) = try Self.fourierSetup()
        var seen = [(Int, Double, Double)]()
        let result = try sampleEulerMaruyama(
            model: model, schedule: schedule, space: space, start: .noise(count: 2), source: RandomSource(seed: 3),
            saveTimes: [0.5, 0.25, 1]) { step in
                seen.append((step.index, step.time, step.denoisedTime))
                let shapes = (try step.denoised.data.shape, try step.x.compWhite.shape)
                #expect(shapes.0 == [2, 16, 1] && shapes.1 == [2, 16, 1, 2])
                return .proceed
            }
        #expect(result.steps == 100 && result.modelEvaluations == 100 && !result.stoppedEarly && result.time == 0)
        #expect(result.trajectory.map(\.time) == [1, 0.5, 0.25])
        #expect(seen.count == 100 && seen.first! == (1, 0.99, 1) && seen.last!.0 == 100 && seen.last!.1 == 0)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.1 > $1.1 })

        let stopped = try sampleHeun(model: model, schedule: schedule, space: space, start: .noise(count: 2),
                                     source: RandomSource(seed: 3), stepSize: 0.1) { $0.index == 3 ? .stop : .proceed }
        #expect(stopped.stoppedEarly && stopped.steps == 3 && abs(stopped.time - 0.7) < 1e-12 && stopped.modelEvaluations == 6)
        var calls = 0
        let adaptive = try sampleDormandPrince(model: model, schedule: schedule, space: space, start: .noise(count: 2),
                                               source: RandomSource(seed: 3), saveTimes: [0.5]) { step in
            calls += 1
            #expect(step.denoisedTime == step.time)
            return .proceed
        }
        #expect(calls == adaptive.steps && adaptive.trajectory.map(\.time) == [0.5] && adaptive.time == 0)
    }

    /// For Gaussian data the probability-flow ODE is solved in closed form: each whitened component
    /// scales as √vᵢ(t), vᵢ = αᵢ² Σᵢ + σᵢ². Heun (2nd order, 100 steps) and Dormand–Prince follow it.
    @Test func odeSolversFollowTheExactFlow() throws {
        let problem = try GaussianProblem()
        let (space, variances) = try problem.space(whitened: false)
        let schedule = try problem.schedule(space: space, softness: 1)
        let model = try DiagonalGaussianModel(variances: variances)
        let start: Tensor<Double> = RandomSource(seed: 8).gaussian(shape: [4, 16, 1])
        let (s1, s0) = (schedule(1), schedule(0))
        let exact = Tensor<Double>(shape: start.shape) { k in
            let i = (k / 1) % 16
            let v1 = s1.alphaSquared[flat: i] * variances[i] + s1.sigmaSquared[flat: i]
            let v0 = s0.alphaSquared[flat: i] * variances[i] + s0.sigmaSquared[flat: i]
            return start[flat: k] * (v0 / v1).squareRoot()
        }
        let scale = exact.map(abs).max()
        let heun = try sampleHeun(model: model, schedule: schedule, space: space, start: .compWhite(start), source: RandomSource(seed: 0))
        let heunError = try heun.samples.compWhite.maxAbsDifference(exact) / scale
        #expect(heunError < 1e-3, "Heun error \(heunError)")
        let coarse = try sampleHeun(model: model, schedule: schedule, space: space, start: .compWhite(start), source: RandomSource(seed: 0),
                                    stepSize: 0.02)
        let coarseError = try coarse.samples.compWhite.maxAbsDifference(exact) / scale
        #expect(coarseError > 3 * heunError, "second order: \(coarseError) vs \(heunError)")
        let rk = try sampleDormandPrince(model: model, schedule: schedule, space: space, start: .compWhite(start), source: RandomSource(seed: 0),
                                         relativeTolerance: 1e-9, absoluteTolerance: 1e-9)
        let rkError = try rk.samples.compWhite.maxAbsDifference(exact) / scale
        #expect(rkError < 1e-7, "Dormand–Prince error \(rkError)")
        // Forwards in time the flow encodes: back to the starting noise.
        let encoded = try sampleDormandPrince(model: model, schedule: schedule, space: space, start: .compWhite(exact),
                                              source: RandomSource(seed: 0), relativeTolerance: 1e-9, absoluteTolerance: 1e-9,
                                              tStart: 0, tEnd: 1)
        #expect(try encoded.samples.compWhite.maxAbsDifference(start) < 1e-6 * start.map(abs).max())
    }

    /// The Euler–Maruyama grid: N = ⌈span/step⌉ steps from the start, ending exactly at the end.
    @Test func timeGrid() throws {
        let grid = try TimeGrid.uniform(from: 1.0, to: 0.0, stepSize: 0.01)
        #expect(grid.count == 101 && grid.first == 1 && grid.last == 0 && zip(grid, grid.dropFirst()).allSatisfy { $0 > $1 })
        let forward = try TimeGrid.uniform(from: Float(0), to: 1, stepSize: 0.3)
        #expect(forward.count == 5 && forward.last == 1)
        #expect(try TimeGrid.uniform(from: 0.9, to: 0.1, stepSize: 1.0) == [0.9, 0.1])
        #expect(throws: GUDError.self) { try TimeGrid.uniform(from: 1.0, to: 0.0, stepSize: 0) }
        #expect(throws: GUDError.self) { try TimeGrid.uniform(from: 1.0, to: 1.0, stepSize: 0.1) }
    }

    /// The integrator on known ODEs: exponential decay (both directions), landing on stops.
    @Test func dormandPrinceOnKnownSolutions() throws {
        let solver = try DormandPrince<Double>(relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        var visited = [Double]()
        let solution = try solver.integrate(Tensor([1.0, 2.0]), from: 0, to: 2, stops: [0.5, 1.5],
                                            derivative: { _, y in y * -1 },
                                            afterStep: { t, _ in visited.append(t); return true })
        #expect(abs(solution.y[flat: 0] - exp(-2)) < 1e-10 && abs(solution.y[flat: 1] - 2 * exp(-2)) < 1e-10)
        #expect(visited.contains(0.5) && visited.contains(1.5) && visited.last == 2)
        #expect(solution.evaluations >= 6 * solution.acceptedSteps)
        let backward = try solver.integrate(Tensor([exp(-1.0)]), from: 1, to: 0, derivative: { _, y in y * -1 })
        #expect(abs(backward.y[flat: 0] - 1) < 1e-10 && backward.t == 0)
        // Looser tolerances take fewer steps.
        let loose = try DormandPrince<Double>(relativeTolerance: 1e-4, absoluteTolerance: 1e-6)
            .integrate(Tensor([1.0]), from: 0, to: 2, derivative: { t, y in y * (-1 - t) })
        #expect(loose.acceptedSteps < solution.acceptedSteps)
        #expect(abs(loose.y[flat: 0] - exp(-4)) < 1e-4)
        #expect(throws: GUDError.self) { try DormandPrince<Double>(relativeTolerance: 0) }
    }

    /// A model returning the wrong shape, or a schedule that does not fit the space, is an error.
    @Test func invalidModelsAndSchedules() throws {
        let (space, schedule, _) = try Self.fourierSetup()
        let broken = EpsilonClosure<Double> { _, x in try x.reshaped([-1]) }
        #expect(throws: GUDError.self) {
            try sampleEulerMaruyama(model: broken, schedule: schedule, space: space, start: .noise(count: 1), source: RandomSource(seed: 0))
        }
        let fine = EpsilonClosure<Double> { _, x in x }
        #expect(throws: GUDError.self) {
            try sampleHeun(model: fine, schedule: softConditioningSchedule(labels: [1.0, 2, 3]), space: space,
                           start: .noise(count: 1), source: RandomSource(seed: 0))
        }
        #expect(throws: GUDError.self) {
            try sampleDormandPrince(model: fine, schedule: schedule, space: space, start: .noise(count: 1),
                                    source: RandomSource(seed: 0), saveTimes: [1.5])
        }
        #expect(throws: GUDError.self) {
            try sampleEulerMaruyama(model: fine, schedule: schedule, space: space, start: .compWhite(Tensor(shape: [1, 15, 1, 2])),
                                    source: RandomSource(seed: 0))
        }
    }
}
