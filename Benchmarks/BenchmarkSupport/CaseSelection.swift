import ArgumentParser

/// The `--case` option of a benchmark executable: run only the named cases (repeatable), in the
/// executable's order; none named runs every case.
public struct CaseSelection: ParsableArguments {
    @Option(name: .customLong("case"), help: "Run only this case (repeatable); default: every case.")
    public var names: [String] = []

    public init() {}

    /// The cases to run, in the order of `all`.
    /// - Throws: `ValidationError` naming an unknown case and the known ones.
    public func selected(from all: [String]) throws -> [String] {
        for name in names where !all.contains(name) {
            throw ValidationError("unknown case '\(name)'; expected one of \(all.joined(separator: ", "))")
        }
        return names.isEmpty ? all : all.filter(names.contains)
    }
}
