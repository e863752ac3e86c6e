extension Tape {
    /// Layer normalisation over the channel axis of channel-major values, with an optional fused
    /// epilogue (per-image channel shift, activation, dropout, residual add):
    ///
    ///     x̂[c, p] = (x[c, p] − μ_p) / √(σ²_p + ε)        μ_p, σ²_p: mean and variance over c
    ///     z[c, p] = γ_c · x̂[c, p] + β_c + shift[n(p), c]
    ///     y[c, p] = residual[c, p] + m[c, p] · f(z[c, p])   m: dropout mask (0 or 1/(1 − rate))
    ///
    /// Intermediate values are not stored: backward recomputes them from `x` and the saved μ and 1/σ,
    /// which keeps the memory of a whole residual block to one buffer per convolution.
    ///
    /// - Parameters:
    ///   - x: `[C, …]`, axis 0 the channels (e.g. images `[C, N, H, W]`); pixels p run over the other axes.
    ///   - scale: γ, `[C]`.
    ///   - bias: β, `[C]`.
    ///   - epsilon: added to the variance; default 1e-6 (flax's default).
    ///   - shift: optional `[N, C]`, added to every pixel of image n (pixel p belongs to image
    ///     `p / (P / N)`), e.g. a projected time embedding.
    ///   - activation: f, default identity.
    ///   - dropoutRate: the probability of zeroing an element when the pass has a dropout source
    ///     (inverted dropout, as flax: kept elements are scaled by 1/(1 − rate)); ignored otherwise.
    ///   - residual: optional value of the shape of `x` added at the end.
    /// - Throws: `GUDError.shapeMismatch` when shapes do not fit, `GUDError.invalidArgument`
    ///   for a rate outside [0, 1) or a non-positive ε.
    public func layerNorm(
        _ x: Variable, scale: Parameter, bias: Parameter, epsilon: Double = 1e-6, shift: Variable? = nil,
        activation: Activation = .identity, dropoutRate: Double = 0, residual: Variable? = nil
    ) throws -> Variable {
        let xe = x.extents
        let c = xe[0]
        guard xe.rank >= 1, c > 0, scale.extents == Extents(c), bias.extents == Extents(c) else {
            throw GUDError.shapeMismatch("layer norm of \(xe) with scale \(scale.extents) and bias \(bias.extents); expected [C, …] with [C] parameters")
        }
        guard epsilon > 0, dropoutRate >= 0, dropoutRate < 1 else {
            throw GUDError.invalidArgument("layer norm needs ε > 0 and a dropout rate in [0, 1), got ε = \(epsilon), rate = \(dropoutRate)")
        }
        let pixels = xe.count / c
        let images = shift?.extents[0] ?? 1
        if let shift {
            guard shift.extents.rank == 2, shift.extents[1] == c, images > 0, pixels % images == 0 else {
                throw GUDError.shapeMismatch("layer norm shift has shape \(shift.extents); expected [N, \(c)] with N dividing the \(pixels) pixels")
            }
        }
        if let residual, residual.extents != xe {
            throw GUDError.shapeMismatch("layer norm residual has shape \(residual.extents); expected \(xe)")
        }
        let dropSource = dropoutRate > 0 ? nextDropoutSource() : nil
        var needs = needsGradient(x, usesParameters: true)
        if let shift, needsGradient(shift) { needs = true }
        if let residual, needsGradient(residual) { needs = true }
        let (y, yp) = makeNode(xe, requiresGradient: needs)
        let (statsHandle, stats) = allocate(2 * pixels)
        let geometry = NormGeometry(channels: c, pixels: pixels, pixelsPerImage: pixels / images, epsilon: epsilon)
        let rate = Scalar(dropoutRate)
        // The dropout mask is drawn into a temporary buffer, and drawn again in the backward pass rather
        // than kept: it is a pure function of the source.
        withDropoutMask(dropSource, rate: rate, count: xe.count) { mask in
            layerNormForward(
                value(x), parameterValue(scale), parameterValue(bias), shift.map { UnsafePointer(value($0)) },
                mask, residual.map { UnsafePointer(value($0)) }, yp, stats, geometry, activation)
        }
        guard needs else {
            release(statsHandle)
            return y
        }
        record(y, auxiliary: [statsHandle]) { tape in
            let dy = tape.outputGradient(y)
            if let residual, let (dr, acc) = tape.gradientForAccumulation(residual) {
                scaleKernel(dy, 1, dr, xe.count, accumulate: acc)
            }
            let dx = tape.gradientForAccumulation(x)
            let dshift = shift.flatMap { tape.gradientForAccumulation($0) }
            let dscale = tape.parameterGradient(scale), dbias = tape.parameterGradient(bias)
            guard dx != nil || dshift != nil || dscale != nil || dbias != nil else { return }
            tape.withDropoutMask(dropSource, rate: rate, count: xe.count) { mask in
                tape.withScratch(layerNormBackwardScratch(geometry, images: images)) { s in
                    layerNormBackward(
                        tape.value(x), tape.parameterValue(scale), tape.parameterValue(bias),
                        shift.map { UnsafePointer(tape.value($0)) }, mask, UnsafePointer(stats), dy,
                        dx?.0, dx?.accumulate ?? false, dscale, dbias, dshift?.0, dshift?.accumulate ?? false,
                        geometry, images: images, activation, scratch: s)
                }
            }
        }
        return y
    }

    /// Calls `body` with the dropout mask of `source` (see ``fillDropoutMask(_:_:rate:source:)``) in a
    /// temporary buffer, or with `nil` when `source` is `nil`.
    func withDropoutMask(_ source: RandomSource?, rate: Scalar, count: Int, _ body: (UnsafePointer<Scalar>?) -> Void) {
        guard let source else {
            body(nil)
            return
        }
        withScratch(count) { m in
            fillDropoutMask(m, count, rate: rate, source: source)
            body(m)
        }
    }
}

