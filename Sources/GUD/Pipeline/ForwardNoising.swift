/// Pictures of the forward (noising) process of real images: the paper's way (its Figure 4) of
/// showing what a basis, prior and schedule do.
public enum ForwardNoising {
    /// The noised images at each time, decoded to data space: result[i][j] is image i at `times[j]`,
    /// shape (1, H·W, C). Image i uses the same noise draw z (from `source.stream(i)`) at every time, so a
    /// row shows one trajectory χ̂_t = α(t) χ̂₀ + σ(t) z of the process.
    public static func rows<S: TensorScalar, Sch: Schedule>(
        images: Tensor<S>, setup: DiffusionSetup<S>, schedule: Sch, times: [S], source: RandomSource
    ) throws -> [[Tensor<S>]] where Sch.Scalar == S {
        guard !times.isEmpty, times.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw GUDError.invalidArgument("noising times must be a non-empty list in [0, 1]")
        }
        let n = images.shape[0]
        let clean = try DataValue(setup.space, compWhite: setup.encode(images))
        var rows = [[Tensor<S>]](repeating: [], count: n)
        for t in times {
            let state = schedule(t)
            // The same per-sample streams at every time: a fresh copy of the source each time.
            let (noised, _) = try ouProcess(clean, state: state, source: source)
            let decoded = try setup.decode(noised.compWhite)
            let per = decoded.count / n
            for i in 0..<n {
                rows[i].append(try Tensor(shape: [1, decoded.shape[1], decoded.shape[2]], scalars: Array(decoded.scalars[(i * per)..<((i + 1) * per)])))
            }
        }
        return rows
    }
}
