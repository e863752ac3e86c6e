@testable import GUD

/// One space of every kind, with a whitening scale (symmetric under k → −k for the Fourier ones).
enum TestSpaces {
    static func all<S: TensorScalar>(_: S.Type) throws -> [(name: String, space: any Space<S>)] {
        let source = RandomSource(seed: 21)
        func scale(_ n: Int, _ label: String) -> [S] {
            var stream = source.derived(label).stream(0)
            return (0..<n).map { _ in S(0.5 + stream.nextUniform()) }
        }
        func symmetric(_ shape: [Int]) -> [S] {
            let raw = scale(shape.reduce(1, *), "fourier\(shape)")
            let mirror = FourierSpace<S>.conjugateIndices(shape)
            return raw.indices.map { (raw[$0] + raw[mirror[$0]]) / 2 }
        }
        let g: Tensor<S> = source.derived("covariance").gaussian(shape: [12, 12])
        let covariance = try Tensor.matmul(g, g, transposeB: true) / 12 + Tensor.identity(12) * S(0.1)
        return [
            ("identity", try IdentitySpace(dimension: 12, scale: scale(12, "identity"))),
            ("linear", try LinearSpace(covariance: covariance)),
            ("fourier-1d", try FourierSpace(shape: [12], scale: symmetric([12]))),
            ("fourier-2d", try FourierSpace(shape: [3, 4], scale: symmetric([3, 4]))),
            ("fourier-3d", try FourierSpace(shape: [2, 3, 2], scale: symmetric([2, 3, 2]))),
            ("haar", try WaveletSpace(height: 4, width: 8, levels: 2, scale: scale(32, "haar"))),
            ("daubechies4", try WaveletSpace(height: 8, width: 4, levels: 2, wavelet: .daubechies4, scale: scale(32, "d4"))),
        ]
    }

    /// Relative tolerance for results of a few roundings in precision S.
    static func tolerance<S: TensorScalar>(_: S.Type) -> S { S.self == Float.self ? 2e-5 : 1e-12 }
}
