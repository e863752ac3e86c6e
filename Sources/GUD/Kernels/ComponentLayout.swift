/// How a tensor in a component representation is laid out for component-wise arithmetic.
///
/// GUD's tensors have shape (batch, components, …): the first axis indexes samples, the second the
/// components of the space (pixels, PCA components, Fourier modes, wavelet coefficients), and every
/// further axis (channel, and re/im for complex values) is an *inner block* that shares the
/// component's real coefficient (α, σ, β, S, γ). The flat index of (b, i, j) is
/// (b · components + i) · inner + j.
struct ComponentLayout: Equatable, Sendable {
    let batch: Int
    let components: Int
    let inner: Int

    /// Reads the layout of a tensor of rank ≥ 2.
    /// - Throws: `GUDError.shapeMismatch` naming `what` when the rank is below 2.
    init(shape: [Int], what: String) throws {
        guard shape.count >= 2 else {
            throw GUDError.shapeMismatch(
                "\(what) has shape \(shape); expected (batch, components, …) with rank ≥ 2")
        }
        batch = shape[0]
        components = shape[1]
        inner = shape.dropFirst(2).reduce(1, *)
    }

    var count: Int { batch * components * inner }
}

/// Where a (batch, component) block finds its coefficient in a (rows, width) table.
///
/// A table with one row is shared by every sample; a table of width 1 is shared by every component.
struct CoefficientIndexer: Sendable {
    let rowStride: Int
    let columnStride: Int

    /// The indexer for a (rows, width) table applied to `layout`.
    /// - Throws: `GUDError.shapeMismatch` unless rows ∈ {1, batch} and width ∈ {1, components}.
    init(rows: Int, width: Int, layout: ComponentLayout, what: String) throws {
        guard rows == 1 || rows == layout.batch, width == 1 || width == layout.components else {
            throw GUDError.shapeMismatch(
                "\(what) has \(rows) row(s) of \(width) coefficient(s) but the data has batch \(layout.batch) and \(layout.components) components; expected 1 or \(layout.batch) rows and 1 or \(layout.components) coefficients")
        }
        rowStride = rows == 1 ? 0 : width
        columnStride = width == 1 ? 0 : 1
    }

    /// The indexer of a per-component vector shared by all samples (a whitening scale).
    init(sharedVectorOf width: Int) {
        rowStride = 0
        columnStride = width == 1 ? 0 : 1
    }

    /// Calls `body(coefficientIndex, firstElement)` for every (sample, component) block in order.
    @inline(__always)
    func forEachBlock(_ layout: ComponentLayout, _ body: (Int, Int) -> Void) {
        var offset = 0
        for b in 0..<layout.batch {
            let row = b * rowStride
            for i in 0..<layout.components {
                body(row + i * columnStride, offset)
                offset += layout.inner
            }
        }
    }
}
