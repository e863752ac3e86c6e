@testable import GUD

/// The precisions of the parity file, and the scalar type that computes each.
enum Precision: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case float32, float64
    var testDescription: String { rawValue }
}

import Testing

/// Element-wise comparison with the parity file.
///
/// An element passes when |a − e| ≤ rtol · |e| + 32 ε · max|e| (rtol = 1e-9 in Double and 1e-5 in
/// Float; ε the machine epsilon; max over the finite values of the array), so values that are
/// rounding residue of cancellations (a "0" of 1e-16) are judged at the scale of their array.
/// Infinities must match exactly. In Float an element also passes when it matches the float64
/// reference of the same output to that tolerance: where the float32 reference is itself
/// ill-conditioned (VP at t = 1, cosine at t = 0, cancellations) our Float value may be the more
/// accurate one. `allowHalf` marks elements where the reference's value may be half ours
/// (β exactly on a clip bound, where the reference differentiates through `clip` with slope ½).
struct Tolerance<S: TensorScalar> {
    var relative: Double { S.self == Float.self ? 1e-5 : 1e-9 }

    func failures(_ actual: [S], _ expected: FixtureArray, alternative: FixtureArray? = nil, allowHalf: [Bool]? = nil) -> [String] {
        guard actual.count == expected.count else {
            return ["count \(actual.count), expected \(expected.count) (shape \(expected.shape))"]
        }
        var out = [String]()
        for i in 0..<actual.count {
            let a = Double(actual[i])
            if close(a, expected, i) { continue }
            if let alternative, alternative.count == expected.count, close(a, alternative, i) { continue }
            if let allowHalf, allowHalf[i], close(a / 2, expected, i) { continue }
            out.append("[\(i)] \(a) vs \(expected.values[i])")
        }
        return out
    }

    private func close(_ a: Double, _ reference: FixtureArray, _ i: Int) -> Bool {
        let e = reference.values[i]
        if e.isNaN { return a.isNaN }
        if e.isInfinite { return a == e }
        let scale = reference.values.lazy.filter(\.isFinite).map(abs).max() ?? 0
        return abs(a - e) <= relative * abs(e) + 32 * Double(S.ulpOfOne) * scale
    }

    /// Records an issue naming `what` when any element fails.
    func expect(_ actual: [S], _ expected: FixtureArray, alternative: FixtureArray? = nil, allowHalf: [Bool]? = nil,
                _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bad = failures(actual, expected, alternative: alternative, allowHalf: allowHalf)
        #expect(bad.isEmpty, "\(what) (\(S.self)): \(bad.count) element(s) differ, e.g. \(bad.prefix(4))",
                sourceLocation: sourceLocation)
    }

    func expect(_ actual: Tensor<S>, _ expected: FixtureArray, alternative: FixtureArray? = nil,
                _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count && actual.shape.reduce(1, *) == expected.shape.reduce(1, *),
                "\(what): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        expect(actual.scalars, expected, alternative: alternative, what, sourceLocation: sourceLocation)
    }
}
