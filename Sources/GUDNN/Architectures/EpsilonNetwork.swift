/// A network that predicts the noise ε of a diffusion model from noised data and a conditioning value.
///
/// Data layout: `x` is `(batch, space, channel)` as everywhere in GUD; the output has the same shape.
/// Conditioning is ``NetworkConditioning/time(_:)`` (shape `(batch)`) or
/// ``NetworkConditioning/gamma(_:)`` (shape `(batch, components)`), whichever ``conditioningKind`` says.
///
/// A conforming type only describes its forward pass on a ``Tape`` (``forward(_:conditioning:on:)``)
/// from provided layers; prediction, training gradients and vector–Jacobian products come from the
/// extension below, with no backward code.
///
/// A network runs one call at a time (its tape and buffers are shared by its calls); use one network
/// per thread.
public protocol EpsilonNetwork<Scalar>: AnyObject {
    /// The element type of values and parameters: `Float` or `Double`.
    associatedtype Scalar: TensorScalar
    /// The architecture's settings (e.g. ``UNetConfiguration``), stored as JSON in checkpoints.
    associatedtype Configuration: Codable & Sendable & Equatable

    /// A short name of the architecture stored in checkpoints (`"unet"`, `"mlp"`).
    static var architectureName: String { get }
    /// The configuration the network was built from (stored in checkpoint metadata).
    var configuration: Configuration { get }
    /// The parameters, named and enumerated in a fixed order.
    var parameters: ParameterStore<Scalar> { get }
    /// The tape, with its buffer pool, that the network's calls run on.
    var tape: Tape<Scalar> { get }
    /// The number of spatial positions of `x`.
    var space: Int { get }
    /// The number of channels of `x`.
    var channels: Int { get }
    /// What the network is conditioned on.
    var conditioningKind: ConditioningKind { get }

    /// Builds the network with parameters initialised deterministically from `source`.
    init(_ configuration: Configuration, source: RandomSource) throws

    /// Records ε(x) on `tape` (in a pass begun by the caller).
    /// - Parameters:
    ///   - x: `[N, space, channels]`.
    ///   - conditioning: `[N]` (time) or `[N, components]` (γ).
    ///   - tape: the tape of the caller's pass.
    /// - Returns: `[N, space, channels]`.
    func forward(_ x: Variable, conditioning: Variable, on tape: Tape<Scalar>) throws -> Variable
}

extension EpsilonNetwork {
    /// ε(x) for inference: no gradients are recorded and dropout is off.
    /// - Throws: `GUDError.shapeMismatch` for inputs of the wrong shape,
    ///   `GUDError.invalidArgument` for the wrong kind of conditioning.
    public func predict(x: Tensor<Scalar>, conditioning: NetworkConditioning<Scalar>) throws -> Tensor<Scalar> {
        var out = Tensor<Scalar>(shape: x.shape)
        try predict(x: x, conditioning: conditioning, into: &out)
        return out
    }

    /// ε(x) written into `output` (shape of `x`), the variant for samplers that call the network many
    /// times. After the first call at a given batch size every buffer comes from the network's pool
    /// (replayed exactly, nothing allocated), provided `output`'s storage is not shared. With one worker
    /// thread (`GUD_NUM_THREADS=1`) the call performs no heap allocation at all; with more, each parallel
    /// loop allocates the one small closure box described in `WorkerPool`.
    public func predict(
        x: Tensor<Scalar>, conditioning: NetworkConditioning<Scalar>, into output: inout Tensor<Scalar>
    ) throws {
        try checkInputs(x, conditioning)
        guard output.shape == x.shape else {
            throw GUDError.shapeMismatch("output buffer has shape \(output.shape), expected \(x.shape)")
        }
        tape.begin(parameters: parameters, recording: false, workspaceKey: 3 * x.shape[0])
        defer { tape.end() }
        let xv = try tape.input(x)
        let cv = try tape.input(conditioning.tensor)
        let eps = try forward(xv, conditioning: cv, on: tape)
        tape.withValue(eps) { src in
            output.withUnsafeMutableBufferPointer { copyScalars($0.baseAddress!, src.baseAddress!, src.count) }
        }
    }

