import Foundation

/// The files of a training run, all in one directory:
/// `config.json` (the ``TrainingConfiguration``), `statistics.safetensors` (the cached
/// ``DatasetStatistics``), `checkpoint.safetensors` (weights, EMA weights, optimiser state; the
/// latest, replaced atomically) and `losses.csv` (the ``LossLog``).
public struct RunDirectory: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }
    public init(path: String) { self.url = URL(fileURLWithPath: path) }

    public var configuration: URL { url.appendingPathComponent("config.json") }
    public var statistics: URL { url.appendingPathComponent("statistics.safetensors") }
    public var checkpoint: URL { url.appendingPathComponent("checkpoint.safetensors") }
    public var losses: URL { url.appendingPathComponent("losses.csv") }

    /// Whether the run has a checkpoint.
    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpoint.path) }
}
