import ArgumentParser
import BenchmarkSupport
import Foundation
import GUD

/// Training-step and forward-pass times of the reference ε-networks, next to the same-run sgemm rate.
///
/// Cases (median of `--runs` after `--warmup`):
/// - `unet_small_train_b64`: small U-Net (C = 8, (1, 2)), batch 64 of 28×28×1: forward, backward,
///   global-norm clip 1.0, Adam (lr 3e-4);
/// - `unet_big_train_b64`: big U-Net (C = 16, (1, 2, 4), 2 heads), same step;
/// - `mlp_train_b256_d64`: MLP (3 × 256), batch 256 of dimension 64, same step;
/// - `unet_small_forward_b16`: small U-Net inference, batch 16, into a preallocated output.
///
/// Peak RSS is per process: run a case alone with `--case` to measure its memory honestly.
@main
struct NNBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud-bench-nn",
        abstract: "Time the U-Net and MLP training steps and the U-Net forward pass.")

    static let allCases = ["unet_small_train_b64", "unet_big_train_b64", "mlp_train_b256_d64", "unet_small_forward_b16"]

    /// FLOPs per call as counted by XLA for the reference (shared/reference/bench-reference.json).
    static let referenceFLOPs: [String: Double] = [
        "unet_small_train_b64": 2_838_425_600, "unet_big_train_b64": 15_612_584_960,
        "mlp_train_b256_d64": 304_949_216, "unet_small_forward_b16": 224_913_264,
    ]

    @OptionGroup var options: BenchmarkOptions
    @OptionGroup var selection: CaseSelection

    func validate() throws { _ = try selection.selected(from: Self.allCases) }

    func run() throws {
        var report = options.startReport()
        for name in try selection.selected(from: Self.allCases) {
            report.cases.append(try measure(name))
        }
        try report.finish(json: options.json)
    }

    func measure(_ name: String) throws -> BenchmarkCase {
        let source = RandomSource(seed: 2024)
        let flops = Self.referenceFLOPs[name]
        switch name {
        case "unet_small_train_b64":
            return try trainingCase(name, network: UNet<Float>(.small(), source: source), batch: 64, flops: flops)
        case "unet_big_train_b64":
            return try trainingCase(name, network: UNet<Float>(.big(), source: source), batch: 64, flops: flops)
        case "mlp_train_b256_d64":
            return try trainingCase(name, network: MLP<Float>(MLPConfiguration(space: 64), source: source), batch: 256, flops: flops)
        default:
            let net = try UNet<Float>(.small(), source: source)
            let x: Tensor<Float> = source.derived("x").gaussian(shape: [16, net.space, 1])
            let t = Tensor<Float>((0..<16).map { (Float($0) + 0.5) / 16 })
            var out = Tensor<Float>(shape: x.shape)
            return try Benchmark.measure(name, warmup: options.warmup, runs: options.runs, flops: flops) {
                try net.predict(x: x, conditioning: .time(t), into: &out)
            }
        }
    }

    /// One step: loss and gradients, clip to global norm 1, Adam with learning rate 3e-4.
    func trainingCase<N: EpsilonNetwork>(_ name: String, network: N, batch: Int, flops: Double?) throws -> BenchmarkCase
    where N.Scalar == Float {
        let source = RandomSource(seed: 7)
        let x: Tensor<Float> = source.derived("x").gaussian(shape: [batch, network.space, network.channels])
        let eps: Tensor<Float> = source.derived("eps").gaussian(shape: [batch, network.space, network.channels])
        let t = Tensor<Float>((0..<batch).map { (Float($0) + 0.5) / Float(batch) })
        let adam = try Adam(parameters: network.parameters)
        var step: UInt64 = 0
        var losses: [Float] = []
        var buffersAfterFirstStep = 0
        let result = try Benchmark.measure(name, warmup: options.warmup, runs: options.runs, flops: flops) {
            step += 1
            let loss = try network.lossAndGradients(
                x: x, conditioning: .time(t), target: eps, dropoutSource: source.derived(step))
            try clipGradientsByGlobalNorm(network.parameters, maxNorm: 1)
            try adam.update(network.parameters, learningRate: 3e-4)
            losses.append(loss)
            if step == 1 { buffersAfterFirstStep = network.tape.systemAllocationCount }
        }
        print(String(
            format: "%@: loss %.9g → %.9g over %d steps; workspace %.1f MB (at most %.1f MB in use) in %d buffers (%d after the first step)",
            name, losses.first ?? .nan, losses.last ?? .nan, losses.count, Double(network.tape.workspaceBytes) / 1e6,
            Double(network.tape.peakWorkspaceBytesInUse) / 1e6,
            network.tape.systemAllocationCount, buffersAfterFirstStep))
        return result
    }
}
