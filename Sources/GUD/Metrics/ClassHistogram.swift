import Foundation

/// How many images fall in each class (e.g. a classifier's predictions for generated samples): the
/// mode coverage of a generative model.
///
/// With shares p_k = count_k / total: the entropy `H = −Σ_k p_k log₂ p_k` (bits, 0·log 0 = 0), its
/// normalised form `H / log₂ K` (1 for equal shares, 0 when one class takes everything), and the number
/// of classes whose share reaches a threshold.
public struct ClassHistogram: Sendable, Equatable, CustomStringConvertible {
    /// The count of every class 0..<K.
    public let counts: [Int]

    /// A histogram of K = `counts.count` classes.
    /// - Throws: `GUDError.invalidArgument` for fewer than two classes or a negative count.
    public init(counts: [Int]) throws {
        guard counts.count >= 2, counts.allSatisfy({ $0 >= 0 }) else {
            throw GUDError.invalidArgument("a class histogram needs at least 2 classes and counts ≥ 0, got \(counts)")
        }
        self.counts = counts
    }

    /// The histogram of class indices.
    /// - Throws: `GUDError.invalidArgument` for an index outside `0..<classCount` or `classCount` < 2.
    public init(classes: [Int], classCount: Int) throws {
        guard classCount >= 2 else { throw GUDError.invalidArgument("a class histogram needs at least 2 classes, got \(classCount)") }
        var counts = [Int](repeating: 0, count: classCount)
        for c in classes {
            guard c >= 0, c < classCount else {
                throw GUDError.invalidArgument("class \(c) outside 0..<\(classCount)")
            }
            counts[c] += 1
        }
        try self.init(counts: counts)
    }

    /// The number of images.
    public var total: Int { counts.reduce(0, +) }

    /// p_k = count_k / total (zeros for an empty histogram).
    public var shares: [Double] {
        let n = Double(total)
        return counts.map { n > 0 ? Double($0) / n : 0 }
    }

    /// H = −Σ p_k log₂ p_k in bits.
    public var entropy: Double {
        shares.reduce(0) { $1 > 0 ? $0 - $1 * Foundation.log2($1) : $0 }
    }

    /// H / log₂ K ∈ [0, 1].
    public var normalizedEntropy: Double { entropy / Foundation.log2(Double(counts.count)) }

    /// The number of classes whose share is at least `minimumShare`.
    public func coveredClasses(minimumShare: Double) -> Int {
        shares.filter { $0 >= minimumShare }.count
    }

    /// The default coverage threshold: half the share of a uniform histogram, 1 / (2K).
    public var halfUniformShare: Double { 0.5 / Double(counts.count) }

    /// Half the L1 distance between the shares of two histograms with the same classes (total variation,
    /// in [0, 1]).
    /// - Throws: `GUDError.shapeMismatch` when the class counts differ.
    public func totalVariation(from other: ClassHistogram) throws -> Double {
        guard other.counts.count == counts.count else {
            throw GUDError.shapeMismatch("histograms of \(counts.count) and \(other.counts.count) classes; expected the same classes")
        }
        return 0.5 * zip(shares, other.shares).reduce(0) { $0 + Swift.abs($1.0 - $1.1) }
    }

    /// e.g. `0: 9.8 %  1: 11.4 %  …  9: 10.1 %`.
    public var description: String {
        shares.enumerated().map { String(format: "%d: %.1f %%", $0.offset, 100 * $0.element) }.joined(separator: "  ")
    }
}
