extension Tape {
    /// Bilinear upsampling by 2 along both image axes, with the semantics of
    /// `jax.image.resize(…, method: "bilinear")`: half-pixel centres (output pixel o samples input
    /// coordinate (o + ½)/2 − ½) and weights renormalised over in-range input pixels, so that
    /// `out[2i] = ¼·in[i−1] + ¾·in[i]`, `out[2i+1] = ¾·in[i] + ¼·in[i+1]`, with `in[−1] = in[0]` and
    /// `in[H] = in[H−1]` at the edges.
    ///
    /// - Parameter x: `[C, N, H, W]`. - Returns: `[C, N, 2H, 2W]`.
    /// - Throws: `GUDError.shapeMismatch` for a value that is not rank 4.
    public func upsampleBilinear2x(_ x: Variable) throws -> Variable {
        let e = x.extents
        guard e.rank == 4, e[2] > 0, e[3] > 0 else {
            throw GUDError.shapeMismatch("bilinear upsampling needs [C, N, H, W], got \(e)")
        }
        let planes = e[0] * e[1], h = e[2], w = e[3]
        let needs = needsGradient(x)
        let (y, yp) = makeNode(Extents(e[0], e[1], 2 * h, 2 * w), requiresGradient: needs)
        upsampleForward(value(x), yp, planes: planes, h: h, w: w)
        guard needs else { return y }
        record(y) { tape in
            guard let (dx, acc) = tape.gradientForAccumulation(x) else { return }
            upsampleBackward(tape.outputGradient(y), dx, planes: planes, h: h, w: w, accumulate: acc)
        }
        return y
    }
}

/// The two input indices and weights of output index `o` of a ×2 bilinear resize of length `n`.
@inline(__always)
func upsampleTaps<T: TensorScalar>(_ o: Int, _ n: Int) -> (Int, Int, T, T) {
    let i = o >> 1
    if o & 1 == 0 { return (Swift.max(i - 1, 0), i, 0.25, 0.75) }
    return (i, Swift.min(i + 1, n - 1), 0.75, 0.25)
}

@_specialize(where T == Float)
@_specialize(where T == Double)
func upsampleForward<T: TensorScalar>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, planes: Int, h: Int, w: Int) {
    let parts = Work.parts(planes * h * w, grain: 1 << 14) > 1 ? Swift.min(Work.maxParts, planes) : 1
    Work.run(parts) { part in
        for pl in Work.range(part, of: parts, planes) {
            let src = x + pl * h * w, dst = y + pl * 4 * h * w
            for yo in 0..<(2 * h) {
                let (r0, r1, a0, a1): (Int, Int, T, T) = upsampleTaps(yo, h)
                let s0 = src + r0 * w, s1 = src + r1 * w, d = dst + yo * 2 * w
                for xo in 0..<(2 * w) {
                    let (c0, c1, b0, b1): (Int, Int, T, T) = upsampleTaps(xo, w)
                    d[xo] = a0 * (b0 * s0[c0] + b1 * s0[c1]) + a1 * (b0 * s1[c0] + b1 * s1[c1])
                }
            }
        }
    }
}

/// The transpose of ``upsampleForward(_:_:planes:h:w:)``: every output gradient is scattered back with
/// the forward weights.
@_specialize(where T == Float)
@_specialize(where T == Double)
func upsampleBackward<T: TensorScalar>(
    _ dy: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>, planes: Int, h: Int, w: Int, accumulate: Bool
) {
    let parts = Work.parts(planes * h * w, grain: 1 << 14) > 1 ? Swift.min(Work.maxParts, planes) : 1
    Work.run(parts) { part in
        for pl in Work.range(part, of: parts, planes) {
            let src = dy + pl * 4 * h * w, dst = dx + pl * h * w
            if !accumulate { dst.update(repeating: 0, count: h * w) }
            for yo in 0..<(2 * h) {
                let (r0, r1, a0, a1): (Int, Int, T, T) = upsampleTaps(yo, h)
                let d0 = dst + r0 * w, d1 = dst + r1 * w, s = src + yo * 2 * w
                for xo in 0..<(2 * w) {
                    let (c0, c1, b0, b1): (Int, Int, T, T) = upsampleTaps(xo, w)
                    let g = s[xo]
                    d0[c0] += a0 * b0 * g
                    d0[c1] += a0 * b1 * g
                    d1[c0] += a1 * b0 * g
                    d1[c1] += a1 * b1 * g
                }
            }
        }
    }
}
