import RealModule

extension Tape {
    /// Sinusoidal features of a scalar per sample (the time embedding of diffusion models):
    /// with `half = dimension / 2` and `f_i = exp(−log(10000) · i / (half − 1))`,
    /// `e[n, i] = sin(t_n f_i)` and `e[n, half + i] = cos(t_n f_i)` for i < half (a last zero column
    /// when `dimension` is odd). Computed in `Double`.
    ///
    /// - Parameters:
    ///   - t: `[N]`.
    ///   - dimension: at least 4.
    /// - Returns: `[N, dimension]`.
    /// - Throws: `GUDError.shapeMismatch` / `GUDError.invalidArgument` for a bad shape or dimension.
    public func sinusoidalEmbedding(_ t: Variable, dimension: Int) throws -> Variable {
        guard t.extents.rank == 1 else {
            throw GUDError.shapeMismatch("sinusoidal embedding needs times of shape [N], got \(t.extents)")
        }
        guard dimension >= 4 else {
            throw GUDError.invalidArgument("sinusoidal embedding dimension must be at least 4, got \(dimension)")
        }
        let n = t.extents[0]
        let needs = needsGradient(t)
        let (y, yp) = makeNode(Extents(n, dimension), requiresGradient: needs)
        sinusoidalForward(value(t), yp, n: n, dimension: dimension)
        guard needs else { return y }
        record(y) { tape in
            guard let (dt, acc) = tape.gradientForAccumulation(t) else { return }
            sinusoidalBackward(tape.value(t), tape.outputGradient(y), dt, n: n, dimension: dimension, accumulate: acc)
        }
        return y
    }
}

@inline(__always)
func sinusoidalFrequency(_ i: Int, half: Int) -> Double {
    Double.exp(-Double.log(10000) * Double(i) / Double(half - 1))
}

@_specialize(where T == Float)
@_specialize(where T == Double)
func sinusoidalForward<T: TensorScalar>(_ t: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, n: Int, dimension: Int) {
    let half = dimension / 2
    for s in 0..<n {
        let ts = Double(t[s])
        let row = y + s * dimension
        for i in 0..<half {
            let a = ts * sinusoidalFrequency(i, half: half)
            row[i] = T(Double.sin(a))
            row[half + i] = T(Double.cos(a))
        }
        if dimension % 2 == 1 { row[dimension - 1] = 0 }
    }
}

@_specialize(where T == Float)
@_specialize(where T == Double)
func sinusoidalBackward<T: TensorScalar>(
    _ t: UnsafePointer<T>, _ dy: UnsafePointer<T>, _ dt: UnsafeMutablePointer<T>, n: Int, dimension: Int, accumulate: Bool
) {
    let half = dimension / 2
    for s in 0..<n {
        let ts = Double(t[s])
        let row = dy + s * dimension
        var g = 0.0
        for i in 0..<half {
            let f = sinusoidalFrequency(i, half: half)
            g += f * (Double.cos(ts * f) * Double(row[i]) - Double.sin(ts * f) * Double(row[half + i]))
        }
        dt[s] = accumulate ? dt[s] + T(g) : T(g)
    }
}