/// Sizes of a normalisation over channels: `channels × pixels`, pixels grouped in images.
struct NormGeometry {
    let channels: Int
    let pixels: Int
    let pixelsPerImage: Int
    let epsilon: Double

    /// Pixels per tile: the per-tile scratch (channels × tile) stays in the L1/L2 cache.
    static let tile = 64

    var parts: Int { Work.parts(pixels, grain: 512) }

    /// Calls `body(start, count, image)` for consecutive tiles of `range` that do not cross an image.
    @inline(__always)
    func forEachTile(_ range: Range<Int>, _ body: (Int, Int, Int) -> Void) {
        var p = range.lowerBound
        while p < range.upperBound {
            let image = p / pixelsPerImage
            let end = Swift.min(range.upperBound, p + NormGeometry.tile, (image + 1) * pixelsPerImage)
            body(p, end - p, image)
            p = end
        }
    }
}

/// Forward layer norm with epilogue; writes per-pixel mean and 1/σ into `stats` (`[2, P]`).
@_specialize(where T == Float)
@_specialize(where T == Double)
func layerNormForward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ gamma: UnsafePointer<T>, _ beta: UnsafePointer<T>, _ shift: UnsafePointer<T>?,
    _ mask: UnsafePointer<T>?, _ residual: UnsafePointer<T>?, _ y: UnsafeMutablePointer<T>,
    _ stats: UnsafeMutablePointer<T>, _ g: NormGeometry, _ activation: Activation
) {
    let c = g.channels, np = g.pixels
    let mean = stats, rstd = stats + np
    let invC = 1 / T(c), eps = T(g.epsilon)
    let parts = g.parts
    Work.run(parts) { part in
        g.forEachTile(Work.range(part, of: parts, np)) { p0, len, image in
            // Mean and variance over channels, vectorised over the pixels of the tile.
            var j = 0
            while j < len {
                let m = Swift.min(8, len - j)
                var s = SIMD8<T>()
                for ch in 0..<c { s += loadPartial(x + ch * np + p0 + j, m) }
                let mu = s * invC
                var v = SIMD8<T>()
                for ch in 0..<c {
                    let d = loadPartial(x + ch * np + p0 + j, m) - mu
                    v += d * d
                }
                let r = 1 / (v * invC + eps).squareRoot()
                storePartial(mu, mean + p0 + j, m)
                storePartial(r, rstd + p0 + j, m)
                j += 8
            }
            for ch in 0..<c {
                let gc = gamma[ch]
                let bc = beta[ch] + (shift?[image * c + ch] ?? 0)
                let row = ch * np + p0
                var j = 0
                while j < len {
                    let m = Swift.min(8, len - j)
                    let xh = (loadPartial(x + row + j, m) - loadPartial(mean + p0 + j, m)) * loadPartial(rstd + p0 + j, m)
                    var out = activate(xh * gc + bc, activation).value
                    if let mask { out *= loadPartial(mask + row + j, m) }
                    if let residual { out += loadPartial(residual + row + j, m) }
                    storePartial(out, y + row + j, m)
                    j += 8
                }
            }
        }
    }
}

/// The scratch size of `layerNormBackward`.
func layerNormBackwardScratch(_ g: NormGeometry, images: Int) -> Int {
    g.parts * (g.channels * NormGeometry.tile + 2 * NormGeometry.tile + 2 * g.channels + images * g.channels)
}

