import Foundation
import Testing
@testable import GUD

@Suite("Spaces")
struct SpaceTests {
    // MARK: Round trips, orthonormality, covectors, noise

    /// encode/decode, the orthonormal transform, whitening and every lazy conversion return to the
    /// original values to rounding, in every space.
    @Test(arguments: Precision.allCases)
    func roundTrips(_ precision: Precision) throws {
        switch precision {
        case .float32: try checkRoundTrips(Float.self)
        case .float64: try checkRoundTrips(Double.self)
        }
    }

    private func checkRoundTrips<S: TensorScalar>(_: S.Type) throws {
        let tol = TestSpaces.tolerance(S.self)
        for (name, space) in try TestSpaces.all(S.self) {
            let x: Tensor<S> = RandomSource(seed: 1).gaussian(shape: [3, space.dimension, 2])
            #expect(try space.decode(space.encode(x)).maxAbsDifference(x) <= tol * 10, "\(name): decode ∘ encode")
            #expect(try space.fromComponentSpace(space.toComponentSpace(x)).maxAbsDifference(x) <= tol * 10, "\(name): U† U")
            let c = try space.toComponentSpace(x)
            #expect(try space.unwhiten(space.whiten(c)).maxAbsDifference(c) <= tol * 10, "\(name): S S⁻¹")
            for r in Representation.allCases {
                let data = try DataValue(space, r, DataValue(space, data: x).value(in: r))
                #expect(try data.data.maxAbsDifference(x) <= tol * 20, "\(name): data via \(r)")
                let score = try ScoreValue(space, r, ScoreValue(space, data: x).value(in: r))
                #expect(try score.data.maxAbsDifference(x) <= tol * 20, "\(name): score via \(r)")
            }
        }
    }

    /// U preserves inner products: ⟨U x, U y⟩ = ⟨x, y⟩ (the real part, for complex components).
    @Test func transformsAreOrthonormal() throws {
        for (name, space) in try TestSpaces.all(Double.self) {
            let source = RandomSource(seed: 2)
            let x: Tensor<Double> = source.gaussian(shape: [2, space.dimension, 3])
            let y: Tensor<Double> = source.gaussian(shape: [2, space.dimension, 3], firstSample: 2)
            let inner = try (x * y).sum()
            let transformed = try (space.toComponentSpace(x) * space.toComponentSpace(y)).sum()
            #expect(abs(inner - transformed) <= 1e-12 * Double(x.count), "\(name): ⟨Ux, Uy⟩ = \(transformed), ⟨x, y⟩ = \(inner)")
            #expect(abs(try space.toComponentSpace(x).sumOfSquares() - x.sumOfSquares()) <= 1e-10, "\(name): norm")
        }
    }

    /// A score (covector) paired with a vector gives the same number in every representation:
    /// Σ s·v in data = Σ Re(s̄ v) in comp and compWhite = Σ s·v in dataWhite.
    @Test func scoresTransformAsCovectors() throws {
        for (name, space) in try TestSpaces.all(Double.self) {
            let source = RandomSource(seed: 3)
            let score = try ScoreValue(space, data: source.gaussian(shape: [2, space.dimension, 1]))
            let vector = try DataValue(space, data: source.gaussian(shape: [2, space.dimension, 1], firstSample: 2))
            let reference = try (score.data * vector.data).sum()
            for r in Representation.allCases {
                let pairing = try (score.value(in: r) * vector.value(in: r)).sum()
                #expect(abs(pairing - reference) <= 1e-10 * max(1, abs(reference)), "\(name): pairing in \(r) = \(pairing), in data \(reference)")
            }
            // The whitening differs: with S ≠ I the covector rule is not the vector rule.
            let asVector = try DataValue(space, data: score.data)
            #expect(try asVector.compWhite.maxAbsDifference(score.compWhite) > 1e-3, "\(name): scores must not whiten like data")
        }
    }

