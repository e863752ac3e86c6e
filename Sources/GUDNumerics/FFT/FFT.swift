/// Orthonormal n-dimensional FFTs of tensors through FFTW.
///
/// Complex tensors are interleaved: their last axis has length 2 (re, im). All transforms are
/// orthonormal (unitary): `inverse(forward(x)) == x` and Σ|x|² = Σ|X|² (Parseval) to rounding.
public enum FFT {
    /// Transforms a complex tensor laid out as described by `layout`
    /// ((outer, d₀, …, dₖ₋₁, inner) complex numbers, last axis of length 2).
    /// - Throws: ``GUDError/shapeMismatch(_:)`` when the element count or the last axis do not fit.
    public static func transform<S: TensorScalar>(
        _ x: Tensor<S>, layout: FFTLayout, direction: FFTDirection
    ) throws -> Tensor<S> {
        guard x.shape.last == 2, x.count == 2 * layout.complexCount else {
            throw GUDError.shapeMismatch(
                "FFT input has shape \(x.shape); expected interleaved complex data (last axis 2) with \(layout.complexCount) complex numbers for \(layout)")
        }
        let plan: FFTPlan<S> = try FFTPlanner.plan(layout, direction)
        var input = x
        var out = Tensor<S>(shape: x.shape)
        input.withUnsafeMutableBufferPointer { ib in
            out.withUnsafeMutableBufferPointer { ob in
                plan.execute(input: ib.baseAddress!, output: ob.baseAddress!)
            }
        }
        return out
    }

    /// The orthonormal forward FFT over every axis but the last of a complex tensor (d₀, …, dₖ₋₁, 2).
    public static func forward<S: TensorScalar>(_ x: Tensor<S>) throws -> Tensor<S> {
        try transform(x, layout: FFTLayout(spatialShape: try spatialShape(of: x)), direction: .forward)
    }

    /// The orthonormal inverse FFT over every axis but the last of a complex tensor (d₀, …, dₖ₋₁, 2).
    public static func inverse<S: TensorScalar>(_ x: Tensor<S>) throws -> Tensor<S> {
        try transform(x, layout: FFTLayout(spatialShape: try spatialShape(of: x)), direction: .inverse)
    }

    /// The orthonormal forward FFT of a real tensor over all its axes; the result is complex
    /// (shape + [2]) with Hermitian symmetry X₋ₖ = conj(Xₖ).
    public static func forwardReal<S: TensorScalar>(_ x: Tensor<S>) throws -> Tensor<S> {
        try forward(complex(real: x))
    }

    /// A complex tensor (shape + [2]) with the given real part and zero imaginary part.
    public static func complex<S: TensorScalar>(real x: Tensor<S>) -> Tensor<S> {
        var out = Tensor<S>(shape: x.shape + [2])
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[2 * i] = src[i] }
            }
        }
        return out
    }

    /// The real part of a complex tensor (shape without its trailing 2).
    public static func realPart<S: TensorScalar>(_ x: Tensor<S>) throws -> Tensor<S> {
        guard x.shape.last == 2 else {
            throw GUDError.shapeMismatch("realPart needs a complex tensor (last axis 2), got \(x.shape)")
        }
        var out = Tensor<S>(shape: Array(x.shape.dropLast()))
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] = src[2 * i] }
            }
        }
        return out
    }

    private static func spatialShape<S>(of x: Tensor<S>) throws -> [Int] {
        guard x.rank >= 2, x.shape.last == 2 else {
            throw GUDError.shapeMismatch("FFT needs a complex tensor (d₀, …, dₖ₋₁, 2), got shape \(x.shape)")
        }
        return Array(x.shape.dropLast())
    }
}
