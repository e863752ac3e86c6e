import GUDNumerics

/// The sizes of a 2-D convolution on channel-major images `[C, N, H, W]` with an HWIO kernel
/// `[kh, kw, Cin, Cout]`, zero padding `pad` on every side, and stride `stride`.
struct ConvGeometry {
    let cin, cout, n, h, w, kh, kw, stride, pad: Int
    var ho: Int { (h + 2 * pad - kh) / stride + 1 }
    var wo: Int { (w + 2 * pad - kw) / stride + 1 }
    /// The reduction length of the product: kh·kw·Cin (rows of the im2col matrix).
    var k: Int { kh * kw * cin }
    var pixelsIn: Int { n * h * w }
    var pixelsOut: Int { n * ho * wo }
    var isPointwise: Bool { kh == 1 && kw == 1 && stride == 1 && pad == 0 }

    /// Stride-1 "same" convolutions (odd square kernel) use row bands instead of a full im2col matrix:
    /// for a chunk of output rows of one image, the band holds, per (kx, ci), the input rows the chunk
    /// reads (with kh − 1 halo rows) shifted by kx − pad; tap row ky is then the band offset by ky rows,
    /// so the convolution is kh products with reduction kw·Cin over the same band — kh times less
    /// copying than im2col.
    var usesRowBands: Bool { stride == 1 && kh == kw && kh > 1 && 2 * pad == kh - 1 }
    /// Reduction length of one product: kw·Cin for bands, kh·kw·Cin for im2col.
    var productDepth: Int { usesRowBands ? kw * cin : k }

    /// Output rows per chunk: the chunk's band or im2col block stays near 128 KB, so that it is still in
    /// cache when the products read it. Bands do not cross images.
    var rowsPerChunk: Int {
        usesRowBands
            ? Swift.max(1, Swift.min(h, 32768 / Swift.max(1, kw * cin * w) - (kh - 1)))
            : Swift.max(1, Swift.min(n * ho, 32768 / Swift.max(1, k * wo)))
    }
    var chunkCount: Int {
        usesRowBands ? n * ((h + rowsPerChunk - 1) / rowsPerChunk) : (n * ho + rowsPerChunk - 1) / rowsPerChunk
    }
    var chunkParts: Int { Swift.min(Work.maxParts, chunkCount) }
    /// Chunk c: its first global output row (over batch and height) and its number of rows.
    func chunk(_ c: Int) -> (firstRow: Int, rows: Int) {
        let r = rowsPerChunk
        if usesRowBands {
            let bands = (h + r - 1) / r
            let image = c / bands, y0 = (c % bands) * r
            return (image * h + y0, Swift.min(r, h - y0))
        }
        return (c * r, Swift.min(r, n * ho - c * r))
    }
    /// Elements of one chunk's band or im2col block.
    var chunkScratch: Int {
        usesRowBands ? kw * cin * (rowsPerChunk + kh - 1) * w : k * rowsPerChunk * wo
    }
    /// The leading dimension of a chunk's band or block with `rows` output rows.
    func chunkStride(rows: Int) -> Int { usesRowBands ? (rows + kh - 1) * w : rows * wo }

    /// Fills the band (``usesRowBands``) or im2col block of a chunk.
    func fillChunk<T: TensorScalar>(_ x: UnsafePointer<T>, firstRow: Int, rows: Int, _ cols: UnsafeMutablePointer<T>) {
        if usesRowBands {
            rowBand(x, self, firstRow: firstRow, rows: rows, cols)
        } else {
            im2col(x, self, firstRow: firstRow, rows: rows, cols)
        }
    }

    /// The products of a chunk: B of tap row ky (0 for im2col) and the matching rows of the HWIO kernel.
    func forEachProduct(_ body: (_ bandOffset: Int, _ weightOffset: Int) -> Void) {
        if usesRowBands {
            for ky in 0..<kh { body(ky * w, ky * kw * cin * cout) }
        } else {
            body(0, 0)
        }
    }
}