    /// White noise passed through the noise transform is white: covariance I in dataWhite, and
    /// E[z z†] = I in compWhite (complex components for the FFT, with Var Re = Var Im = ½ except
    /// at self-conjugate frequencies).
    @Test func whiteNoiseStaysWhite() throws {
        let count = 3000
        let limit = 5 * (2.0 / Double(count)).squareRoot()
        for (name, space) in try TestSpaces.all(Double.self) {
            let z = try space.whiteNoise(batch: count, channels: 1, source: RandomSource(seed: 4))
            let d = space.dimension
            let white = try space.fromComponentSpace(z).reshaped([count, d])
            let covariance = try Tensor.matmul(white, white, transposeA: true) / Double(count)
            let deviation = try covariance.zipMap(Tensor.identity(d)) { abs($0 - $1) }.max()
            #expect(deviation < limit, "\(name): dataWhite covariance deviates from I by \(deviation)")
            // The complex covariance Σ z_k conj(z_l)/N in compWhite: (ReᵀRe + ImᵀIm) + i (ImᵀRe − ReᵀIm).
            let parts = z.scalars
            let stride = space.isComplex ? 2 : 1
            let re = try Tensor(shape: [count, d], scalars: (0..<(count * d)).map { parts[$0 * stride] })
            let im = try Tensor(shape: [count, d], scalars: (0..<(count * d)).map { space.isComplex ? parts[$0 * 2 + 1] : 0 })
            let real = try (Tensor.matmul(re, re, transposeA: true) + Tensor.matmul(im, im, transposeA: true)) / Double(count)
            let imaginary = try (Tensor.matmul(im, re, transposeA: true) - Tensor.matmul(re, im, transposeA: true)) / Double(count)
            let worst = max(try real.zipMap(Tensor.identity(d)) { abs($0 - $1) }.max(), imaginary.map(abs).max())
            #expect(worst < limit, "\(name): compWhite covariance deviates from I by \(worst)")
        }
    }

    /// The `into:` transforms give the allocating transforms' values exactly, in every space, and
    /// reject an output buffer of the wrong shape.
    @Test func intoTransformsMatchTheAllocatingOnes() throws {
        for (name, space) in try TestSpaces.all(Double.self) {
            let x: Tensor<Double> = RandomSource(seed: 6).gaussian(shape: [3, space.dimension, 2])
            let c = try space.toComponentSpace(x)
            var cOut = Tensor<Double>(shape: c.shape), xOut = Tensor<Double>(shape: x.shape)
            try space.toComponentSpace(x, into: &cOut)
            try space.fromComponentSpace(c, into: &xOut)
            #expect(cOut == c, "\(name): toComponentSpace(_:into:)")
            #expect(try xOut == space.fromComponentSpace(c), "\(name): fromComponentSpace(_:into:)")
            var wrong = Tensor<Double>(shape: [3, space.dimension, 1])
            #expect(throws: GUDError.self, "\(name)") { try space.toComponentSpace(x, into: &wrong) }
            #expect(throws: GUDError.self, "\(name)") { try space.fromComponentSpace(c, into: &wrong) }
        }
    }

    /// The Fourier space's `into:` transforms and noise write into the given storage, and its noise
    /// is the transform of the real draws the default implementation makes from the same streams.
    @Test func fourierIntoTransformsReuseTheirOutput() throws {
        let space = try FourierSpace<Float>(shape: [4, 6])
        let x: Tensor<Float> = RandomSource(seed: 7).gaussian(shape: [5, 24, 1])
        var c = Tensor<Float>(shape: [5, 24, 1, 2]), y = Tensor<Float>(shape: [5, 24, 1])
        let (cAddress, yAddress) = (c.withUnsafeBufferPointer { $0.baseAddress }, y.withUnsafeBufferPointer { $0.baseAddress })
        for _ in 0..<3 {
            try space.toComponentSpace(x, into: &c)
            try space.fromComponentSpace(c, into: &y)
        }
        #expect(c.withUnsafeBufferPointer { $0.baseAddress } == cAddress)
        #expect(y.withUnsafeBufferPointer { $0.baseAddress } == yAddress)
        #expect(try y.maxAbsDifference(x) < 1e-5)

        let source = RandomSource(seed: 8)
        var streams = (0..<5).map { source.stream($0) }, realStreams = streams
        var noise = Tensor<Float>(shape: [5, 24, 1, 2]), real = Tensor<Float>(shape: [5, 24, 1])
        try space.drawWhiteNoise(into: &noise, streams: &streams, scale: 0.5)
        try IdentitySpace<Float>(dimension: 24).drawWhiteNoise(into: &real, streams: &realStreams, scale: 0.5)
        #expect(try noise == space.toComponentSpace(real))
    }

