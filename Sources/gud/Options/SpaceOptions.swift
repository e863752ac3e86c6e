import ArgumentParser
import GUD

/// The basis and prior (overrides the configuration file's `space`).
struct SpaceOptions: ParsableArguments {
    @Option(help: "The basis.")
    var space: SpaceConfiguration.Kind?

    @Flag(inversion: .prefixedNo, help: "Whiten the prior by the data's per-component standard deviation.")
    var whiten: Bool?

    @Option(help: "Wavelet levels (default: as many as halve the image evenly, at most 3).")
    var levels: Int?

    @Option(name: .customLong("variance-floor"), help: "Relative floor of fitted variances (default 1e-6).")
    var varianceFloor: Double?

    func apply(to c: inout SpaceConfiguration) {
        if let space { c.kind = space }
        if let whiten { c.whitened = whiten }
        if let levels { c.levels = levels }
        if let varianceFloor { c.varianceFloor = varianceFloor }
    }

    var isEmpty: Bool { space == nil && whiten == nil && levels == nil && varianceFloor == nil }
}
