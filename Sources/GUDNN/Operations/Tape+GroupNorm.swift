extension Tape {
    /// Group normalisation of channel-major images: channels are split into `groups` equal groups and each
    /// (image, group) is normalised over its channels and pixels,
    /// `y[c, n, ·] = γ_c · (x[c, n, ·] − μ_{n,g}) / √(σ²_{n,g} + ε) + β_c`.
    ///
    /// - Parameters:
    ///   - x: `[C, N, H, W]` with `groups` dividing C.
    ///   - groups: the number of groups G ≥ 1.
    ///   - scale: γ, `[C]`.
    ///   - bias: β, `[C]`.
    ///   - epsilon: default 1e-6 (flax's default).
    /// - Throws: `GUDError.shapeMismatch` when shapes do not fit, `GUDError.invalidArgument`
    ///   for a bad group count or ε.
    public func groupNorm(
        _ x: Variable, groups: Int, scale: Parameter, bias: Parameter, epsilon: Double = 1e-6
    ) throws -> Variable {
        let xe = x.extents
        guard xe.rank == 4, scale.extents == Extents(xe[0]), bias.extents == Extents(xe[0]) else {
            throw GUDError.shapeMismatch("group norm of \(xe) with scale \(scale.extents); expected [C, N, H, W] and [C] parameters")
        }
        guard groups > 0, xe[0] % groups == 0, epsilon > 0 else {
            throw GUDError.invalidArgument("group norm needs a group count dividing \(xe[0]) channels and ε > 0, got \(groups), ε = \(epsilon)")
        }
        let g = GroupGeometry(channels: xe[0], images: xe[1], pixels: xe[2] * xe[3], groups: groups, epsilon: epsilon)
        let needs = needsGradient(x, usesParameters: true)
        let (y, yp) = makeNode(xe, requiresGradient: needs)
        let (statsHandle, stats) = allocate(2 * g.images * groups)
        groupNormForward(value(x), parameterValue(scale), parameterValue(bias), yp, stats, g)
        guard needs else {
            release(statsHandle)
            return y
        }
        record(y, auxiliary: [statsHandle]) { tape in
            let dx = tape.gradientForAccumulation(x)
            tape.withScratch(2 * g.channels * g.images) { s in
                groupNormBackward(
                    tape.value(x), tape.parameterValue(scale), UnsafePointer(stats), tape.outputGradient(y),
                    dx?.0, dx?.accumulate ?? false, tape.parameterGradient(scale), tape.parameterGradient(bias), g, scratch: s)
            }
        }
        return y
    }
}

struct GroupGeometry {
    let channels, images, pixels, groups: Int
    let epsilon: Double
    var channelsPerGroup: Int { channels / groups }
}

/// Forward group norm; `stats` receives mean and 1/σ per (image, group).
@_specialize(where T == Float)
@_specialize(where T == Double)
func groupNormForward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ gamma: UnsafePointer<T>, _ beta: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>,
    _ stats: UnsafeMutablePointer<T>, _ g: GroupGeometry
) {
    let plane = g.images * g.pixels, cpg = g.channelsPerGroup
    let pairs = g.images * g.groups
    let count = T(cpg * g.pixels)
    let parts = Work.parts(pairs * cpg * g.pixels, grain: 1 << 15) > 1 ? Swift.min(Work.maxParts, pairs) : 1
    Work.run(parts) { part in
        for pair in Work.range(part, of: parts, pairs) {
            let n = pair / g.groups, gi = pair % g.groups
            var s: T = 0
            for c in (gi * cpg)..<((gi + 1) * cpg) { s += rowSum(x + c * plane + n * g.pixels, g.pixels) }
            let mu = s / count
            var v: T = 0
            for c in (gi * cpg)..<((gi + 1) * cpg) {
                let row = x + c * plane + n * g.pixels
                for i in 0..<g.pixels { v += (row[i] - mu) * (row[i] - mu) }
            }
            let r = 1 / (v / count + T(g.epsilon)).squareRoot()
            stats[2 * pair] = mu
            stats[2 * pair + 1] = r
            for c in (gi * cpg)..<((gi + 1) * cpg) {
                let row = x + c * plane + n * g.pixels, out = y + c * plane + n * g.pixels
                let a = gamma[c] * r, b = beta[c] - gamma[c] * r * mu
                for i in 0..<g.pixels { out[i] = a * row[i] + b }
            }
        }
    }
}

/// Backward group norm: `dx (+)= (1/σ)(g − mean g − x̂ mean(g x̂))` with `g = γ dy` over each
/// (image, group); `dγ += Σ dy x̂`, `dβ += Σ dy`. `scratch` holds `2 · C · N` elements.
@_specialize(where T == Float)
@_specialize(where T == Double)
func groupNormBackward<T: TensorScalar>(
    _ x: UnsafePointer<T>, _ gamma: UnsafePointer<T>, _ stats: UnsafePointer<T>, _ dy: UnsafePointer<T>,
    _ dx: UnsafeMutablePointer<T>?, _ accumulate: Bool, _ dgamma: UnsafeMutablePointer<T>?,
    _ dbeta: UnsafeMutablePointer<T>?, _ g: GroupGeometry, scratch: UnsafeMutablePointer<T>
) {
    let plane = g.images * g.pixels, cpg = g.channelsPerGroup
    let pairs = g.images * g.groups
    let count = T(cpg * g.pixels)
    // Per-(image, channel) partial sums Σ dy x̂ and Σ dy, reduced over images in order below.
    let pg = scratch, pb = scratch + g.channels * g.images
    let parts = Work.parts(pairs * cpg * g.pixels, grain: 1 << 15) > 1 ? Swift.min(Work.maxParts, pairs) : 1
    Work.run(parts) { part in
        for pair in Work.range(part, of: parts, pairs) {
            let n = pair / g.groups, gi = pair % g.groups
            let mu = stats[2 * pair], r = stats[2 * pair + 1]
            var sumG: T = 0, sumGX: T = 0
            for c in (gi * cpg)..<((gi + 1) * cpg) {
                let row = x + c * plane + n * g.pixels, d = dy + c * plane + n * g.pixels
                var sx: T = 0, sd: T = 0
                for i in 0..<g.pixels {
                    let xh = (row[i] - mu) * r
                    sx += d[i] * xh
                    sd += d[i]
                }
                pg[n * g.channels + c] = sx
                pb[n * g.channels + c] = sd
                sumG += gamma[c] * sd
                sumGX += gamma[c] * sx
            }
            guard let dx else { continue }
            for c in (gi * cpg)..<((gi + 1) * cpg) {
                let row = x + c * plane + n * g.pixels, d = dy + c * plane + n * g.pixels
                let out = dx + c * plane + n * g.pixels
                for i in 0..<g.pixels {
                    let xh = (row[i] - mu) * r
                    let v = r * (gamma[c] * d[i] - sumG / count - xh * sumGX / count)
                    out[i] = accumulate ? out[i] + v : v
                }
            }
        }
    }
    for n in 0..<g.images {
        if let dgamma { addInPlace(dgamma, pg + n * g.channels, g.channels) }
        if let dbeta { addInPlace(dbeta, pb + n * g.channels, g.channels) }
    }
}
