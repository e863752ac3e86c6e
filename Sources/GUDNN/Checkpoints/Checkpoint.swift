import Foundation

/// A training checkpoint of an ε-network in the safetensors format.
///
/// Tensors carry distinct name prefixes: `model.<parameter>` (weights), `ema.<parameter>` (EMA weights)
/// and `optimizer.m.<parameter>` / `optimizer.v.<parameter>` (Adam moments). Metadata holds, besides
/// the caller's own entries:
///
/// | key | value |
/// |---|---|
/// | `gud.format` | `gud-nn-checkpoint-1` |
/// | `gud.architecture` | the network's ``EpsilonNetwork/architectureName`` |
/// | `gud.configuration` | the network configuration as JSON |
/// | `gud.ema.step`, `gud.ema.decay` | when EMA weights are present |
/// | `gud.optimizer`, `gud.optimizer.step`, `gud.optimizer.configuration` | when optimiser state is present (`adam`, JSON) |
///
/// Save → load is bit-exact. Writes are atomic.
public struct Checkpoint<Scalar: TensorScalar>: Sendable, Equatable {
    /// The network's parameters (stored as `model.<name>`).
    public var weights: [NamedTensor<Scalar>]
    /// The EMA weights and their step (stored as `ema.<name>`), if any.
    public var ema: OptimizerState<Scalar>?
    /// The optimiser's state (stored as `optimizer.<name>`), if any.
    public var optimizer: OptimizerState<Scalar>?
    /// All metadata, the `gud.*` entries included.
    public var metadata: [String: String]

    /// The value of the `gud.format` metadata entry, `gud-nn-checkpoint-1`.
    public static var formatName: String { "gud-nn-checkpoint-1" }

    /// A checkpoint of the given parts; ``file()`` adds the `gud.format` marker and the steps.
    public init(
        weights: [NamedTensor<Scalar>], ema: OptimizerState<Scalar>? = nil, optimizer: OptimizerState<Scalar>? = nil,
        metadata: [String: String] = [:]
    ) {
        self.weights = weights
        self.ema = ema
        self.optimizer = optimizer
        self.metadata = metadata
    }

    /// The file contents.
    public func file() -> SafeTensorsFile {
        var f = SafeTensorsFile(metadata: metadata)
        f.metadata["gud.format"] = Self.formatName
        for w in weights { f.append("model." + w.name, w.tensor) }
        if let ema {
            f.metadata["gud.ema.step"] = String(ema.step)
            for w in ema.tensors { f.append("ema." + w.name, w.tensor) }
        }
        if let optimizer {
            f.metadata["gud.optimizer.step"] = String(optimizer.step)
            for w in optimizer.tensors { f.append("optimizer." + w.name, w.tensor) }
        }
        return f
    }

    /// Writes the checkpoint atomically to `path`.
    public func write(to path: String) throws { try file().write(to: path) }

    /// Reads a checkpoint and checks its structure: valid safetensors, the `gud.format` marker, every
    /// tensor of dtype `Scalar` with a known prefix, and steps for EMA / optimiser tensors.
    /// Use ``EpsilonNetwork/restore(from:ema:optimizer:)`` to check it against a network.
    /// - Throws: `GUDError.malformedData` or `GUDError.io`.
    public static func read(from path: String) throws -> Checkpoint {
        try Checkpoint(file: SafeTensorsFile(contentsOf: path))
    }

    /// Decodes a checkpoint from a validated file (see ``read(from:)``).
    public init(file f: SafeTensorsFile) throws {
        guard f.metadata["gud.format"] == Self.formatName else {
            throw GUDError.malformedData("not a GUD network checkpoint: metadata gud.format is \(f.metadata["gud.format"].map { "'\($0)'" } ?? "missing"), expected '\(Self.formatName)'")
        }
        var weights = [NamedTensor<Scalar>](), ema = [NamedTensor<Scalar>](), opt = [NamedTensor<Scalar>]()
        for e in f.entries {
            let t = try SafeTensorsFile.decode(e, as: Scalar.self)
            if e.name.hasPrefix("model.") {
                weights.append(NamedTensor(String(e.name.dropFirst(6)), t))
            } else if e.name.hasPrefix("ema.") {
                ema.append(NamedTensor(String(e.name.dropFirst(4)), t))
            } else if e.name.hasPrefix("optimizer.") {
                opt.append(NamedTensor(String(e.name.dropFirst(10)), t))
            } else {
                throw GUDError.malformedData("unexpected tensor '\(e.name)'; expected the prefix model., ema. or optimizer.")
            }
        }
        func step(_ key: String, _ what: String) throws -> Int {
            guard let s = f.metadata[key], let n = Int(s), n >= 0 else {
                throw GUDError.malformedData("\(what) tensors are present but metadata \(key) is missing or not a step count")
            }
            return n
        }
        self.weights = weights
        self.ema = ema.isEmpty ? nil : OptimizerState(step: try step("gud.ema.step", "EMA"), tensors: ema)
        self.optimizer = opt.isEmpty ? nil : OptimizerState(step: try step("gud.optimizer.step", "optimizer"), tensors: opt)
        metadata = f.metadata
    }
}

