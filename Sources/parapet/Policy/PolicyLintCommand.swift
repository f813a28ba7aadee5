import ArgumentParser
import ParapetPolicy

/// `parapet policy lint`: every diagnostic of every policy file, compiler style.
struct PolicyLintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check policy files and print every problem (exit 1 on errors)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var policyPaths: PolicyPaths
    @Option(help: "Output format: text or json.") var format: Format = .text

    struct Report: Encodable {
        var files: Int
        var policies: Int
        var errors: Int
        var warnings: Int
        var diagnostics: [Diagnostic]
    }

    func run() async throws {
        let result = try policyPaths.loader().load(paths: try policyPaths.resolved())
        switch format {
        case .json:
            try JSONOutput.print(Report(files: result.files.count, policies: result.policySet.policies.count,
                                        errors: result.errorCount, warnings: result.warningCount,
                                        diagnostics: result.diagnostics))
        case .text:
            for diagnostic in result.diagnostics { print(diagnostic.rendered) }
            print("\(result.files.count) files, \(result.policySet.policies.count) policies: "
                  + "\(result.errorCount) errors, \(result.warningCount) warnings")
        }
        if result.hasErrors { throw ExitCode.failure }
    }
}
