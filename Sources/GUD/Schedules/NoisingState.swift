/// The noising state of a batch at diffusion time t, parameterised by γ = log(σ²/α²).
///
/// Every component i follows the variance-preserving Ornstein–Uhlenbeck process
/// `χ̂ᵢ(t) = αᵢ(t) χ̂ᵢ(0) + σᵢ(t) εᵢ` in `compWhite`, with
///
///     α² = sigmoid(−γ)    σ² = sigmoid(γ)    SNR = α²/σ² = exp(−γ)    β = σ² · dγ/dt
///
/// (all computed in numerically stable forms; γ = −∞ gives α = 1, σ = 0 and γ = +∞ gives α = 0, σ = 1).
/// The SNR here is the schedule's alone; ``trueSNR(variances:)`` includes the data variance Σᵢ.
///
/// **Shapes.** γ, β, α and σ are tables of shape (rows, width):
/// - rows = 1: one state shared by every sample (a scalar time, as in a sampler step);
///   rows = batch: one state per sample (batched times, or a schedule family with a parameter per sample);
/// - width = 1: a scalar schedule (one γ for every component); width = D: a component-wise schedule.
///
/// `t` has one entry per row. Coefficients are real and broadcast over every axis after the
/// component axis of the data (channels, and re/im of complex values).
public struct NoisingState<Scalar: TensorScalar>: Sendable {
    /// Diffusion times, shape (rows).
    public private(set) var t: Tensor<Scalar>
    /// γ = log(σ²/α²), the negative log SNR of the process, shape (rows, width).
    public private(set) var gamma: Tensor<Scalar>
    /// β = σ² · dγ/dt, the instantaneous noising rate, shape (rows, width). 0 where a component is frozen.
    public private(set) var beta: Tensor<Scalar>
    /// α = √sigmoid(−γ), shape (rows, width).
    public private(set) var alpha: Tensor<Scalar>
    /// σ = √sigmoid(γ), shape (rows, width).
    public private(set) var sigma: Tensor<Scalar>

    /// Creates a state from times, γ and β.
    ///
    /// - Parameters:
    ///   - t: shape (rows).
    ///   - gamma: shape (rows, width); ±∞ is allowed (clean data, pure noise).
    ///   - beta: shape (rows, width), the same as `gamma`.
    /// - Throws: `GUDError.shapeMismatch` when the shapes disagree, `GUDError.nonFinite`
    ///   when t is not finite or γ or β holds NaN.
    public init(t: Tensor<Scalar>, gamma: Tensor<Scalar>, beta: Tensor<Scalar>) throws {
        guard gamma.rank == 2, gamma.shape[0] > 0, gamma.shape[1] > 0 else {
            throw GUDError.shapeMismatch("γ has shape \(gamma.shape); expected (rows, width) with rows, width ≥ 1")
        }
        try beta.checkShape(gamma.shape, "β")
        try t.checkShape([gamma.shape[0]], "t")
        try t.checkFinite("t")
        if let i = gamma.scalars.firstIndex(where: \.isNaN) {
            throw GUDError.nonFinite("γ is NaN at flat index \(i); expected a number (±∞ allowed)")
        }
        if let i = beta.scalars.firstIndex(where: \.isNaN) {
            throw GUDError.nonFinite("β is NaN at flat index \(i); expected a number")
        }
        self.init(unchecked: t, gamma: gamma, beta: beta)
    }

    /// A state shared by every sample with one γ and β for every component.
    public init(t: Scalar, gamma: Scalar, beta: Scalar) throws {
        try self.init(t: Tensor([t]), gamma: Tensor(shape: [1, 1], repeating: gamma),
                      beta: Tensor(shape: [1, 1], repeating: beta))
    }

