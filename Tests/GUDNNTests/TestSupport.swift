import GUDNN
import Testing

/// Shared helpers for the GUDNN tests: seeded data and finite-difference gradient checks.
enum TestSupport {
    /// Pins OpenBLAS to one thread (the test script also sets `OPENBLAS_NUM_THREADS=1`).
    static let pinThreads: Void = BLAS.setThreadCount(1)

    /// Uniform values in [−scale, scale) from a seeded stream.
    static func uniform<S: TensorScalar>(_ shape: [Int], seed: UInt64, scale: Double = 1, as: S.Type = S.self) -> Tensor<S> {
        var s = RandomSource(seed: seed).stream(0)
        return Tensor(shape: shape) { _ in S(scale * (2 * s.nextUniform() - 1)) }
    }

    /// Sets every parameter of a store to uniform values in [−scale, scale) (random, not the initialisers,
    /// so that zero biases or unit scales do not hide gradient errors).
    static func randomize<S: TensorScalar>(_ store: ParameterStore<S>, seed: UInt64, scale: Double = 0.5) {
        var s = RandomSource(seed: seed).stream(1)
        for i in 0..<store.scalarCount { store.values[i] = S(scale * (2 * s.nextUniform() - 1)) }
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖, tiny).
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        var d = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            d += (x - y) * (x - y)
            na += x * x
            nb += y * y
        }
        return d.squareRoot() / max(na.squareRoot(), nb.squareRoot(), 1e-300)
    }

    /// Checks every gradient of `L = Σ w ⊙ f(inputs; parameters)` (random fixed weights w) against
    /// central finite differences, for every element of every input and every parameter.
    /// Returns the largest relative error (per input / per parameter tensor).
    static func gradientCheck(
        inputs: [Tensor<Double>], store: ParameterStore<Double>, dropout: RandomSource? = nil,
        step: Double = 1e-6, _ f: (Tape<Double>, [Variable]) throws -> Variable
    ) throws -> Double {
        _ = pinThreads
        let tape = Tape<Double>(parameters: store)
        var weights: Tensor<Double>? = nil
        func loss(_ xs: [Tensor<Double>]) throws -> Double {
            tape.begin(parameters: store, recording: false, dropout: dropout)
            defer { tape.end() }
            let vs = try xs.map { try tape.input($0) }
            let y = try f(tape, vs)
            let out = tape.tensor(y)
            if weights == nil { weights = uniform(out.shape, seed: 99) }
            return zip(out.scalars, weights!.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        }
        _ = try loss(inputs)
        // Analytic gradients.
        store.zeroGradients()
        tape.begin(parameters: store, recording: true, parameterGradients: true, dropout: dropout)
        let vs = try inputs.map { try tape.input($0, requiresGradient: true) }
        let y = try f(tape, vs)
        try tape.backward(from: y, seed: try weights!.reshaped(y.extents.array))
        let inputGrads = vs.map { tape.gradient($0)!.scalars }
        tape.end()
        let paramGrads = (0..<store.scalarCount).map { store.gradients[$0] }
        var worst = 0.0
        // Inputs.
        for (k, x) in inputs.enumerated() {
            var numeric = [Double]()
            for i in 0..<x.count {
                var xp = inputs, xm = inputs
                xp[k][flat: i] += step
                xm[k][flat: i] -= step
                numeric.append((try loss(xp) - loss(xm)) / (2 * step))
            }
            worst = max(worst, relativeError(inputGrads[k], numeric))
        }
        // Parameters, tensor by tensor.
        for spec in store.specs {
            var numeric = [Double]()
            for i in spec.offset..<(spec.offset + spec.count) {
                let v = store.values[i]
                store.values[i] = v + step
                let lp = try loss(inputs)
                store.values[i] = v - step
                let lm = try loss(inputs)
                store.values[i] = v
                numeric.append((lp - lm) / (2 * step))
            }
            let e = relativeError(Array(paramGrads[spec.offset..<(spec.offset + spec.count)]), numeric)
            worst = max(worst, e)
        }
        return worst
    }
}
