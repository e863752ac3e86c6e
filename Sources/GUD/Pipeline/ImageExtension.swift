/// Image extension with a column-wise schedule (the paper's §5.2): generate images wider than the
/// training width by shifting a window along the image and regenerating its right-most columns
/// conditioned on the ones already known.
///
/// The known columns must be the ones the schedule generates first. The direction is read from the
/// schedule (``generationOrder(of:width:height:)``): the column schedule of the specification (labels =
/// column index, offsets growing with the label) generates right to left, so the image grows to the
/// left; a schedule that generates left to right grows it to the right. Each round shifts the window
/// by `shift` columns: its W − shift columns on the side generated first are taken from the canvas
/// (known), the other `shift` are drawn. During
/// the reverse SDE (Euler–Maruyama) the known components are replaced, before every step, by the
/// forward-noised known values α(t) χ̂_known + σ(t) z (the "replacement" method of conditional
/// sampling), and set to the known values exactly at the end. The first window is an ordinary sample.
///
/// Works in the pixel basis (each component is a pixel, so "known columns" are components).
public enum ImageExtension {
    /// Extends `count` images to `targetWidth` columns.
    ///
    /// - Parameters:
    ///   - model: the trained ε-model of width-W images (H, W from `setup`).
    ///   - schedule: a column-wise schedule (either direction).
    ///   - setup: the run's diffusion setup; its space must be the pixel basis.
    ///   - count: the number of images, ≥ 1.
    ///   - targetWidth: ≥ W.
    ///   - shift: new columns per round (1 … W−1; default W/4).
    ///   - source: sample b of round r uses streams derived from (source, round r, b).
    ///   - steps: Euler–Maruyama steps per window (default 100).
    ///   - progress: called after every round with (rounds done, rounds in all).
    /// - Returns: images (count, H·targetWidth, C) in data space.
    /// - Throws: `GUDError.invalidArgument` for a non-pixel space or impossible sizes.
    public static func extend<S: TensorScalar, M: EpsilonModel, Sch: Schedule>(
        model: M, schedule: Sch, setup: DiffusionSetup<S>, count: Int, targetWidth: Int, shift: Int? = nil,
        source: RandomSource, steps: Int = 100, progress: ((Int, Int) -> Void)? = nil
    ) throws -> Tensor<S> where M.Scalar == S, Sch.Scalar == S {
        guard setup.spaceConfiguration.kind == .pixel else {
            throw GUDError.invalidArgument("image extension needs a run in the pixel basis, not \(setup.spaceConfiguration.kind.rawValue)")
        }
        let (h, w, c) = (setup.height, setup.width, setup.channels)
        let k = shift ?? Swift.max(1, w / 4)
        guard targetWidth >= w, k >= 1, k < w, count >= 1, steps >= 1 else {
            throw GUDError.invalidArgument(
                "extension to width \(targetWidth) by \(k) columns per round from width \(w): need targetWidth ≥ \(w), 1 ≤ shift < \(w), count ≥ 1")
        }
        let rounds = (targetWidth - w + k - 1) / k
        // Logical columns run in the order of generation (0 = generated first); `physical` maps a logical
        // column of a width-n image to its place in the image.
        let reversed = try generationOrder(of: schedule, width: w, height: h) == .rightToLeft
        func physical(_ col: Int, _ n: Int) -> Int { reversed ? n - 1 - col : col }
        // The canvas, in data space, (count, H, fullWidth, C) row-major, in logical columns.
        let fullWidth = w + rounds * k
        var canvas = [S](repeating: 0, count: count * h * fullWidth * c)
        for round in 0...rounds {
            let known = round == 0 ? 0 : w - k
            let offset = round * k
            var windowData = Tensor<S>(shape: [count, h * w, c])
            windowData.withUnsafeMutableBufferPointer { dst in
                for b in 0..<count { for r in 0..<h { for col in 0..<known { for ch in 0..<c {
                    dst[((b * h + r) * w + physical(col, w)) * c + ch] = canvas[((b * h + r) * fullWidth + offset + col) * c + ch]
                } } } }
            }
            let window = try sampleWindow(
                model: model, schedule: schedule, setup: setup, known: Set((0..<known).map { physical($0, w) }),
                data: windowData, source: source.derived(UInt64(round)), steps: steps)
            for b in 0..<count { for r in 0..<h { for col in known..<w { for ch in 0..<c {
                canvas[((b * h + r) * fullWidth + offset + col) * c + ch] = window[flat: ((b * h + r) * w + physical(col, w)) * c + ch]
            } } } }
            progress?(round + 1, rounds + 1)
        }
        // Crop to the target width.
        var out = Tensor<S>(shape: [count, h * targetWidth, c])
        out.withUnsafeMutableBufferPointer { dst in
            for b in 0..<count { for r in 0..<h { for col in 0..<targetWidth { for ch in 0..<c {
                dst[((b * h + r) * targetWidth + physical(col, targetWidth)) * c + ch] = canvas[((b * h + r) * fullWidth + col) * c + ch]
            } } } }
        }
        return out
    }

