import Foundation

/// The files of a training run, all in one directory:
/// `config.json` (the ``TrainingConfiguration``), `statistics.safetensors` (the cached
/// ``DatasetStatistics``), `checkpoint.safetensors` (weights, EMA weights, optimiser state; the
/// latest, replaced atomically) and `losses.csv` (the ``LossLog``).
public struct RunDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// The run in the directory at `url` (which need not exist yet).
    public init(_ url: URL) { self.url = url }
    /// The run in the directory at a file-system path.
    public init(path: String) { self.url = URL(fileURLWithPath: path) }

    /// `config.json`: the ``TrainingConfiguration``.
    public var configuration: URL { url.appendingPathComponent("config.json") }
    /// `statistics.safetensors`: the cached ``DatasetStatistics``.
    public var statistics: URL { url.appendingPathComponent("statistics.safetensors") }
    /// `checkpoint.safetensors`: the latest weights, EMA weights and optimiser state.
    public var checkpoint: URL { url.appendingPathComponent("checkpoint.safetensors") }
    /// `losses.csv`: one ``LossRecord`` per step.
    public var losses: URL { url.appendingPathComponent("losses.csv") }

    /// Whether the run has a checkpoint.
    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpoint.path) }
}
