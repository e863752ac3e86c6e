// Samples a trained GUD run with a noise schedule of your choice.
//
//     swift run SampleWithCustomSchedule --run runs/mine --softness 0.5 --output samples.png
//     swift run SampleWithCustomSchedule --run runs/mine --schedule quadratic --sampler heun
//
// Schedules:
// - `soft-conditioning` (default): the run's ordering labels (e.g. −log variance: coarse structure
//   first) with a softness and γ targets of your choice; `--reverse` generates in the opposite order.
// - `quadratic`: one γ(t) = γ_min + (γ_max − γ_min) t² for every component, a `GammaSchedule` from a
//   closure and its derivative (β = σ² dγ/dt follows from them).
//
// A network trained as a schedule family (TrainOnNPY --a-range, `gud train --a-range`) is conditioned
// on the per-component γ vector and serves any such schedule; a time-conditioned network only knows
// the schedule it was trained with, and other schedules ask it questions it never saw.
//
// This program only uses `import GUD`, as a package depending on GUD would.
import ArgumentParser
import Foundation
import GUD

@main
struct SampleWithCustomSchedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "SampleWithCustomSchedule",
        abstract: "Sample a trained run with a custom schedule and write a PNG grid.")

    @Option(name: .customLong("run"), help: "The run directory (from TrainOnNPY or gud train).")
    var runPath: String

    @Option(help: "The schedule: soft-conditioning or quadratic.")
    var schedule = "soft-conditioning"
    @Option(help: "Softness s of the soft-conditioning schedule.")
    var softness: Float = 1
    @Flag(help: "Reverse the run's ordering labels (generate in the opposite order).")
    var reverse = false
    @Option(name: .customLong("gamma-min"), help: "γ at the clean end.")
    var gammaMin: Float = -7
    @Option(name: .customLong("gamma-max"), help: "γ at the noisy end.")
    var gammaMax: Float = 3

    @Option(help: "The sampler: euler-maruyama (reverse SDE) or heun (probability-flow ODE).")
    var sampler = "euler-maruyama"
    @Option(help: "Sampler steps (step size 1/steps).")
    var steps = 100
    @Option(help: "Samples to draw.")
    var count = 16
    @Option(help: "Seed of the samples.")
    var seed: UInt64 = 0
    @Option(name: .shortAndLong, help: "The PNG file to write (default: <run>/custom-samples.png).")
    var output: String?

    func run() throws {
        // 1. The trained run: configuration, data statistics, space (basis and prior), network (EMA weights).
        let trained = try TrainedModel<Float>(run: URL(fileURLWithPath: runPath))
        let setup = trained.setup
        if setup.conditioning == .time {
            print("note: this network is conditioned on t and was trained for its run's schedule only")
        }

        // 2. The schedule. Ordering labels: the run's, or −log Σᵢ for a run with a scalar schedule.
        let custom: any Schedule<Float>
        switch schedule {
        case "soft-conditioning":
            var labels = setup.labels ?? setup.componentVariances.map { -Float.log($0) }
            if reverse { labels = labels.map { -$0 } }
            custom = try softConditioningSchedule(
                labels: labels, gammaMinTarget: gammaMin, gammaMaxTarget: gammaMax, softness: softness)
        case "quadratic":
            let (lo, hi) = (Double(gammaMin), Double(gammaMax))
            custom = GammaSchedule<Float>(gamma: { lo + (hi - lo) * $0 * $0 }, derivative: { 2 * (hi - lo) * $0 })
        default:
            throw ValidationError("unknown schedule '\(schedule)'; expected soft-conditioning or quadratic")
        }

        // 3. Sample in compWhite from t = 1 to 0 with the network as ε-model, then decode to images.
        let model = try trained.model()
        let start = SamplerStart<Float>.noise(count: count, channels: setup.channels)
        let source = RandomSource(seed: seed)
        let stepSize = 1 / Float(steps)
        let result: SamplingResult<Float>
        switch sampler {
        case "euler-maruyama":
            result = try sampleEulerMaruyama(
                model: model, schedule: custom, space: setup.space, start: start, source: source, stepSize: stepSize)
        case "heun":
            result = try sampleHeun(
                model: model, schedule: custom, space: setup.space, start: start, source: source, stepSize: stepSize)
        default:
            throw ValidationError("unknown sampler '\(sampler)'; expected euler-maruyama or heun")
        }
        let images = try setup.decode(result.samples.compWhite)  // (count, H·W, C), adds the data mean back
        try images.checkFinite("samples")

        // 4. A PNG grid of the samples.
        let url = URL(fileURLWithPath: output ?? (runPath as NSString).appendingPathComponent("custom-samples.png"))
        try ImageGrid.render(images, height: setup.height, width: setup.width).write(to: url)
        print("\(count) samples, \(result.steps) \(sampler) steps, \(result.modelEvaluations) network calls: \(url.path)")
    }
}
