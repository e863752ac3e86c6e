import ArgumentParser
import BenchmarkSupport
import Foundation
import GUD

/// The likelihood of 64 MNIST test images (the first 64 of the bundled test split) in bits per
/// dimension, through the probability-flow ODE solved by the adaptive Dormand–Prince integrator
/// (``logLikelihood(model:schedule:data:divergence:prior:tStart:tEnd:relativeTolerance:absoluteTolerance:firstSample:)``)
/// with the Hutchinson divergence estimator, in the whitened MNIST Fourier space with the
/// soft-conditioning schedule. The model is the small U-Net through ``NetworkEpsilonModel`` (exact
/// vector–Jacobian products from its backward pass, one per probe and evaluation), trained first
/// for `--train-steps` steps on the other 9,936 images (``BriefTraining``, not timed), so that the
/// solver meets a network with structure. Standard normal prior, offset 7 bits (8-bit data in
/// [−1, 1], no dequantisation noise).
///
/// Case `likelihood_unet_small_64_hutchinson`; its metrics: bits/dim (mean, min and max over the 64
/// images, and the mean Hutchinson standard error), the ODE right-hand-side evaluations, the network
/// passes (one forward and one backward pass at batch 64 per probe and evaluation), ms per
/// evaluation, the probes, the tolerances and the training losses.
@main
struct LikelihoodBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-likelihood",
        abstract: "Time bits/dim of 64 MNIST images with the adaptive ODE solver and Hutchinson's estimator.")

    static let allCases = ["likelihood_unet_small_64_hutchinson"]

    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var selection: CaseSelection

    @Option(help: "Hutchinson probe vectors per image (≥ 2).")
    var probes: Int = 2

    @Option(help: "Relative tolerance of the ODE solver.")
    var rtol: Float = 1e-4

    @Option(help: "Absolute tolerance of the ODE solver.")
    var atol: Float = 1e-4

    @Option(help: "Training steps before measuring (batch 64, not timed).")
    var trainSteps: Int = 300

    func validate() throws {
        _ = try selection.selected(from: Self.allCases)
        guard probes >= 2 else { throw ValidationError("--probes must be at least 2, got \(probes)") }
        guard rtol > 0, atol > 0 else { throw ValidationError("--rtol and --atol must be positive") }
        guard trainSteps >= 0 else { throw ValidationError("--train-steps must be non-negative") }
    }

    func run() throws {
        var report = options.startReport()
        let setting = try WhitenedMNIST()
        let (count, source) = (64, RandomSource(seed: 5))
        let network = try UNet<Float>(.small(), source: source.derived("init"))
        let losses = try BriefTraining.train(network, setting: setting, steps: trainSteps, holdOut: count, source: source.derived("train"))
        let model = try NetworkEpsilonModel(network: network, space: setting.space)
        let data = try DataValue(setting.space, data: setting.firstImages(count))
        var last: LikelihoodResult<Float>?
        // One likelihood takes seconds: a fifth of --runs (at least 3) after one warm-up.
        for name in try selection.selected(from: Self.allCases) {
            var result = try Benchmark.measure(name, warmup: min(1, options.warmup), runs: max(3, options.runs / 10)) {
                last = try logLikelihood(
                    model: model, schedule: setting.schedule, data: data,
                    divergence: .hutchinson(probes: probes, source: source.derived("probes")),
                    relativeTolerance: rtol, absoluteTolerance: atol)
            }
            guard let last else { continue }
            let bits = last.bitsPerDimension(offset: 7).map(Double.init)
            // The standard error of log p in nats, as bits/dim: / (N ln 2).
            let errors = (last.standardError ?? []).map { Double($0) / (Double(last.dimension) * M_LN2) }
            result.record("bits_per_dim_mean", bits.reduce(0, +) / Double(bits.count))
            result.record("bits_per_dim_min", bits.min() ?? .nan)
            result.record("bits_per_dim_max", bits.max() ?? .nan)
            result.record("hutchinson_standard_error_bits_per_dim_mean", errors.reduce(0, +) / Double(max(1, errors.count)))
            result.record("ode_evaluations", Double(last.evaluations))
            // NetworkEpsilonModel runs one forward and one backward pass per probe and evaluation.
            result.record("network_forward_backward_passes", Double(last.evaluations * probes))
            result.record("ms_per_evaluation", result.median_ms / Double(last.evaluations))
            result.record("probes", Double(probes))
            result.record("rtol", Double(rtol))
            result.record("atol", Double(atol))
            result.record("train_steps", Double(trainSteps))
            result.record("train_loss_first", Double(losses.first))
            result.record("train_loss_last", Double(losses.last))
            report.cases.append(result)
        }
        try report.finish(json: options.json)
    }
}
