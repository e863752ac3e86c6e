import Foundation

/// One training step's record.
public struct LossRecord: Equatable, Sendable {
    /// The number of completed steps after this one (1 for the first).
    public var step: Int
    /// The ε-matching loss of the step's batch (mean squared error per element).
    public var loss: Double
    /// The learning rate used.
    public var learningRate: Double
    /// The global gradient norm before clipping.
    public var gradientNorm: Double
    /// Seconds since the run (or its latest resumption) started.
    public var seconds: Double

    /// A record with the given values.
    public init(step: Int, loss: Double, learningRate: Double, gradientNorm: Double, seconds: Double) {
        self.step = step
        self.loss = loss
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.seconds = seconds
    }
}

/// The per-step training log as CSV: `step,loss,learning_rate,gradient_norm,seconds`.
/// Numbers are written with enough digits to read back exactly.
public enum LossLog {
    static let header = "step,loss,learning_rate,gradient_norm,seconds"

    /// The CSV text.
    public static func csv(_ records: [LossRecord]) -> String {
        var lines = [header]
        lines.reserveCapacity(records.count + 1)
        for r in records {
            lines.append("\(r.step),\(r.loss),\(r.learningRate),\(r.gradientNorm),\(String(format: "%.3f", r.seconds))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the log atomically.
    public static func write(_ records: [LossRecord], to url: URL) throws {
        try AtomicFile.write(csv(records), to: url)
    }

    /// Reads a log.
    /// - Throws: `GUDError.malformedData` naming the line that is not a record.
    public static func read(from url: URL) throws -> [LossRecord] {
        let text = String(decoding: try AtomicFile.read(url), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == header else {
            throw GUDError.malformedData("\(url.path) does not start with the header '\(header)'")
        }
        lines.removeFirst()
        return try lines.enumerated().map { (i, line) in
            let f = line.split(separator: ",").map { Double($0) }
            guard f.count == 5, let step = f[0], let loss = f[1], let lr = f[2], let g = f[3], let s = f[4] else {
                throw GUDError.malformedData("\(url.path) line \(i + 2) is not a loss record: \(line)")
            }
            return LossRecord(step: Int(step), loss: loss, learningRate: lr, gradientNorm: g, seconds: s)
        }
    }
}
