extension Tape {
    /// 2-D convolution with zero padding `(k − 1) / 2` on every side ("same" for stride 1).
    ///
    /// `y[co, n, yo, xo] = b[co] + Σ_{ky, kx, ci} w[ky, kx, ci, co] · x[ci, n, yo·s + ky − p, xo·s + kx − p]`.
    ///
    /// - Parameters:
    ///   - x: channel-major images `[Cin, N, H, W]`.
    ///   - weight: the kernel `[kh, kw, Cin, Cout]` (HWIO, as flax stores it; kh, kw odd), or `[Cin, Cout]`
    ///     for a pointwise (1×1) convolution, i.e. a dense layer applied to every pixel.
    ///   - bias: `[Cout]`, or `nil`.
    ///   - stride: 1 or more, the same along both axes.
    ///   - activation: applied to the result (fused: computed per chunk while in cache).
    /// - Returns: `[Cout, N, Ho, Wo]` with `Ho = (H + 2p − kh) / s + 1`.
    /// - Throws: `GUDError.shapeMismatch` when the shapes do not fit,
    ///   `GUDError.invalidArgument` for a stride below 1 or an even kernel size.
    public func conv2d(
        _ x: Variable, weight: Parameter, bias: Parameter?, stride: Int = 1, activation: Activation = .identity
    ) throws -> Variable {
        let we = weight.extents
        let (kh, kw, cin, cout): (Int, Int, Int, Int) =
            we.rank == 4 ? (we[0], we[1], we[2], we[3]) : we.rank == 2 ? (1, 1, we[0], we[1]) : (0, 0, 0, 0)
        guard kh > 0 else {
            throw GUDError.shapeMismatch("convolution kernel has shape \(we); expected [kh, kw, Cin, Cout] or [Cin, Cout]")
        }
        guard kh % 2 == 1, kw % 2 == 1, stride >= 1 else {
            throw GUDError.invalidArgument("convolution needs odd kernel sizes and stride ≥ 1, got \(kh)×\(kw), stride \(stride)")
        }
        let xe = x.extents
        guard xe.rank == 4, xe[0] == cin else {
            throw GUDError.shapeMismatch("convolution input has shape \(xe); expected [\(cin), N, H, W] for kernel \(we)")
        }
        if let bias, bias.extents != Extents(cout) {
            throw GUDError.shapeMismatch("convolution bias has shape \(bias.extents); expected [\(cout)]")
        }
        let g = ConvGeometry(cin: cin, cout: cout, n: xe[1], h: xe[2], w: xe[3], kh: kh, kw: kw, stride: stride, pad: (kh - 1) / 2)
        guard g.ho > 0, g.wo > 0, kh == kw || g.pad == (kw - 1) / 2 else {
            throw GUDError.shapeMismatch("convolution of \(xe) with kernel \(kh)×\(kw) has an empty output")
        }
        let needs = needsGradient(x, usesParameters: true)
        let (y, yp) = makeNode(Extents(cout, g.n, g.ho, g.wo), requiresGradient: needs)
        let wp = parameterValue(weight)
        let bp = bias.map { UnsafePointer(parameterValue($0)) }
        // The values before the activation are kept for the backward pass.
        let saved = needs && activation != .identity ? allocate(g.cout * g.pixelsOut) : nil
        withScratch(convForwardScratch(g)) { s in
            convForward(value(x), wp, bp, yp, g, accumulate: false, activation: activation, preActivation: saved?.1, scratch: s)
        }
        guard needs else { return y }
        let count = g.cout * g.pixelsOut
        record(y, auxiliary: saved.map { [$0.0] } ?? []) { tape in
            // The gradient before the activation: dz = dy · f′(z).
            var dy = tape.outputGradient(y)
            var dzHandle = -1
            if let (_, z) = saved {
                let (h, dz) = tape.allocate(count)
                activationBackward(z, dy, dz, count, activation)
                dzHandle = h
                dy = UnsafePointer(dz)
            }
            defer { tape.release(dzHandle) }
            let dw = tape.parameterGradient(weight)
            let db = bias.flatMap { tape.parameterGradient($0) }
            if dw != nil || db != nil {
                tape.withScratch(convBackwardParametersScratch(g)) { s in
                    convBackwardParameters(tape.value(x), dy, dw, db, g, scratch: s)
                }
            }
            if let (dx, acc) = tape.gradientForAccumulation(x) {
                tape.withScratch(convBackwardInputScratch(g)) { s in
                    convBackwardInput(tape.parameterValue(weight), dy, dx, g, accumulate: acc, scratch: s)
                }
            }
        }
        return y
    }
}
