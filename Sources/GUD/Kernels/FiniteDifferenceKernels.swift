// The loops of the finite-difference vector–Jacobian products (see
// `EpsilonModel.finiteDifferenceEpsilonAndVJP`), specialised for Float and Double.

/// For each sample b in `samples` and coordinate m of its N = count/batch values: the rows
/// y_b + hₘ eₘ and y_b − hₘ eₘ (in that order, row index ((b − first)·N + m)·2 + {0, 1}), with
/// hₘ = ε_mach^{1/3} · max(1, |y_bm|). Returns the rows, shaped (rows, …) like y, and the steps.
@_specialize(where S == Float)
@_specialize(where S == Double)
func finiteDifferencePoints<S: TensorScalar>(_ y: Tensor<S>, samples: Range<Int>) -> (rows: Tensor<S>, steps: [S]) {
    let n = y.count / y.shape[0]
    let cube = S.exp(S.log(S.ulpOfOne) / 3)
    var rows = Tensor<S>(shape: [samples.count * 2 * n] + Array(y.shape.dropFirst()))
    var steps = [S](repeating: 0, count: samples.count * n)
    y.withUnsafeBufferPointer { src in
        rows.withUnsafeMutableBufferPointer { dst in
            for (s, b) in samples.enumerated() {
                for m in 0..<n {
                    let value = src[b * n + m]
                    let h = cube * Swift.max(1, Swift.abs(value))
                    steps[s * n + m] = h
                    for sign in 0..<2 {
                        let row = ((s * n + m) * 2 + sign) * n
                        for j in 0..<n { dst[row + j] = src[b * n + j] }
                        dst[row + m] = sign == 0 ? value + h : value - h
                    }
                }
            }
        }
    }
    return (rows, steps)
}

/// (vᵀ J)_m = Σⱼ vⱼ (η(y + hₘ eₘ)ⱼ − η(y − hₘ eₘ)ⱼ) / (2hₘ) for every sample in `samples`,
/// written into `vjp`.
@_specialize(where S == Float)
@_specialize(where S == Double)
func contractFiniteDifferences<S: TensorScalar>(
    _ out: Tensor<S>, steps: [S], cotangent: Tensor<S>, into vjp: inout Tensor<S>, samples: Range<Int>
) {
    let n = cotangent.count / cotangent.shape[0]
    out.withUnsafeBufferPointer { o in
        cotangent.withUnsafeBufferPointer { v in
            vjp.withUnsafeMutableBufferPointer { dst in
                for (s, b) in samples.enumerated() {
                    for m in 0..<n {
                        let plus = (s * n + m) * 2 * n, minus = plus + n
                        var acc: S = 0
                        for j in 0..<n { acc += v[b * n + j] * (o[plus + j] - o[minus + j]) }
                        dst[b * n + m] = acc / (2 * steps[s * n + m])
                    }
                }
            }
        }
    }
}
