import GUDNN
import Testing

/// Bilinear ×2 upsampling against values computed with numpy by `scripts/reference/bilinear_resize.py`,
/// which re-implements `jax.image.resize(method: "bilinear")` (and cross-checks it against scipy).
@Suite struct ResizeReferenceTests {
    static let input: [[Double]] = [[1.0, -2.0, 3.5, 0.25], [4.0, 0.5, -1.0, 2.0], [-3.0, 1.5, 2.5, -0.75]]
    static let expected: [[Double]] = [
        [1.0, 0.25, -1.25, -0.625, 2.125, 2.6875, 1.0625, 0.25],
        [1.75, 0.96875, -0.59375, -0.4375, 1.4375, 1.953125, 1.109375, 0.6875],
        [3.25, 2.40625, 0.71875, -0.0625, 0.0625, 0.484375, 1.203125, 1.5625],
        [2.25, 1.875, 1.125, 0.53125, 0.09375, 0.234375, 0.953125, 1.3125],
        [-1.25, -0.625, 0.625, 1.34375, 1.53125, 1.203125, 0.359375, -0.0625],
        [-3.0, -1.875, 0.375, 1.75, 2.25, 1.6875, 0.0625, -0.75],
    ]

    @Test func matchesJAXSemantics() throws {
        let tape = Tape<Double>(parameters: ParameterStore())
        tape.begin(recording: false)
        defer { tape.end() }
        let x = try tape.input(Tensor(shape: [1, 1, 3, 4], scalars: Self.input.flatMap { $0 }))
        let y = tape.tensor(try tape.upsampleBilinear2x(x))
        #expect(y.shape == [1, 1, 6, 8])
        #expect(y.scalars == Self.expected.flatMap { $0 })
    }
}
