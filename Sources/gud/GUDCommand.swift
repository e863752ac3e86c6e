import ArgumentParser
import Foundation
import GUD

/// The `gud` command-line tool.
@main
struct GUDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gud",
        abstract: "Generation with Unified Diffusion: choose a basis, a prior and a component-wise schedule; train, sample, inspect.",
        subcommands: [
            Stats.self, Train.self, Sample.self, Noise.self, Extend.self, ScheduleCommand.self, Likelihood.self,
            Quality.self, Losses.self, TrainClassifier.self,
        ])

    /// Runs the command; every error ends the process with one line on stderr and a non-zero status
    /// (help and version requests print as usual).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as GUDError {
            fail(error.description)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            fail(message.replacingOccurrences(of: "Error: ", with: "") + " (see 'gud help')", code: exitCode(for: error).rawValue)
        }
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(code == 0 ? 1 : code)
    }
}