    /// The direction in which a schedule generates the columns of an H×W pixel image.
    public enum Direction: Sendable, Equatable {
        /// The left columns are denoised first in the reverse process.
        case leftToRight
        /// The right columns are denoised first.
        case rightToLeft
    }

    /// Which side a column-wise schedule generates first: the one whose columns have the smaller mean γ
    /// (are cleaner) over t ∈ {0.1, 0.2, …, 0.9}.
    /// - Throws: `GUDError.invalidArgument` when the first and last columns never differ (not a
    ///   column-wise schedule).
    public static func generationOrder<Sch: Schedule>(of schedule: Sch, width w: Int, height h: Int) throws -> Direction {
        var difference = 0.0
        for i in 1...9 {
            let state = schedule(Sch.Scalar(Double(i) / 10))
            let gamma = state.components(of: state.gamma, count: h * w)
            for r in 0..<h { difference += Double(gamma[r * w + w - 1]) - Double(gamma[r * w]) }
        }
        guard difference != 0 else {
            throw GUDError.invalidArgument("the schedule treats the first and last columns alike; image extension needs a column-wise schedule")
        }
        return difference < 0 ? .rightToLeft : .leftToRight
    }

    /// One window: the reverse SDE with the `known` columns replaced by their noised known values.
    static func sampleWindow<S: TensorScalar, M: EpsilonModel, Sch: Schedule>(
        model: M, schedule: Sch, setup: DiffusionSetup<S>, known: Set<Int>, data: Tensor<S>, source: RandomSource, steps: Int
    ) throws -> Tensor<S> where M.Scalar == S, Sch.Scalar == S {
        let space = setup.space
        let (count, w, c) = (data.shape[0], setup.width, setup.channels)
        let x0 = try setup.encode(data)
        let isKnown = (0..<space.dimension).map { known.contains($0 % w) }
        var x = try space.whiteNoise(batch: count, channels: c, source: source.derived("prior"))
        let grid = try TimeGrid.uniform(from: S(1), to: S(0), stepSize: 1 / S(steps))
        let brownian = source.derived("brownian"), replacement = source.derived("replacement")
        var streams = (0..<count).map { brownian.stream($0) }
        var replacementStreams = (0..<count).map { replacement.stream($0) }
        var increment = Tensor<S>(shape: x.shape)
        var z = Tensor<S>(shape: x.shape)
        for i in 0..<(grid.count - 1) {
            let (t, dt) = (grid[i], grid[i + 1] - grid[i])
            let state = schedule(t)
            if !known.isEmpty {
                // Known components: α(t) χ̂_known + σ(t) z.
                try space.drawWhiteNoise(into: &z, streams: &replacementStreams, scale: 1)
                let alpha = state.components(of: state.alpha, count: space.dimension)
                let sigma = state.components(of: state.sigma, count: space.dimension)
                x.withUnsafeMutableBufferPointer { xb in
                    for b in 0..<count { for j in 0..<space.dimension where isKnown[j] { for ch in 0..<c {
                        let idx = (b * space.dimension + j) * c + ch
                        xb[idx] = alpha[j] * x0[flat: idx] + sigma[j] * z[flat: idx]
                    } } }
                }
            }
            let eps = try model.epsilon(x, state: state)
            try space.drawWhiteNoise(into: &increment, streams: &streams, scale: Swift.abs(dt).squareRoot())
            try eulerMaruyamaStep(&x, epsilon: eps, increment: increment, state: state, dt: dt)
        }
        // The known columns exactly.
        x.withUnsafeMutableBufferPointer { xb in
            for b in 0..<count { for j in 0..<space.dimension where isKnown[j] { for ch in 0..<c {
                let idx = (b * space.dimension + j) * c + ch
                xb[idx] = x0[flat: idx]
            } } }
        }
        return try setup.decode(x)
    }
}