/// Backward of ``layerNormForward``: `dx (+)= (1/σ)(g − mean_c g − x̂ · mean_c(g x̂))` with
/// `g = γ · dz`, `dz = dy · m · f′(z)`; `dγ += Σ dz x̂`, `dβ += Σ dz`, `dshift[n] (+)= Σ_{p ∈ n} dz`.
@_specialize(where T == Float)
@_specialize(where T == Double)
func layerNormBackward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ gamma: UnsafePointer<T>, _ beta: UnsafePointer<T>, _ shift: UnsafePointer<T>?,
    _ mask: UnsafePointer<T>?, _ stats: UnsafePointer<T>, _ dy: UnsafePointer<T>,
    _ dx: UnsafeMutablePointer<T>?, _ accumulateX: Bool,
    _ dgamma: UnsafeMutablePointer<T>?, _ dbeta: UnsafeMutablePointer<T>?,
    _ dshift: UnsafeMutablePointer<T>?, _ accumulateShift: Bool,
    _ g: NormGeometry, images: Int, _ activation: Activation, scratch: UnsafeMutablePointer<T>
) {
    let c = g.channels, np = g.pixels, tile = NormGeometry.tile
    let mean = stats, rstd = stats + np
    let invC = 1 / T(c)
    let parts = g.parts
    let partSize = c * tile + 2 * tile + 2 * c + images * c
    Work.run(parts) { part in
        let dz = scratch + part * partSize
        let sumG = dz + c * tile, sumGX = sumG + tile
        let pGamma = sumGX + tile, pBeta = pGamma + c, pShift = pBeta + c
        (pGamma).update(repeating: 0, count: 2 * c + images * c)
        g.forEachTile(Work.range(part, of: parts, np)) { p0, len, image in
            sumG.update(repeating: 0, count: tile)
            sumGX.update(repeating: 0, count: tile)
            // Pass 1: dz per channel, the channel sums, and the parameter partial sums.
            for ch in 0..<c {
                let gc = gamma[ch]
                let bc = beta[ch] + (shift?[image * c + ch] ?? 0)
                let row = ch * np + p0
                var accG = SIMD8<T>(), accB = SIMD8<T>()
                var j = 0
                while j < len {
                    let m = Swift.min(8, len - j)
                    let xh = (loadPartial(x + row + j, m) - loadPartial(mean + p0 + j, m)) * loadPartial(rstd + p0 + j, m)
                    var d = loadPartial(dy + row + j, m) * activate(xh * gc + bc, activation).slope
                    if let mask { d *= loadPartial(mask + row + j, m) }
                    storePartial(d, dz + ch * tile + j, m)
                    store8(load8(sumG + j) + d * gc, sumG + j)
                    store8(load8(sumGX + j) + d * gc * xh, sumGX + j)
                    accG += d * xh
                    accB += d
                    j += 8
                }
                pGamma[ch] += accG.sum()
                let b = accB.sum()
                pBeta[ch] += b
                pShift[image * c + ch] += b
            }
            // Pass 2: the input gradient.
            guard let dx else { return }
            for ch in 0..<c {
                let gc = gamma[ch]
                let row = ch * np + p0
                var j = 0
                while j < len {
                    let m = Swift.min(8, len - j)
                    let r = loadPartial(rstd + p0 + j, m)
                    let xh = (loadPartial(x + row + j, m) - loadPartial(mean + p0 + j, m)) * r
                    var v = r * (load8(dz + ch * tile + j) * gc - load8(sumG + j) * invC - xh * load8(sumGX + j) * invC)
                    if accumulateX { v += loadPartial(dx + row + j, m) }
                    storePartial(v, dx + row + j, m)
                    j += 8
                }
            }
        }
    }
    // Ordered reduction of the partial sums.
    if let dshift, !accumulateShift { dshift.update(repeating: 0, count: images * c) }
    for part in 0..<parts {
        let pGamma = scratch + part * partSize + c * tile + 2 * tile
        if let dgamma { addInPlace(dgamma, pGamma, c) }
        if let dbeta { addInPlace(dbeta, pGamma + c, c) }
        if let dshift { addInPlace(dshift, pGamma + 2 * c, images * c) }
    }
}

/// Fills `mask` with 0 (probability `rate`) or 1/(1 − rate). Element i uses stream `i / 4096` of
/// `source`; each 64-bit draw gives two 32-bit uniforms (elements 2j and 2j + 1 of the block), an element
/// is dropped when its uniform is below `rate · 2³²`. The mask does not depend on the number of threads.
@_specialize(where T == Float)
@_specialize(where T == Double)
func fillDropoutMask<T: TensorScalar>(_ mask: UnsafeMutablePointer<T>, _ n: Int, rate: T, source: RandomSource) {
    let block = 4096
    let blocks = (n + block - 1) / block
    let keep = 1 / (1 - rate)
    let threshold = UInt64((Double(rate) * 4_294_967_296).rounded(.down))
    let parts = Work.parts(blocks, grain: 4)
    Work.run(parts) { part in
        for b in Work.range(part, of: parts, blocks) {
            var stream = source.stream(b)
            var i = b * block
            let end = Swift.min(n, (b + 1) * block)
            while i < end {
                let bits = stream.next()
                mask[i] = bits & 0xFFFF_FFFF < threshold ? 0 : keep
                if i + 1 < end { mask[i + 1] = bits >> 32 < threshold ? 0 : keep }
                i += 2
            }
        }
    }
}