/// Writes the row band of output rows `firstRow ..< firstRow + rows` (one image, see
/// ``ConvGeometry/usesRowBands``): `band[kx·Cin + ci][j·W + x] = x[ci, n, y0 − pad + j, x + kx − pad]`
/// for j < rows + kh − 1, or 0 outside the image.
@_specialize(where T == Float)
@_specialize(where T == Double)
func rowBand<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ g: ConvGeometry, firstRow: Int, rows: Int, _ band: UnsafeMutablePointer<T>
) {
    let w = g.w, h = g.h
    let n = firstRow / h, y0 = firstRow - n * h
    let bandRows = rows + g.kh - 1
    let length = bandRows * w
    // Band rows j whose source row y0 − pad + j is inside the image.
    let v0 = Swift.max(0, g.pad - y0), v1 = Swift.max(v0, Swift.min(bandRows, h - y0 + g.pad))
    for kx in 0..<g.kw {
        let dx = kx - g.pad
        let left = Swift.max(0, -dx), right = Swift.max(0, dx)
        for ci in 0..<g.cin {
            let dst = band + (kx * g.cin + ci) * length
            let plane = x + ci * g.pixelsIn + n * h * w
            if v0 > 0 { dst.update(repeating: 0, count: v0 * w) }
            if v1 > v0 {
                // One shifted copy without the first `left` and last `right` elements (padding, possibly
                // outside the plane), then zero the padding columns of every row.
                let d = dst + v0 * w
                let s = plane + (y0 - g.pad + v0) * w + dx
                copyElements(s + left, d + left, (v1 - v0) * w - left - right)
                if left > 0 || right > 0 {
                    for row in 0..<(v1 - v0) {
                        for c in 0..<left { d[row * w + c] = 0 }
                        for c in (w - right)..<w { d[row * w + c] = 0 }
                    }
                }
            }
            if v1 < bandRows { (dst + v1 * w).update(repeating: 0, count: (bandRows - v1) * w) }
        }
    }
}

/// Writes the im2col matrix of `rows` output rows starting at global output row `firstRow`
/// (row index over batch and height): `cols[(ky·kw + kx)·Cin + ci][r·Wo + xo]` is the input pixel read by
/// tap (ky, kx) of channel ci for that output pixel, or 0 in the padding.
@_specialize(where T == Float)
@_specialize(where T == Double)
func im2col<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ g: ConvGeometry, firstRow: Int, rows: Int, _ cols: UnsafeMutablePointer<T>
) {
    let wo = g.wo, ho = g.ho
    let chunk = rows * wo
    for ky in 0..<g.kh {
        for kx in 0..<g.kw {
            // Output columns whose tap kx falls inside the image: 0 ≤ xo·s + kx − pad < W.
            let lo = Swift.max(0, (g.pad - kx + g.stride - 1) / g.stride)
            let hi = Swift.max(lo, Swift.min(wo, (g.w - 1 - kx + g.pad) / g.stride + 1))
            for ci in 0..<g.cin {
                let dst0 = cols + ((ky * g.kw + kx) * g.cin + ci) * chunk
                let plane = x + ci * g.pixelsIn
                for r in 0..<rows {
                    let gr = firstRow + r
                    let n = gr / ho
                    let sy = (gr - n * ho) * g.stride + ky - g.pad
                    let d = dst0 + r * wo
                    if sy < 0 || sy >= g.h {
                        d.update(repeating: 0, count: wo)
                        continue
                    }
                    let src = plane + (n * g.h + sy) * g.w + kx - g.pad
                    for xo in 0..<lo { d[xo] = 0 }
                    for xo in lo..<hi { d[xo] = src[xo * g.stride] }
                    for xo in hi..<wo { d[xo] = 0 }
                }
            }
        }
    }
}

