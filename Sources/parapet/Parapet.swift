import ArgumentParser

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
}