extension EpsilonNetwork {
    /// A checkpoint of the current weights, optionally with EMA weights and Adam state, with the
    /// architecture and configuration in the metadata plus the caller's `metadata` entries.
    public func checkpoint(
        ema: ExponentialMovingAverage<Scalar>? = nil, optimizer: Adam<Scalar>? = nil, metadata: [String: String] = [:]
    ) throws -> Checkpoint<Scalar> {
        var m = metadata
        m["gud.architecture"] = Self.architectureName
        m["gud.configuration"] = String(decoding: try JSONEncoder.sorted.encode(configuration), as: UTF8.self)
        if let ema { m["gud.ema.decay"] = String(ema.decay) }
        if let optimizer {
            m["gud.optimizer"] = "adam"
            m["gud.optimizer.configuration"] = String(decoding: try JSONEncoder.sorted.encode(optimizer.configuration), as: UTF8.self)
        }
        return Checkpoint(weights: parameters.namedValues(), ema: ema?.exportState(), optimizer: optimizer?.exportState(), metadata: m)
    }

    /// Loads a checkpoint into this network and, when given, into `ema` and `optimizer`.
    ///
    /// Checks, before changing anything: the architecture and configuration in the metadata equal this
    /// network's; every parameter is present with the shape the configuration gives it and no other
    /// tensor is; EMA and optimiser state are present when asked for and complete.
    /// - Throws: `GUDError.malformedData` naming the first mismatch.
    public func restore(
        from checkpoint: Checkpoint<Scalar>, ema: ExponentialMovingAverage<Scalar>? = nil, optimizer: Adam<Scalar>? = nil
    ) throws {
        let m = checkpoint.metadata
        guard m["gud.architecture"] == Self.architectureName else {
            throw GUDError.malformedData("checkpoint architecture is \(m["gud.architecture"] ?? "missing"), expected \(Self.architectureName)")
        }
        guard let json = m["gud.configuration"],
            let stored = try? JSONDecoder().decode(Configuration.self, from: Data(json.utf8))
        else {
            throw GUDError.malformedData("checkpoint metadata gud.configuration is missing or not a valid \(Configuration.self)")
        }
        guard stored == configuration else {
            throw GUDError.malformedData("checkpoint configuration \(json) differs from the network's")
        }
        let staging = ParameterBuffer<Scalar>(count: parameters.scalarCount)
        func check(_ tensors: [NamedTensor<Scalar>], _ prefix: String) throws {
            do {
                try parameters.specs.copy(tensors, into: staging.pointer, what: "tensor")
            } catch let e as GUDError {
                throw GUDError.malformedData("checkpoint \(prefix) tensors: \(e.message)")
            }
        }
        try check(checkpoint.weights, "model.")
        if let ema {
            guard let state = checkpoint.ema else { throw GUDError.malformedData("checkpoint has no EMA weights (ema.*)") }
            try check(state.tensors, "ema.")
            if let d = m["gud.ema.decay"], Double(d) != ema.decay {
                throw GUDError.malformedData("checkpoint EMA decay \(d) differs from the EMA's \(ema.decay)")
            }
        }
        if optimizer != nil {
            guard let state = checkpoint.optimizer, m["gud.optimizer"] == "adam" else {
                throw GUDError.malformedData("checkpoint has no Adam state (optimizer.*)")
            }
            let moments = state.tensors.filter { $0.name.hasPrefix("m.") || $0.name.hasPrefix("v.") }
            guard moments.count == state.tensors.count else {
                throw GUDError.malformedData("checkpoint optimizer tensors must be optimizer.m.* and optimizer.v.*")
            }
            try check(moments.filter { $0.name.hasPrefix("m.") }.map { NamedTensor(String($0.name.dropFirst(2)), $0.tensor) }, "optimizer.m.")
            try check(moments.filter { $0.name.hasPrefix("v.") }.map { NamedTensor(String($0.name.dropFirst(2)), $0.tensor) }, "optimizer.v.")
        }
        // Everything is valid: apply.
        try parameters.load(checkpoint.weights)
        if let ema, let state = checkpoint.ema { try ema.importState(state) }
        if let optimizer, let state = checkpoint.optimizer { try optimizer.importState(state) }
    }
}

extension EpsilonNetwork {
    /// A network built from the configuration stored in `checkpoint`, with its weights.
    /// - Throws: `GUDError.malformedData` when the architecture, configuration or tensors do not fit.
    public static func restored(from checkpoint: Checkpoint<Scalar>) throws -> Self {
        guard checkpoint.metadata["gud.architecture"] == architectureName, let json = checkpoint.metadata["gud.configuration"],
            let configuration = try? JSONDecoder().decode(Configuration.self, from: Data(json.utf8))
        else {
            throw GUDError.malformedData("checkpoint does not hold a \(architectureName) configuration")
        }
        let network = try Self(configuration, source: RandomSource(seed: 0))
        try network.restore(from: checkpoint)
        return network
    }
}

extension Checkpoint {
    /// The built-in network (``UNet`` or ``MLP``) the checkpoint describes, with its weights; for code
    /// that does not know the architecture in advance.
    /// - Throws: `GUDError.malformedData` for another architecture or a checkpoint that does not fit it.
    public func makeNetwork() throws -> any EpsilonNetwork<Scalar> {
        switch metadata["gud.architecture"] {
        case UNet<Scalar>.architectureName: return try UNet<Scalar>.restored(from: self)
        case MLP<Scalar>.architectureName: return try MLP<Scalar>.restored(from: self)
        case let other:
            throw GUDError.malformedData("checkpoint architecture \(other ?? "missing") is not a built-in network (unet, mlp)")
        }
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so that equal configurations encode to equal strings.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
