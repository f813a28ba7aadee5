import ArgumentParser
import Foundation

@main
struct Parapet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parapet",
        abstract: "Governance audit daemon: polls cloud activity feeds and checks them against guardrails.",
        subcommands: [
            RunCommand.self, ReplayCommand.self, ViolationsCommand.self, SourcesCommand.self, EventsCommand.self,
            DeliveriesCommand.self, PolicyCommand.self, DoctorCommand.self, BenchCommand.self,
        ]
    )

    /// Exit codes: 0 ok, 1 failure, 2 usage error (ArgumentParser's own would be 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure || code.rawValue == 2 {
                exit(withError: error)
            }
            if code == .validationFailure {
                // A usage error: ArgumentParser's message and help hint, exit status 2.
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            // Anything else that escaped a command: say what happened, exit 1.
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data(("parapet: " + (message.isEmpty ? "\(error)" : message) + "\n").utf8))
            Foundation.exit(1)
        }
    }
}