    /// One training evaluation: the loss `mean((ε(x) − target)²)` over all elements and its gradient
    /// with respect to every parameter, written to `parameters.gradients` (overwritten, not accumulated).
    ///
    /// - Parameters:
    ///   - x: the noisy input `[N, space, channels]`.
    ///   - conditioning: the time or γ of every sample.
    ///   - target: the noise ε that was added, shape of `x`.
    ///   - dropoutSource: the source of dropout masks (use a fresh derived source per step);
    ///     `nil` disables dropout.
    /// - Returns: the loss.
    public func lossAndGradients(
        x: Tensor<Scalar>, conditioning: NetworkConditioning<Scalar>, target: Tensor<Scalar>,
        dropoutSource: RandomSource?
    ) throws -> Scalar {
        try checkInputs(x, conditioning)
        guard target.shape == x.shape else {
            throw GUDError.shapeMismatch("target has shape \(target.shape), expected the shape of x \(x.shape)")
        }
        parameters.zeroGradients()
        tape.begin(
            parameters: parameters, recording: true, parameterGradients: true, dropout: dropoutSource,
            workspaceKey: 3 * x.shape[0] + 1)
        defer { tape.end() }
        let xv = try tape.input(x)
        let cv = try tape.input(conditioning.tensor)
        let tv = try tape.input(target)
        let loss = try tape.meanSquaredError(forward(xv, conditioning: cv, on: tape), tv)
        let value = tape.withValue(loss) { $0[0] }
        try tape.backward(from: loss)
        return value
    }

    /// ε(x) and the vector–Jacobian product `vᵀ ∂ε/∂x` (shape of `x`), e.g. for Hutchinson divergence
    /// estimates `E[vᵀ (∂ε/∂x) v]`. Dropout is off; parameter gradients are not computed.
    public func vectorJacobianProduct(
        x: Tensor<Scalar>, conditioning: NetworkConditioning<Scalar>, vector v: Tensor<Scalar>
    ) throws -> (output: Tensor<Scalar>, vjp: Tensor<Scalar>) {
        try checkInputs(x, conditioning)
        guard v.shape == x.shape else {
            throw GUDError.shapeMismatch("vector has shape \(v.shape), expected the shape of x \(x.shape)")
        }
        tape.begin(parameters: parameters, recording: true, parameterGradients: false, workspaceKey: 3 * x.shape[0] + 2)
        defer { tape.end() }
        let xv = try tape.input(x, requiresGradient: true)
        let cv = try tape.input(conditioning.tensor)
        let eps = try forward(xv, conditioning: cv, on: tape)
        let output = tape.tensor(eps)
        try tape.backward(from: eps, seed: v)
        return (output, tape.gradient(xv)!)
    }

    /// The number of scalar parameters.
    public var parameterScalarCount: Int { parameters.scalarCount }

    /// Throws unless `x` is `(N, space, channels)` and the conditioning has the configured kind and shape.
    public func checkInputs(_ x: Tensor<Scalar>, _ conditioning: NetworkConditioning<Scalar>) throws {
        let s = x.shape
        guard s.count == 3, s[1] == space, s[2] == channels, s[0] > 0 else {
            throw GUDError.shapeMismatch("x has shape \(s); expected (batch, \(space), \(channels))")
        }
        let c = conditioning.tensor.shape
        switch (conditioningKind, conditioning) {
        case (.time, .time):
            guard c.count == 1, c[0] == s[0] else {
                throw GUDError.shapeMismatch("time has shape \(c); expected (\(s[0]))")
            }
        case (.gamma(let k), .gamma):
            guard c.count == 2, c[0] == s[0], c[1] == k else {
                throw GUDError.shapeMismatch("γ has shape \(c); expected (\(s[0]), \(k))")
            }
        default:
            throw GUDError.invalidArgument("the network is conditioned on \(conditioningKind), got the other kind of conditioning")
        }
    }
}