/// `dst[i] = src[i]` for i < n (n ≤ 0: nothing).
@inline(__always)
func copyElements<T: TensorScalar>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ n: Int) {
    if n > 0 { dst.update(from: src, count: n) }
}

/// Adds the im2col matrix `cols` of `rows` output rows starting at `firstRow` back into the image `dx`
/// (the transpose of ``im2col(_:_:firstRow:rows:_:)``).
@_specialize(where T == Float)
@_specialize(where T == Double)
func col2imAdd<T: TensorScalar>(
    _ cols: UnsafePointer<T>, _ g: ConvGeometry, firstRow: Int, rows: Int, _ dx: UnsafeMutablePointer<T>
) {
    let wo = g.wo, ho = g.ho
    let chunk = rows * wo
    for ky in 0..<g.kh {
        for kx in 0..<g.kw {
            let lo = Swift.max(0, (g.pad - kx + g.stride - 1) / g.stride)
            let hi = Swift.max(lo, Swift.min(wo, (g.w - 1 - kx + g.pad) / g.stride + 1))
            for ci in 0..<g.cin {
                let src0 = cols + ((ky * g.kw + kx) * g.cin + ci) * chunk
                let plane = dx + ci * g.pixelsIn
                for r in 0..<rows {
                    let gr = firstRow + r
                    let n = gr / ho
                    let sy = (gr - n * ho) * g.stride + ky - g.pad
                    if sy < 0 || sy >= g.h { continue }
                    let s = src0 + r * wo
                    let d = plane + (n * g.h + sy) * g.w + kx - g.pad
                    for xo in lo..<hi { d[xo * g.stride] += s[xo] }
                }
            }
        }
    }
}

/// `y[co, p] (+)= f(b[co] + Σ_k w[k, co] · im2col(x)[k, p])`: the forward convolution, computed per chunk
/// of output rows from its row band (kh products) or im2col block (one product), chunks spread over the
/// cores, with bias and activation f applied to each chunk while it is in cache. `w` is HWIO, i.e.
/// `[K, Cout]` row-major. When `preActivation` is given it receives the values
/// before f (for the backward pass). Accumulation is only supported with the identity.
/// `scratch` holds ``convForwardScratch(_:)`` elements.
@_specialize(where T == Float)
@_specialize(where T == Double)
func convForward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ w: UnsafePointer<T>, _ bias: UnsafePointer<T>?, _ y: UnsafeMutablePointer<T>,
    _ g: ConvGeometry, accumulate: Bool, activation: Activation = .identity,
    preActivation: UnsafeMutablePointer<T>? = nil, scratch: UnsafeMutablePointer<T>
) {
    let pOut = g.pixelsOut
    let z = preActivation ?? y
    // When accumulating, the bias is added before the product (β = 1); otherwise the product
    // overwrites (β = 0) and the bias is added in the same pass as the activation.
    func prepare(_ p0: Int, _ count: Int) -> T {
        guard accumulate else { return 0 }
        if let bias {
            for co in 0..<g.cout {
                let row = z + co * pOut + p0
                for i in 0..<count { row[i] += bias[co] }
            }
        }
        return 1
    }
    func finish(_ p0: Int, _ count: Int) {
        guard !accumulate else { return }
        for co in 0..<g.cout {
            biasActivate(z + co * pOut + p0, bias?[co] ?? 0, y + co * pOut + p0, count, activation)
        }
    }
    if g.isPointwise {
        let parts = Work.parts(pOut, grain: 1024)
        Work.run(parts) { part in
            let r = Work.range(part, of: parts, pOut)
            let beta = prepare(r.lowerBound, r.count)
            BLAS.gemm(
                transA: true, m: g.cout, n: r.count, k: g.cin, a: w, lda: g.cout,
                b: x + r.lowerBound, ldb: g.pixelsIn, beta: beta, c: z + r.lowerBound, ldc: pOut)
            finish(r.lowerBound, r.count)
        }
        return
    }
    let chunks = g.chunkCount, parts = g.chunkParts, depth = g.productDepth
    Work.run(parts) { part in
        let cols = scratch + part * g.chunkScratch
        for c in Work.range(part, of: parts, chunks) {
            let (r0, rows) = g.chunk(c)
            let px = rows * g.wo, p0 = r0 * g.wo
            g.fillChunk(x, firstRow: r0, rows: rows, cols)
            var beta = prepare(p0, px)
            g.forEachProduct { bandOffset, weightOffset in
                BLAS.gemm(
                    transA: true, m: g.cout, n: px, k: depth, a: w + weightOffset, lda: g.cout,
                    b: cols + bandOffset, ldb: g.chunkStride(rows: rows), beta: beta, c: z + p0, ldc: pOut)
                beta = 1
            }
            finish(p0, px)
        }
    }
}

