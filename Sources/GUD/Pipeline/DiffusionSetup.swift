/// The diffusion problem a configuration describes, built from the data statistics: the space (basis
/// and prior), the ordering labels, the schedule or schedule family, and the data mean μ that is
/// subtracted before encoding (the diffusion runs on x − μ; decoding adds μ back).
public struct DiffusionSetup<Scalar: TensorScalar>: Sendable {
    /// The basis and prior as configured.
    public let spaceConfiguration: SpaceConfiguration
    /// The schedule as configured.
    public let scheduleConfiguration: ScheduleConfiguration
    /// The basis and prior.
    public let space: any Space<Scalar>
    /// Σᵢ, the variances of the centred data's components in this basis (floored), one per component.
    public let componentVariances: [Scalar]
    /// The ordering labels of a component-wise schedule (nil for scalar schedules).
    public let labels: [Scalar]?
    /// The column labels of the `wavelet-column` schedule.
    public let secondaryLabels: [Scalar]?
    /// μ, shape (1, D, C).
    public let mean: Tensor<Scalar>
    /// H, the image height.
    public let height: Int
    /// W, the image width (D = H·W).
    public let width: Int
    /// C, the channels per pixel.
    public let channels: Int

    /// The space, labels and schedule of a configuration for data with the given statistics: the
    /// component variances Σᵢ of the basis, floored at `varianceFloor` × the largest (clamped, no
    /// error), give the whitening scale √Σᵢ and the variance ordering −log Σᵢ.
    /// - Throws: `GUDError.invalidArgument` for combinations that do not exist (a positional
    ///   ordering in a basis without positions, a wavelet level count the image does not allow, …).
    public init(space spaceConfig: SpaceConfiguration, schedule scheduleConfig: ScheduleConfiguration, statistics: DatasetStatistics) throws {
        try spaceConfig.validate()
        try scheduleConfig.validate()
        spaceConfiguration = spaceConfig
        scheduleConfiguration = scheduleConfig
        height = statistics.height
        width = statistics.width
        channels = statistics.channels
        mean = statistics.mean.converted()
        let d = height * width
        let floor = VarianceFloor<Scalar>.clamp(relative: Scalar(spaceConfig.varianceFloor))
        func floored(_ v: [Double], _ what: String) throws -> [Scalar] { try floor.apply(to: v.map { Scalar($0) }, what: what) }
        var wavelet: WaveletSpace<Scalar>?
        switch spaceConfig.kind {
        case .pixel:
            componentVariances = try floored(statistics.pixelVariances, "pixel variance")
            space = try IdentitySpace(dimension: d, scale: spaceConfig.whitened ? componentVariances.map { $0.squareRoot() } : nil)
        case .pca:
            componentVariances = try floored(statistics.pcaVariances, "PCA eigenvalue")
            space = try LinearSpace(
                components: statistics.pcaComponents.converted(),
                scale: spaceConfig.whitened ? componentVariances.map { $0.squareRoot() } : nil)
        case .fourier:
            componentVariances = try floored(statistics.powerSpectrum, "power-spectrum entry")
            space = try FourierSpace(shape: [height, width], scale: spaceConfig.whitened ? componentVariances.map { $0.squareRoot() } : nil)
        case .haar, .daubechies4:
            let kind: Wavelet = spaceConfig.kind == .haar ? .haar : .daubechies4
            let levels = try spaceConfig.waveletLevels(height: height, width: width)
            guard let v = statistics.waveletVariances[DatasetStatistics.waveletKey(kind, levels: levels)] else {
                throw GUDError.invalidArgument(
                    "no \(spaceConfig.kind.rawValue) statistics for \(levels) levels on \(height)×\(width) images; levels must halve both sides evenly, at most 3")
            }
            componentVariances = try floored(v, "wavelet coefficient variance")
            let w = try WaveletSpace<Scalar>(
                height: height, width: width, levels: levels, wavelet: kind,
                scale: spaceConfig.whitened ? componentVariances.map { $0.squareRoot() } : nil)
            wavelet = w
            space = w
        }
        // Ordering labels.
        let (w, kind) = (width, spaceConfig.kind)
        func positional(_ column: Bool) throws -> [Scalar] {
            if kind == .pixel { return (0..<d).map { Scalar(column ? $0 % w : $0 / w) } }
            if let wavelet { return wavelet.coefficients.map { Scalar(column ? $0.pixelColumn : $0.pixelRow) } }
            throw GUDError.invalidArgument("a \(column ? "column" : "row") ordering needs the pixel or a wavelet basis, not \(kind.rawValue)")
        }
        func levels() throws -> [Scalar] {
            guard let wavelet else { throw GUDError.invalidArgument("ordering by wavelet level needs a wavelet basis, not \(kind.rawValue)") }
            return wavelet.coarseToFineLabels()
        }
        var primary: [Scalar]? = nil, secondary: [Scalar]? = nil
        switch scheduleConfig.kind {
        case .linear, .vp, .cosine:
            break
        case .column, .row:
            primary = try positional(scheduleConfig.kind == .column)
        case .waveletColumn:
            primary = try levels()
            secondary = try positional(true)
        case .softConditioning, .varianceAdjusted:
            switch scheduleConfig.ordering {
            case .variance: primary = componentVariances.map { -Scalar.log($0) }
            case .column, .row: primary = try positional(scheduleConfig.ordering == .column)
            case .level: primary = try levels()
            }
        }
        labels = primary
        secondaryLabels = secondary
        try space.validate(schedule: schedule())
    }

