import Foundation

/// Everything a training run needs: data, basis and prior, schedule, network, optimiser, and the
/// run's size and seed. Stored as `config.json` in the run directory; ``load(from:)`` and
/// ``write(to:)`` round-trip it exactly.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// The training images (default: the bundled MNIST test split).
    public var data = DataConfiguration()
    /// The basis and prior (default: whitened Fourier).
    public var space = SpaceConfiguration()
    /// The schedule (default: soft conditioning by variance, softness 1).
    public var schedule = ScheduleConfiguration()
    /// The ε-network (default: the reference's small U-Net).
    public var network = NetworkConfiguration()
    /// The optimiser (default: Adam 3e-4 with warm-up, cosine decay and EMA).
    public var optimizer = OptimizerConfiguration()
    /// Images per step.
    public var batchSize: Int = 64
    /// Optimisation steps.
    public var steps: Int = 5000
    /// The seed of every random choice of the run (initialisation, batches, times, noise, dropout).
    public var seed: UInt64 = 0
    /// Write a checkpoint every this many steps (and at the end).
    public var checkpointEvery: Int = 500
    /// Time sampling: t_b = 1 − (1 − (b + u)/B)^p for a batch of B with one u ~ U[0, 1). p = 1 is the
    /// stratified uniform sampling of the reference; p > 1 spends more of the training on high noise
    /// (p = 2 triples the share of t > 0.9), where an ε-network needs the most precision because the
    /// reverse drift multiplies its errors by β/σ. The optimum of the loss at each t is unchanged; only
    /// the allocation of training across t differs.
    public var timeExponent: Double = 1
    /// How the network's output is read as ε̂ (and what it is trained on).
    public var parameterization: EpsilonParameterization = .epsilon

    /// The defaults of every field: the README's main job (``mainJob``).
    public init() {}

    /// The configuration of the README's main job and the base of `gud train`: the bundled MNIST in a
    /// whitened Fourier basis with a variance-ordered soft-conditioning schedule (softness 1), trained
    /// for about six minutes on 2 cores. It departs from the reference's defaults where they do not give
    /// recognisable digits in that time (measured, see `docs/training.md`): the reference's bigger U-Net
    /// (``NetworkConfiguration/bigUNet``, 303,281 parameters: the 28,761-parameter one draws
    /// fragments of strokes even after 9,000 steps), v-prediction, learning rate 1e-3, 1,800 steps and
    /// an EMA half-life of 100 steps (a longer one still averages in the early weights).
    public static var mainJob: TrainingConfiguration {
        var c = TrainingConfiguration()
        c.network = .bigUNet
        c.parameterization = .vPrediction
        c.optimizer.learningRate = 1e-3
        c.optimizer.emaHalfLife = 100
        c.steps = 1800
        return c
    }

    /// Checks every field; the first problem is thrown as `GUDError.invalidArgument`.
    public func validate() throws {
        try data.validate()
        try space.validate()
        try schedule.validate()
        try optimizer.validate()
        guard batchSize >= 1 else { throw GUDError.invalidArgument("batch size must be positive, got \(batchSize)") }
        guard steps >= 1 else { throw GUDError.invalidArgument("steps must be positive, got \(steps)") }
        guard timeExponent >= 1, timeExponent.isFinite else {
            throw GUDError.invalidArgument("time exponent must be at least 1, got \(timeExponent)")
        }
        guard network.timeScale > 0, network.timeScale.isFinite else {
            throw GUDError.invalidArgument("time scale must be positive, got \(network.timeScale)")
        }
        guard checkpointEvery >= 1 else { throw GUDError.invalidArgument("checkpoint interval must be positive, got \(checkpointEvery)") }
        if schedule.kind == .waveletColumn && ![.haar, .daubechies4].contains(space.kind) {
            throw GUDError.invalidArgument("the wavelet-column schedule needs a wavelet space (haar or daubechies4), not \(space.kind.rawValue)")
        }
        if schedule.ordering == .level && ![.haar, .daubechies4].contains(space.kind) {
            throw GUDError.invalidArgument("ordering by wavelet level needs a wavelet space, not \(space.kind.rawValue)")
        }
    }

    /// Reads a configuration file. Missing keys keep their defaults; unknown keys are an error.
    /// - Throws: `GUDError.io` or `GUDError.malformedData` naming the file and the problem.
    public static func load(from url: URL) throws -> TrainingConfiguration {
        try ConfigurationFile.decode(TrainingConfiguration.self, from: AtomicFile.read(url), defaults: TrainingConfiguration(), what: url.path)
    }

    /// The configuration as pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Writes the configuration atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(json(), to: url)
    }
}

/// JSON configuration files with defaults for missing keys and errors for unknown ones.
enum ConfigurationFile {
    /// Decodes `bytes` as `T`, taking every key the file does not set from `defaults`.
    static func decode<T: Codable>(_: T.Type, from bytes: Foundation.Data, defaults: T, what: String) throws -> T {
        let base: Any
        let user: Any
        do {
            base = try JSONSerialization.jsonObject(with: JSONEncoder().encode(defaults))
            user = try JSONSerialization.jsonObject(with: bytes)
        } catch {
            throw GUDError.malformedData("\(what) is not valid JSON: \(error.localizedDescription)")
        }
        let merged = try merge(base, user, path: "")
        do {
            return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            throw GUDError.malformedData("\(what): '\(keyPath(context.codingPath))' should be \(type)")
        } catch let DecodingError.dataCorrupted(context) {
            throw GUDError.malformedData("\(what): '\(keyPath(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw GUDError.malformedData("\(what): \(error)")
        }
    }

    /// `user` laid over `base`: objects merge key by key (unknown keys rejected), other values replace.
    private static func merge(_ base: Any, _ user: Any, path: String) throws -> Any {
        guard let b = base as? [String: Any], let u = user as? [String: Any] else { return user }
        var out = b
        for (key, value) in u {
            let p = path.isEmpty ? key : "\(path).\(key)"
            if let old = b[key] {
                out[key] = try merge(old, value, path: p)
            } else if isOptionalKey(key) {
                out[key] = value
            } else {
                let known = b.keys.sorted().joined(separator: ", ")
                throw GUDError.malformedData("unknown configuration key '\(p)'; known keys here: \(known)")
            }
        }
        return out
    }

    /// Keys of optional fields, absent from the encoded defaults when nil.
    private static let optionalKeys: Set<String> = [
        "path", "labelsPath", "height", "width", "limit", "cropSize", "cropCount", "levels", "aRange",
        "secondaryARange", "gammaMin", "gammaMax", "attentionHeads",
    ]
    private static func isOptionalKey(_ key: String) -> Bool { optionalKeys.contains(key) }

    private static func keyPath(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