/// The gradients of the kernel and bias of a convolution: `dw[k, co] += Σ_p im2col(x)[k, p] · dy[co, p]`
/// (from the chunks' row bands or im2col blocks, rebuilt rather than stored) and `db[co] += Σ_p dy[co, p]`.
/// Partial sums per part are added in part order.
/// `scratch` holds ``convBackwardParametersScratch(_:)`` elements.
@_specialize(where T == Float)
@_specialize(where T == Double)
func convBackwardParameters<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dw: UnsafeMutablePointer<T>?, _ db: UnsafeMutablePointer<T>?,
    _ g: ConvGeometry, scratch: UnsafeMutablePointer<T>
) {
    let k = g.k, cout = g.cout, pOut = g.pixelsOut
    let pointwise = g.isPointwise, chunks = g.chunkCount, depth = g.productDepth
    let parts = pointwise ? Work.parts(pOut, grain: 2048) : g.chunkParts
    let colsSize = pointwise ? 0 : g.chunkScratch
    let partSize = colsSize + k * cout + cout
    Work.run(parts) { part in
        let base = scratch + part * partSize
        let cols = base, pw = base + colsSize, pb = pw + k * cout
        pb.update(repeating: 0, count: cout)
        pw.update(repeating: 0, count: k * cout)
        func biasSums(_ p0: Int, _ px: Int) {
            guard db != nil else { return }
            for co in 0..<cout { pb[co] += rowSum(dy + co * pOut + p0, px) }
        }
        if pointwise {
            let r = Work.range(part, of: parts, pOut)
            if dw != nil, !r.isEmpty {
                BLAS.gemm(
                    transB: true, m: k, n: cout, k: r.count, a: x + r.lowerBound, lda: g.pixelsIn,
                    b: dy + r.lowerBound, ldb: pOut, beta: 1, c: pw)
            }
            biasSums(r.lowerBound, r.count)
            return
        }
        for c in Work.range(part, of: parts, chunks) {
            let (r0, rows) = g.chunk(c)
            let px = rows * g.wo, p0 = r0 * g.wo
            if dw != nil {
                g.fillChunk(x, firstRow: r0, rows: rows, cols)
                g.forEachProduct { bandOffset, weightOffset in
                    BLAS.gemm(
                        transB: true, m: depth, n: cout, k: px, a: cols + bandOffset, lda: g.chunkStride(rows: rows),
                        b: dy + p0, ldb: pOut, beta: 1, c: pw + weightOffset)
                }
            }
            biasSums(p0, px)
        }
    }
    // Ordered reduction of the partial sums.
    for part in 0..<parts {
        let base = scratch + part * partSize
        if let dw { addInPlace(dw, base + colsSize, k * cout) }
        if let db { addInPlace(db, base + colsSize + k * cout, cout) }
    }
}

/// The scratch size `convBackwardParameters` needs.
func convBackwardParametersScratch(_ g: ConvGeometry) -> Int {
    let parts = g.isPointwise ? Work.parts(g.pixelsOut, grain: 2048) : g.chunkParts
    let colsSize = g.isPointwise ? 0 : g.chunkScratch
    return parts * (colsSize + g.k * g.cout + g.cout)
}

