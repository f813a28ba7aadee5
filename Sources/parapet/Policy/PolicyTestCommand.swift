import ArgumentParser
import ParapetPolicy

/// `parapet policy test`: runs the `parapet.tests` of every policy.
struct PolicyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the tests written in policy files (exit 1 if any fails or lint errors exist)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var policyPaths: PolicyPaths
    @Option(help: "Output format: text or json.") var format: Format = .text

    struct Report: Encodable {
        var passed: Int
        var failed: Int
        var lintErrors: [Diagnostic]
        var results: [Entry]
    }

    struct Entry: Encodable {
        var name: String
        var policy: String
        var file: String
        var line: Int
        var passed: Bool
        var expected: String
        var actual: String
    }

    func run() async throws {
        let loaded = try policyPaths.loader().load(paths: try policyPaths.resolved())
        let results = PolicyTestRunner().run(loaded)
        let passed = results.filter(\.passed).count
        let failed = results.count - passed
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        switch format {
        case .json:
            try JSONOutput.print(Report(passed: passed, failed: failed, lintErrors: errors, results: results.map {
                Entry(name: $0.name, policy: $0.policyID, file: $0.file, line: $0.line, passed: $0.passed,
                      expected: $0.expected.rawValue, actual: $0.actual.rawValue)
            }))
        case .text:
            for diagnostic in errors { print(diagnostic.rendered) }
            for result in results {
                let status = result.passed ? "PASS" : "FAIL"
                var line = "\(status) \(result.name) [\(result.policyID)] \(result.file):\(result.line)"
                if !result.passed { line += " — \(result.message)" }
                print(line)
            }
            print("\(passed) passed, \(failed) failed")
        }
        if failed > 0 || !errors.isEmpty { throw ExitCode.failure }
    }
}