    // MARK: Fitted spaces and determinants

    /// Each space fitted to data whitens it: the centred data has unit variance in every whitened
    /// component (and, for PCA, identity covariance).
    @Test func fittedSpacesWhitenTheirData() throws {
        let source = RandomSource(seed: 5)
        let g: Tensor<Double> = source.gaussian(shape: [16, 16])
        let base: Tensor<Double> = source.derived("z").gaussian(shape: [400, 16])
        let data = try (Tensor.matmul(base, g) + 0.3).reshaped([400, 16, 1])
        let spaces: [(String, any Space<Double>)] = [
            ("identity", try IdentitySpace(data: data)),
            ("linear", try LinearSpace(data: data)),
            ("fourier", try FourierSpace(shape: [4, 4], data: data)),
            ("haar", try WaveletSpace(height: 4, width: 4, levels: 2, data: data)),
            ("daubechies4", try WaveletSpace(height: 4, width: 4, levels: 1, wavelet: .daubechies4, data: data)),
        ]
        let centred = try subtractingBatchMean(data)
        for (name, space) in spaces {
            var sums = [Double](repeating: 0, count: 16)
            try accumulateSquares(space.encode(centred), into: &sums)
            let variances = sums.map { $0 / 400 }
            #expect(variances.allSatisfy { abs($0 - 1) < 1e-9 }, "\(name): whitened variances \(variances)")
        }
        // PCA: the whitened covariance is the identity and the variances are the covariance's eigenvalues.
        let pca = try LinearSpace(data: data)
        let rows = try pca.encode(centred).reshaped([400, 16])
        let covariance = try Tensor.matmul(rows, rows, transposeA: true) / 400
        #expect(try covariance.maxAbsDifference(Tensor.identity(16)) < 1e-9)
        let direct = try Tensor.matmul(centred.reshaped([400, 16]), centred.reshaped([400, 16]), transposeA: true) / 400
        let eigenvalues = try SymmetricEigendecomposition(direct).values.scalars
        #expect(zip(pca.variances ?? [], eigenvalues).allSatisfy { abs($0 - $1) < 1e-9 * max(1, $1) })
    }

    /// Statistics fitted in chunks of samples (more than 1024 samples, several channels) equal the
    /// direct formulas: per-component variances and the covariance pooled over channels.
    @Test func fittingInChunks() throws {
        let (n, d, c) = (2500, 4, 2)
        let data = try (RandomSource(seed: 8).gaussian(shape: [n, d, c]) as Tensor<Double>).map { 3 * $0 } + 1
        var mean = [Double](repeating: 0, count: d * c)
        for b in 0..<n { for j in 0..<(d * c) { mean[j] += data[flat: b * d * c + j] / Double(n) } }
        var covariance = Tensor<Double>(shape: [d, d])
        for b in 0..<n {
            for ch in 0..<c {
                for i in 0..<d {
                    for j in 0..<d {
                        let u = data[b, i, ch] - mean[i * c + ch], v = data[b, j, ch] - mean[j * c + ch]
                        covariance[i, j] += u * v / Double(n * c)
                    }
                }
            }
        }
        let variances = try IdentitySpace<Double>(dimension: d).componentVariances(of: data)
        #expect((0..<d).allSatisfy { abs(variances[$0] - covariance[$0, $0]) < 1e-10 })
        #expect(try sampleCovariance(data).maxAbsDifference(covariance) < 1e-10)
    }

    /// Variances below the floor: rejected by default with a clear error, or clamped.
    @Test func varianceFloor() throws {
        var data: Tensor<Double> = RandomSource(seed: 6).gaussian(shape: [50, 4, 1])
        for b in 0..<50 { data[b, 2, 0] = 1 }  // a constant pixel
        #expect(throws: GUDError.self) { try IdentitySpace(data: data) }
        #expect(throws: GUDError.self) { try LinearSpace(data: data) }
        let clamped = try IdentitySpace(data: data, floor: .clamp(relative: 1e-4))
        let scale = try #require(clamped.scale)
        #expect(scale[2] > 0 && abs(scale[2] * scale[2] - 1e-4 * scale.map { $0 * $0 }.max()!) < 1e-12)
        let pca = try LinearSpace(data: data, floor: .clamp(relative: 1e-6))
        #expect((pca.variances ?? []).allSatisfy { $0 > 0 })
    }