/// The gradient of a convolution with respect to its input, `dx (+)= Σ` over the taps that read each
/// input pixel. Stride-1 "same" convolutions use the forward product with the flipped, transposed kernel;
/// other geometries multiply `w · dy` per image and scatter with col2im.
/// `scratch` holds ``convBackwardInputScratch(_:)`` elements.
@_specialize(where T == Float)
@_specialize(where T == Double)
func convBackwardInput<T: TensorScalar>(
    _ w: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dx: UnsafeMutablePointer<T>, _ g: ConvGeometry,
    accumulate: Bool, scratch: UnsafeMutablePointer<T>
) {
    let pOut = g.pixelsOut
    if g.isPointwise {
        let parts = Work.parts(pOut, grain: 1024)
        Work.run(parts) { part in
            let r = Work.range(part, of: parts, pOut)
            BLAS.gemm(
                m: g.cin, n: r.count, k: g.cout, a: w, lda: g.cout, b: dy + r.lowerBound, ldb: pOut,
                beta: accumulate ? 1 : 0, c: dx + r.lowerBound, ldc: g.pixelsIn)
        }
        return
    }
    if g.stride == 1 && 2 * g.pad == g.kh - 1 && 2 * g.pad == g.kw - 1 {
        // dx = conv(dy, w̃) with w̃[(ky, kx, co), ci] = w[(kh−1−ky, kw−1−kx, ci), co].
        let flipped = scratch
        for ky in 0..<g.kh {
            for kx in 0..<g.kw {
                let src = w + ((g.kh - 1 - ky) * g.kw + (g.kw - 1 - kx)) * g.cin * g.cout
                let dst = flipped + (ky * g.kw + kx) * g.cout * g.cin
                for ci in 0..<g.cin {
                    for co in 0..<g.cout { dst[co * g.cin + ci] = src[ci * g.cout + co] }
                }
            }
        }
        let t = ConvGeometry(cin: g.cout, cout: g.cin, n: g.n, h: g.h, w: g.w, kh: g.kh, kw: g.kw, stride: 1, pad: g.pad)
        convForward(dy, flipped, nil, dx, t, accumulate: accumulate, scratch: scratch + g.k * g.cout)
        return
    }
    let parts = Swift.min(Work.maxParts, g.n)
    let imagePixels = g.ho * g.wo
    Work.run(parts) { part in
        let cols = scratch + part * g.k * imagePixels
        for n in Work.range(part, of: parts, g.n) {
            if !accumulate {
                for ci in 0..<g.cin { (dx + ci * g.pixelsIn + n * g.h * g.w).update(repeating: 0, count: g.h * g.w) }
            }
            BLAS.gemm(
                m: g.k, n: imagePixels, k: g.cout, a: w, lda: g.cout, b: dy + n * imagePixels, ldb: pOut,
                c: cols, ldc: imagePixels)
            col2imAdd(cols, g, firstRow: n * g.ho, rows: g.ho, dx)
        }
    }
}

/// The scratch size `convBackwardInput` needs.
func convBackwardInputScratch(_ g: ConvGeometry) -> Int {
    if g.isPointwise { return 1 }
    if g.stride == 1 && 2 * g.pad == g.kh - 1 && 2 * g.pad == g.kw - 1 {
        let t = ConvGeometry(cin: g.cout, cout: g.cin, n: g.n, h: g.h, w: g.w, kh: g.kh, kw: g.kw, stride: 1, pad: g.pad)
        return g.k * g.cout + convForwardScratch(t)
    }
    return Swift.min(Work.maxParts, g.n) * g.k * g.ho * g.wo
}

/// The scratch size `convForward` needs.
func convForwardScratch(_ g: ConvGeometry) -> Int {
    g.isPointwise ? 1 : g.chunkParts * g.chunkScratch
}