    /// Creates a state without validation (schedules produce consistent shapes).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    init(unchecked t: Tensor<Scalar>, gamma: Tensor<Scalar>, beta: Tensor<Scalar>) {
        self.t = t
        self.gamma = gamma
        self.beta = beta
        self.alpha = gamma.map { StableMath.sigmoid(-$0).squareRoot() }
        self.sigma = gamma.map { StableMath.sigmoid($0).squareRoot() }
    }

    /// Rewrites a one-row state in place at time `t`: `fill` writes γ and β (``width`` values each),
    /// then α and σ follow from γ as in ``init(unchecked:gamma:beta:)``. Reuses the storage, so
    /// nothing is allocated when it is not shared.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    mutating func overwrite(
        t time: Scalar, _ fill: (UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>) -> Void
    ) {
        precondition(rows == 1, "overwrite(t:_:) rewrites a state shared by the batch (one row)")
        t[flat: 0] = time
        gamma.withUnsafeMutableBufferPointer { g in
            beta.withUnsafeMutableBufferPointer { b in fill(g, b) }
        }
        gamma.withUnsafeBufferPointer { g in
            alpha.withUnsafeMutableBufferPointer { a in
                sigma.withUnsafeMutableBufferPointer { s in
                    for i in 0..<g.count {
                        a[i] = StableMath.sigmoid(-g[i]).squareRoot()
                        s[i] = StableMath.sigmoid(g[i]).squareRoot()
                    }
                }
            }
        }
    }

    /// The number of rows: 1 for a state shared by the batch, otherwise the batch size.
    public var rows: Int { gamma.shape[0] }
    /// The number of coefficients per row: 1 for a scalar schedule, D for a component-wise one.
    public var width: Int { gamma.shape[1] }
    /// Whether one state serves every sample of a batch.
    public var isShared: Bool { rows == 1 }

    /// α² = sigmoid(−γ), the signal retention.
    public var alphaSquared: Tensor<Scalar> { gamma.map { StableMath.sigmoid(-$0) } }
    /// σ² = sigmoid(γ), the noise variance.
    public var sigmaSquared: Tensor<Scalar> { gamma.map { StableMath.sigmoid($0) } }
    /// The schedule's signal-to-noise ratio α²/σ² = exp(−γ), without the data variance.
    public var snr: Tensor<Scalar> { gamma.map { Scalar.exp(-$0) } }
    /// log SNR = −γ.
    public var logSNR: Tensor<Scalar> { -gamma }

    /// The true SNR of every component, Σᵢ · exp(−γᵢ), given the data variances Σᵢ in the diffusion
    /// coordinates (`compWhite`; Σᵢ = 1 for a whitened space).
    ///
    /// - Parameter variances: D values; the result has shape (rows, D) (a scalar state is broadcast).
    /// - Throws: `GUDError.shapeMismatch` when the state is component-wise with a width other than D.
    public func trueSNR(variances: [Scalar]) throws -> Tensor<Scalar> {
        let d = variances.count
        guard width == 1 || width == d else {
            throw GUDError.shapeMismatch("trueSNR: the state has \(width) components but \(d) variances were given")
        }
        let values = (0..<rows).flatMap { r in
            zip(variances, components(of: gamma, row: r, count: d)).map { $0 * Scalar.exp(-$1) }
        }
        return try Tensor(shape: [rows, d], scalars: values)
    }

    /// Row `row` of one of this state's (rows, width) tables, broadcast to `count` components.
    func components(of table: Tensor<Scalar>, row: Int = 0, count: Int) -> [Scalar] {
        (0..<count).map { table[flat: row * width + (width == 1 ? 0 : $0)] }
    }

    /// γ expanded to one row per sample and one column per component, shape (batch, components):
    /// the conditioning input of a network that serves a whole schedule family.
    /// - Throws: `GUDError.shapeMismatch` when the state does not broadcast to that shape.
    public func gammaPerSample(batch: Int, components: Int) throws -> Tensor<Scalar> {
        var out = Tensor<Scalar>(shape: [batch, components])
        try writeGammaPerSample(into: &out)
        return out
    }

    /// The time of every sample, shape (batch).
    /// - Throws: `GUDError.shapeMismatch` when the state has neither 1 nor `batch` rows.
    public func timesPerSample(batch: Int) throws -> Tensor<Scalar> {
        var out = Tensor<Scalar>(shape: [batch])
        try writeTimesPerSample(into: &out)
        return out
    }

    /// ``gammaPerSample(batch:components:)`` written into `out`, shape (batch, components); nothing
    /// is allocated when `out`'s storage is not shared.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func writeGammaPerSample(into out: inout Tensor<Scalar>) throws {
        guard out.rank == 2 else {
            throw GUDError.shapeMismatch("γ per sample goes into shape \(out.shape); expected (batch, components)")
        }
        let layout = try ComponentLayout(shape: out.shape, what: "the target")
        let indexer = try CoefficientIndexer(rows: rows, width: width, layout: layout, what: "the state")
        gamma.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                indexer.forEachBlock(layout) { c, o in dst[o] = src[c] }
            }
        }
    }

    /// ``timesPerSample(batch:)`` written into `out`, shape (batch); nothing is allocated when
    /// `out`'s storage is not shared.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func writeTimesPerSample(into out: inout Tensor<Scalar>) throws {
        let batch = out.count
        guard out.rank == 1, rows == 1 || rows == batch else {
            throw GUDError.shapeMismatch("the state has \(rows) rows for times of shape \(out.shape); expected 1 or the batch size \(batch) rows")
        }
        t.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for b in 0..<batch { dst[b] = src[rows == 1 ? 0 : b] }
            }
        }
    }

    /// The indexer that broadcasts this state's coefficients over data laid out as `layout`.
    func indexer(for layout: ComponentLayout) throws -> CoefficientIndexer {
        try CoefficientIndexer(rows: rows, width: width, layout: layout, what: "the noising state")
    }

    /// The rows of `range` (a shared state is returned unchanged).
    func rowsSlice(_ range: Range<Int>) throws -> NoisingState {
        guard rows > 1 else { return self }
        guard range.lowerBound >= 0, range.upperBound <= rows else {
            throw GUDError.shapeMismatch("rows \(range) of a state with \(rows) rows")
        }
        let w = width
        let g = try Tensor(shape: [range.count, w], scalars: Array(gamma.scalars[(range.lowerBound * w)..<(range.upperBound * w)]))
        let b = try Tensor(shape: [range.count, w], scalars: Array(beta.scalars[(range.lowerBound * w)..<(range.upperBound * w)]))
        return NoisingState(unchecked: Tensor(Array(t.scalars[range])), gamma: g, beta: b)
    }

    /// The state with every row repeated `count` times in place (rows r, r, …, r+1, …); a shared
    /// state is returned unchanged.
    func repeatingRows(_ count: Int) -> NoisingState {
        guard rows > 1, count > 1 else { return self }
        func rep(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
            let w = x.count / rows
            var out = Tensor<Scalar>(shape: [rows * count] + Array(x.shape.dropFirst()))
            for r in 0..<rows {
                for k in 0..<count {
                    for j in 0..<w { out[flat: (r * count + k) * w + j] = x[flat: r * w + j] }
                }
            }
            return out
        }
        return NoisingState(unchecked: rep(t), gamma: rep(gamma), beta: rep(beta))
    }
}