    /// The network's conditioning: the per-component γ vector for a family, the time otherwise.
    public var conditioning: ConditioningKind {
        scheduleConfiguration.isFamily ? .gamma(components: space.dimension) : .time
    }

    /// The schedule with the given softness values (default: the configured ones).
    /// - Throws: `GUDError.invalidArgument` for a softness ≤ 0.
    public func schedule(softness: Double? = nil, secondarySoftness: Double? = nil) throws -> any Schedule<Scalar> {
        let c = scheduleConfiguration
        let s = Scalar(softness ?? c.softness), s2 = Scalar(secondarySoftness ?? c.secondarySoftness)
        let (lo, hi) = (Scalar(c.gammaRange.min), Scalar(c.gammaRange.max))
        switch c.kind {
        case .linear:
            return try LinearSchedule(gammaMin: lo, gammaMax: hi)
        case .vp:
            return try VPSchedule<Scalar>()
        case .cosine:
            return try CosineSchedule<Scalar>()
        case .softConditioning:
            return try softConditioningSchedule(labels: labels!, gammaMinTarget: lo, gammaMaxTarget: hi, softness: s, clip: c.clip)
        case .varianceAdjusted:
            return try varianceAdjustedSchedule(
                variances: componentVariances, gammaMinTarget: lo, gammaMaxTarget: hi, softness: s,
                ordering: c.ordering == .variance ? nil : labels, clip: c.clip)
        case .column, .row:
            return try sequentialSchedule(labels: labels!, softness: s, gammaMin: lo, gammaMax: hi)
        case .waveletColumn:
            return try hierarchicalSchedule(
                primaryLabels: labels!, primarySoftness: s, secondaryLabels: secondaryLabels!, secondarySoftness: s2,
                gammaMinTarget: lo, gammaMaxTarget: hi, clip: c.clip)
        }
    }

    /// The noising state of a training batch: sample b at `times[b]`, and for a family with its own
    /// schedule, a = 1/softness drawn uniformly in the configured range from `source.stream(b)` (the
    /// secondary a from `source.derived("secondary").stream(b)`).
    public func trainingState(times: Tensor<Scalar>, source: RandomSource) throws -> NoisingState<Scalar> {
        let c = scheduleConfiguration
        guard c.isFamily else { return try evaluate(schedule(), times: times) }
        func draw(_ range: [Double]?, _ fixed: Double, _ src: RandomSource, _ b: Int) -> Double {
            guard let r = range else { return fixed }
            var stream = src.stream(b)
            return 1 / (r[0] + (r[1] - r[0]) * stream.nextUniform())
        }
        let secondary = source.derived("secondary")
        let members = try (0..<times.count).map { b in
            try schedule(softness: draw(c.aRange, c.softness, source, b), secondarySoftness: draw(c.secondaryARange, c.secondarySoftness, secondary, b))
        }
        return rowwiseState(times: times, width: space.dimension) { r, gamma, beta in
            members[r].evaluate(at: times[flat: r], gamma: gamma, beta: beta)
        }
    }

    /// A schedule's state at one time per sample (opens the existential).
    private func evaluate<Sch: Schedule>(_ schedule: Sch, times: Tensor<Scalar>) throws -> NoisingState<Scalar> where Sch.Scalar == Scalar {
        try schedule(times: times)
    }

    /// compWhite of the centred images: encode(x − μ). Images (N, D, C).
    public func encode(_ images: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try space.encode(shifted(images, by: -1))
    }

    /// Images from compWhite: decode(x) + μ.
    public func decode(_ x: Tensor<Scalar>) throws -> Tensor<Scalar> {
        try shifted(space.decode(x), by: 1)
    }

    /// x + sign · μ for images (N, D, C).
    public func shifted(_ images: Tensor<Scalar>, by sign: Scalar) throws -> Tensor<Scalar> {
        let per = mean.count
        guard images.rank == 3, images.count % Swift.max(per, 1) == 0, images.shape[1] * images.shape[2] == per else {
            throw GUDError.shapeMismatch("images have shape \(images.shape); expected (batch, \(height * width), \(channels))")
        }
        var out = images
        mean.withUnsafeBufferPointer { mu in
            out.withUnsafeMutableBufferPointer { x in
                for i in 0..<x.count { x[i] += sign * mu[i % per] }
            }
        }
        return out
    }
}
