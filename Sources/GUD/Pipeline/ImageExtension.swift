/// Image extension with a column-wise schedule (the paper's §5.2): generate images wider than the
/// training width by shifting a window along the image and regenerating its right-most columns
/// conditioned on the ones already known.
///
/// With a schedule that generates columns left to right (labels = column index), the left part of a
/// window is denoised early in the reverse process. Each round shifts the window by `shift` columns:
/// its first W − shift columns are taken from the canvas (known), the last `shift` are drawn. During
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
    ///   - schedule: a column-wise schedule (columns generated left to right).
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
        // The canvas, in data space, (count, H, fullWidth, C) row-major.
        let fullWidth = w + rounds * k
        var canvas = [S](repeating: 0, count: count * h * fullWidth * c)
        func copyWindow(_ window: Tensor<S>, toColumn offset: Int, fromColumn first: Int) {
            for b in 0..<count { for r in 0..<h { for col in first..<w { for ch in 0..<c {
                canvas[((b * h + r) * fullWidth + offset + col) * c + ch] = window[flat: ((b * h + r) * w + col) * c + ch]
            } } } }
        }
        for round in 0...rounds {
            let known = round == 0 ? 0 : w - k
            var windowData = Tensor<S>(shape: [count, h * w, c])
            if known > 0 {
                let offset = round * k
                windowData.withUnsafeMutableBufferPointer { dst in
                    for b in 0..<count { for r in 0..<h { for col in 0..<known { for ch in 0..<c {
                        dst[((b * h + r) * w + col) * c + ch] = canvas[((b * h + r) * fullWidth + offset + col) * c + ch]
                    } } } }
                }
            }
            let window = try sampleWindow(
                model: model, schedule: schedule, setup: setup, known: known, data: windowData,
                source: source.derived(UInt64(round)), steps: steps)
            copyWindow(window, toColumn: round * k, fromColumn: known)
            progress?(round + 1, rounds + 1)
        }
        // Crop to the target width.
        var out = Tensor<S>(shape: [count, h * targetWidth, c])
        out.withUnsafeMutableBufferPointer { dst in
            for b in 0..<count { for r in 0..<h { for col in 0..<targetWidth { for ch in 0..<c {
                dst[((b * h + r) * targetWidth + col) * c + ch] = canvas[((b * h + r) * fullWidth + col) * c + ch]
            } } } }
        }
        return out
    }

    /// One window: the reverse SDE with the first `known` columns replaced by their noised known values.
    static func sampleWindow<S: TensorScalar, M: EpsilonModel, Sch: Schedule>(
        model: M, schedule: Sch, setup: DiffusionSetup<S>, known: Int, data: Tensor<S>, source: RandomSource, steps: Int
    ) throws -> Tensor<S> where M.Scalar == S, Sch.Scalar == S {
        let space = setup.space
        let (count, w, c) = (data.shape[0], setup.width, setup.channels)
        let x0 = try setup.encode(data)
        let isKnown = (0..<space.dimension).map { $0 % w < known }
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
            if known > 0 {
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
