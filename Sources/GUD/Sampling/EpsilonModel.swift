/// A noise-prediction model, as the samplers and the likelihood use it.
///
/// ``epsilon(_:state:)`` maps a noisy state x in **compWhite** to the predicted noise ε̂ in
/// compWhite (same shape). A network that works in `dataWhite` wraps its forward pass with the
/// space's ``Space/fromComponentSpace(_:)`` and ``Space/toComponentSpace(_:)``.
///
/// The likelihood also needs vector–Jacobian products, in **dataWhite** coordinates (real, where a
/// network computes them with its backward pass): for y = U† x and η(y) = U† ε̂(U y),
/// ``epsilonAndVJP(dataWhite:state:space:cotangents:)`` returns η(y) and vₖᵀ ∂η/∂y for every
/// cotangent vₖ. The default implementation uses central finite differences
/// (``finiteDifferenceEpsilonAndVJP(dataWhite:state:space:cotangents:)``); a network should supply
/// the exact products.
public protocol EpsilonModel<Scalar> {
    /// The precision of the values: `Float` or `Double`.
    associatedtype Scalar: TensorScalar

    /// ε̂(x) for a batch x in compWhite, shape (batch, D, C) or (batch, D, C, 2); the same shape out.
    func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar>

    /// ε̂(x) written into `output`, which must have the shape of x: the variant the samplers call
    /// once per step with the same buffer. A model may reuse `output`'s storage and its own buffers
    /// so that a step allocates nothing; the default computes ``epsilon(_:state:)`` and assigns it.
    /// - Throws: `GUDError.shapeMismatch` when `output` or the model's result does not have x's shape.
    func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>, into output: inout Tensor<Scalar>) throws

    /// η(y) = U† ε̂(U y) and, for every cotangent vₖ (each shaped like y), the vector–Jacobian
    /// product vₖᵀ ∂η/∂y, per sample (the Jacobian of sample b involves only sample b).
    /// - Parameters:
    ///   - y: dataWhite values (batch, D, C).
    ///   - state: the noising state of the batch.
    ///   - space: the space whose U relates dataWhite and compWhite.
    ///   - cotangents: the vectors vₖ, each of y's shape (none: only η(y) is computed).
    /// - Returns: η(y) and one product per cotangent, each of y's shape.
    func epsilonAndVJP(
        dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>,
        cotangents: [Tensor<Scalar>]
    ) throws -> (epsilon: Tensor<Scalar>, vjps: [Tensor<Scalar>])
}

extension EpsilonModel {
    /// ``epsilon(_:state:)``, checked against x's shape and assigned to `output`.
    public func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>, into output: inout Tensor<Scalar>) throws {
        try checkOutputBuffer(output, for: x)
        output = try checkedEpsilon(x, state: state)
    }

    /// Throws unless `output` has the shape of `x`.
    func checkOutputBuffer(_ output: Tensor<Scalar>, for x: Tensor<Scalar>) throws {
        guard output.shape == x.shape else {
            throw GUDError.shapeMismatch("the output buffer for ε has shape \(output.shape); expected x's shape \(x.shape)")
        }
    }

    /// The default: ``finiteDifferenceEpsilonAndVJP(dataWhite:state:space:cotangents:)``.
    public func epsilonAndVJP(
        dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>,
        cotangents: [Tensor<Scalar>]
    ) throws -> (epsilon: Tensor<Scalar>, vjps: [Tensor<Scalar>]) {
        try finiteDifferenceEpsilonAndVJP(dataWhite: y, state: state, space: space, cotangents: cotangents)
    }

    /// η(y) = U† ε̂(U y) in dataWhite.
    public func epsilon(dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>) throws -> Tensor<Scalar> {
        let x = try space.toComponentSpace(y)
        let eps = try checkedEpsilon(x, state: state)
        return try space.fromComponentSpace(eps)
    }

    /// ε̂(x), with its shape checked against x's.
    func checkedEpsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        let eps = try epsilon(x, state: state)
        guard eps.shape == x.shape else {
            throw GUDError.shapeMismatch("the model returned ε of shape \(eps.shape) for x of shape \(x.shape); expected the same shape")
        }
        return eps
    }

    /// η(y) and vector–Jacobian products by central finite differences.
    ///
    /// For every sample the full Jacobian of η over the N = D·C dataWhite coordinates is formed from
    /// 2N evaluations at y ± hₙ eₙ (batched: up to about 4096 perturbed rows per model call), with
    /// hₙ = ε_mach^{1/3} · max(1, |yₙ|); the products are then exact contractions. The truncation
    /// error is O(h² η‴) and the rounding error O(ε_mach |η| / h), so the relative accuracy is about
    /// ε_mach^{2/3}: ~10⁻¹⁰ in Double, ~10⁻⁵ in Float (exact up to rounding for a model linear in x).
    /// The cost, 2N + 1 evaluations per sample, suits small D; networks should override
    /// ``epsilonAndVJP(dataWhite:state:space:cotangents:)`` with their backward pass.
    public func finiteDifferenceEpsilonAndVJP(
        dataWhite y: Tensor<Scalar>, state: NoisingState<Scalar>, space: any Space<Scalar>,
        cotangents: [Tensor<Scalar>]
    ) throws -> (epsilon: Tensor<Scalar>, vjps: [Tensor<Scalar>]) {
        try space.checkData(y, "dataWhite input")
        for (k, v) in cotangents.enumerated() where v.shape != y.shape {
            throw GUDError.shapeMismatch("cotangent \(k) has shape \(v.shape); expected the input's \(y.shape)")
        }
        let eta = try epsilon(dataWhite: y, state: state, space: space)
        let batch = y.shape[0], n = y.count / batch
        let chunk = Swift.max(1, 4096 / (2 * n))
        var vjps = cotangents.map { _ in Tensor<Scalar>(shape: y.shape) }
        var first = 0
        while first < batch {
            let samples = first..<Swift.min(first + chunk, batch)
            let (rows, steps) = finiteDifferencePoints(y, samples: samples)
            let rowState = try state.rowsSlice(samples).repeatingRows(2 * n)
            let out = try epsilon(dataWhite: rows, state: rowState, space: space)
            for k in cotangents.indices {
                contractFiniteDifferences(out, steps: steps, cotangent: cotangents[k], into: &vjps[k], samples: samples)
            }
            first = samples.upperBound
        }
        return (eta, vjps)
    }
}

/// An ``EpsilonModel`` from a closure (state, x in compWhite) → ε̂ in compWhite. Its vector–Jacobian
/// products come from finite differences.
public struct EpsilonClosure<Scalar: TensorScalar>: EpsilonModel {
    private let body: (NoisingState<Scalar>, Tensor<Scalar>) throws -> Tensor<Scalar>

    /// A model calling `body(state, x)`.
    public init(_ body: @escaping (NoisingState<Scalar>, Tensor<Scalar>) throws -> Tensor<Scalar>) {
        self.body = body
    }

    /// `body(state, x)`.
    public func epsilon(_ x: Tensor<Scalar>, state: NoisingState<Scalar>) throws -> Tensor<Scalar> {
        try body(state, x)
    }
}
