import ArgumentParser
import Foundation
import ParapetCore
import ParapetStore

/// `parapet violations ack ID [--note] [--by]`
struct AckViolation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge a violation.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The violation id.") var id: Int64
    @Option(help: "Why, or what happens next.") var note: String?
    @Option(help: "Who (default: the local user).") var by: String?

    func run() async throws {
        _ = try database.openWritable().setStatus(violationID: id, status: .acknowledged, by: by ?? currentUser(), note: note, now: Date())
        print("violation \(id) acknowledged")
    }
}

/// `parapet violations resolve ID [--note] [--by]`
struct ResolveViolation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve a violation (sends a resolved message).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The violation id.") var id: Int64
    @Option(help: "How it was fixed.") var note: String?
    @Option(help: "Who (default: the local user).") var by: String?

    func run() async throws {
        _ = try database.openWritable().setStatus(violationID: id, status: .resolved, by: by ?? currentUser(), note: note, now: Date())
        print("violation \(id) resolved")
    }
}

func currentUser() -> String {
    let environment = ProcessInfo.processInfo.environment
    return environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
}
