import ArgumentParser

/// `parapet violations …`
struct ViolationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "violations",
        abstract: "List, show, acknowledge and resolve violations.",
        subcommands: [ListViolations.self, ShowViolation.self, AckViolation.self, ResolveViolation.self],
        defaultSubcommand: ListViolations.self
    )
}
