import GUD

/// A short ε-matching training of a time-conditioned network in the whitened-MNIST setting, so that
/// benchmarks whose cost depends on what the network has learnt (the adaptive likelihood solver)
/// run on a network with structure rather than on its near-zero initial output.
///
/// Each step: 64 images drawn from `images[holdOut...]` (the first `holdOut` images are left for
/// evaluation), one uniform time t ∈ [10⁻³, 1] per image, noised by ``ouProcess(_:state:source:firstSample:)``
/// in compWhite; the network maps the noised dataWhite values to the noise in dataWhite; loss
/// mean((ε̂ − ε)²), gradients clipped to global norm 1, Adam with learning rate 10⁻³, no dropout.
public enum BriefTraining {
    /// Trains `network` for `steps` steps; returns the losses of the first and the last step.
    public static func train<N: EpsilonNetwork>(
        _ network: N, setting: WhitenedMNIST, steps: Int, holdOut: Int, source: RandomSource
    ) throws -> (first: Float, last: Float) where N.Scalar == Float {
        guard steps > 0 else { return (.nan, .nan) }
        let adam = try Adam(parameters: network.parameters)
        let (count, d) = (setting.images.shape[0], setting.images.shape[1])
        let batch = 64
        var losses: [Float] = []
        for step in 0..<steps {
            var stream = source.derived("batch").stream(step)
            let indices = (0..<batch).map { _ in holdOut + Int(stream.nextUniform() * Double(count - holdOut)) % (count - holdOut) }
            let times = (0..<batch).map { _ in Float(1e-3 + (1 - 1e-3) * stream.nextUniform()) }
            var scalars = [Float]()
            scalars.reserveCapacity(batch * d)
            for i in indices { scalars += setting.images.scalars[(i * d)..<((i + 1) * d)] }
            let images = try DataValue(setting.space, data: Tensor(shape: [batch, d, 1], scalars: scalars))
            let (noised, noise) = try ouProcess(images, state: setting.schedule(times: times), source: source.derived("noise").derived(UInt64(step)))
            losses.append(try network.lossAndGradients(
                x: noised.dataWhite, conditioning: .time(Tensor(times)), target: noise.dataWhite, dropoutSource: nil))
            _ = try clipGradientsByGlobalNorm(network.parameters, maxNorm: 1)
            try adam.update(network.parameters, learningRate: 1e-3)
        }
        return (losses.first!, losses.last!)
    }
}