    /// log|det M| = −C Σ log Sᵢ equals the determinant of the data → dataWhite map computed from
    /// its matrix (½ Σ log eig(MᵀM)).
    @Test func logAbsDeterminant() throws {
        for (name, space) in try TestSpaces.all(Double.self) {
            let d = space.dimension
            let basis = try Tensor<Double>.identity(d).reshaped([d, d, 1])
            let m = try DataValue(space, data: basis).dataWhite.reshaped([d, d])
            let eigenvalues = try SymmetricEigendecomposition(Tensor.matmul(m, m, transposeB: true)).values.scalars
            let direct = eigenvalues.reduce(0) { $0 + log($1) } / 2
            #expect(abs(space.logAbsDeterminant(channels: 1) - direct) < 1e-9, "\(name)")
            #expect(abs(space.logAbsDeterminant(channels: 3) - 3 * direct) < 1e-9, "\(name), 3 channels")
        }
    }

    // MARK: Fourier

    @Test func fourierMirrorIndices() throws {
        let mirror = FourierSpace<Double>.conjugateIndices([3, 5])
        for r in 0..<3 {
            for c in 0..<5 { #expect(mirror[r * 5 + c] == ((3 - r) % 3) * 5 + (5 - c) % 5) }
        }
        // The transform of real data is Hermitian: X₋ₖ = conj(Xₖ).
        let space = try FourierSpace<Double>(shape: [3, 5])
        let x = try space.toComponentSpace(RandomSource(seed: 7).gaussian(shape: [1, 15, 1]))
        for k in 0..<15 {
            #expect(abs(x[0, k, 0, 0] - x[0, mirror[k], 0, 0]) < 1e-12 && abs(x[0, k, 0, 1] + x[0, mirror[k], 0, 1]) < 1e-12)
        }
    }

    @Test func fourierRequiresSymmetry() throws {
        var scale = [Double](repeating: 1, count: 16)
        scale[1] = 2  // frequency (0, 1) without its mirror (0, 3)
        #expect(throws: GUDError.self) { try FourierSpace(shape: [4, 4], scale: scale) }
        let unchecked = try FourierSpace(shape: [4, 4], scale: scale, checkSymmetry: false)
        #expect(unchecked.scale?[1] == 2)

        let space = try FourierSpace<Double>(shape: [4, 4])
        var labels = (0..<16).map { Double($0) }
        #expect(throws: GUDError.self) { try space.validate(schedule: softConditioningSchedule(labels: labels)) }
        labels = (0..<16).map { Double(min($0, space.conjugateIndex[$0])) }
        try space.validate(schedule: softConditioningSchedule(labels: labels))
        try space.validate(schedule: LinearSchedule<Double>())
        #expect(throws: GUDError.self) { try space.validate(schedule: softConditioningSchedule(labels: [1.0, 2, 3])) }
    }

    // MARK: Wavelets

    @Test func haarMatchesItsFormula() throws {
        let space = try WaveletSpace<Double>(height: 2, width: 2, levels: 1)
        let (a, b, c, d) = (1.0, 2.0, 4.0, 8.0)
        let w = try space.toComponentSpace(Tensor(shape: [1, 4, 1], scalars: [a, b, c, d]))
        let expected = [(a + b + c + d) / 2, (a - b + c - d) / 2, (a + b - c - d) / 2, (a - b - c + d) / 2]
        #expect(zip(w.scalars, expected).allSatisfy { abs($0 - $1) < 1e-14 }, "\(w.scalars)")
        #expect(space.coefficients.map(\.orientation) == [.approximation, .vertical, .horizontal, .diagonal])
    }

    /// The Daubechies-4 filter equals its published values (Daubechies, Ten Lectures on Wavelets,
    /// table 6.1, N = 2) and has the defining properties.
    @Test func daubechies4Coefficients() {
        let published = [0.4829629131445341, 0.8365163037378079, 0.2241438680420134, -0.1294095225512604]
        let h = Wavelet.daubechies4.lowPass, g = Wavelet.daubechies4.highPass
        #expect(zip(h, published).allSatisfy { abs($0 - $1) < 1e-15 }, "\(h)")
        #expect(abs(h.reduce(0, +) - 2.0.squareRoot()) < 1e-15)
        #expect(abs(h.reduce(0) { $0 + $1 * $1 } - 1) < 1e-15)
        #expect(abs(h[0] * h[2] + h[1] * h[3]) < 1e-15)
        // Two vanishing moments of the high-pass filter.
        #expect(abs(g.reduce(0, +)) < 1e-15)
        #expect(abs(g.indices.reduce(0.0) { $0 + Double($1) * g[$1] }) < 1e-14)
    }

    /// Multi-level transforms are orthonormal: the matrix W of the transform satisfies W Wᵀ = I
    /// (8 × 8 images, three levels: the last one on 2 × 2 blocks, where D4 wraps around twice).
    @Test(arguments: [Wavelet.haar, .daubechies4])
    func waveletsAreOrthonormal(_ wavelet: Wavelet) throws {
        let space = try WaveletSpace<Double>(height: 8, width: 8, levels: 3, wavelet: wavelet)
        let basis = try Tensor<Double>.identity(64).reshaped([64, 64, 1])
        let w = try space.toComponentSpace(basis).reshaped([64, 64])
        #expect(try Tensor.matmul(w, w, transposeB: true).maxAbsDifference(Tensor.identity(64)) < 1e-13)
        #expect(try space.fromComponentSpace(w.reshaped([64, 64, 1])).reshaped([64, 64]).maxAbsDifference(Tensor.identity(64)) < 1e-13)
    }

    /// Daubechies-4 has two vanishing moments: away from the periodic wrap its details of a linear
    /// ramp vanish, where Haar's (one vanishing moment) do not.
    @Test func daubechies4AnnihilatesRamps() throws {
        let (h, w) = (4, 8)
        let ramp = try Tensor<Double>(shape: [1, h * w, 1], scalars: (0..<(h * w)).map { 1 + 0.5 * Double($0 % w) })
        let d4 = try WaveletSpace<Double>(height: h, width: w, levels: 1, wavelet: .daubechies4).toComponentSpace(ramp)
        let haar = try WaveletSpace<Double>(height: h, width: w, levels: 1).toComponentSpace(ramp)
        for r in 0..<(h / 2) {
            for k in 0..<(w / 2) {
                let index = r * w + w / 2 + k  // vertical details (high-pass along the row)
                if k < w / 2 - 1 {
                    #expect(abs(d4[flat: index]) < 1e-14, "D4 detail \(k) of a ramp: \(d4[flat: index])")
                } else {
                    #expect(abs(d4[flat: index]) > 0.1, "the periodic wrap gives a non-zero detail")
                }
                #expect(abs(haar[flat: index] + 0.5) < 1e-14, "Haar detail \(haar[flat: index])")
            }
        }
        // A function of the column only has no horizontal or diagonal details.
        for r in (h / 2)..<h { for c in 0..<w { #expect(abs(d4[flat: r * w + c]) < 1e-13) } }
    }

    @Test func waveletMetadata() throws {
        let space = try WaveletSpace<Double>(height: 8, width: 16, levels: 2)
        let coefficients = space.coefficients
        #expect(coefficients.count == 128)
        #expect(coefficients.filter { $0.orientation == .approximation }.count == 8)
        for level in 1...2 {
            for orientation in [WaveletCoefficient.Orientation.horizontal, .vertical, .diagonal] {
                let band = coefficients.filter { $0.level == level && $0.orientation == orientation }
                #expect(band.count == 128 >> (2 * level))
                #expect(band.allSatisfy { $0.bandRows == 8 >> level && $0.bandColumns == 16 >> level })
                #expect(Set(band.map { [$0.row, $0.column] }).count == band.count)
            }
        }
        // Component 8 · 16 + … : pixel (row 5, column 9) lies in level 1's diagonal band at (1, 1).
        let c = coefficients[5 * 16 + 9]
        #expect(c.level == 1 && c.orientation == .diagonal && c.row == 1 && c.column == 1)
        #expect(c.pixelColumn == 2.5 && c.pixelRow == 2.5)
        let labels = space.coarseToFineLabels()
        #expect(labels[0] == 0 && labels[5 * 16 + 9] == 2 && labels[1 * 16 + 5] == 1)
    }
}
