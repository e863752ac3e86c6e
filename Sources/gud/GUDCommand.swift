import ArgumentParser

/// The `gud` command-line tool.
@main
struct GUDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud",
        abstract: "Generation with Unified Diffusion: choose a basis, a prior and a component-wise schedule; train, sample, inspect.",
        subcommands: [Demo.self, TrainClassifier.self])
}
