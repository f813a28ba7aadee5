import ArgumentParser

/// `parapet policy …`: lint, test, list and backtest guardrail policies.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Lint, test and list guardrail policies.",
        subcommands: [PolicyLintCommand.self, PolicyTestCommand.self, PolicyListCommand.self, PolicyBacktestCommand.self]
    )
}
