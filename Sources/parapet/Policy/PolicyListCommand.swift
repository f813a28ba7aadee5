import ArgumentParser
import ParapetCore
import ParapetPolicy

/// `parapet policy list`: the policies that load, with their governance metadata.
struct PolicyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List policies: id, title, severity, feed, controls and scope."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown }

    @OptionGroup var policyPaths: PolicyPaths
    @Option(help: "Output format: table, json or markdown.") var format: Format = .table

    struct Row: Encodable {
        var id: String
        var title: String
        var severity: String
        var feed: String
        var controls: [String]
        var scope: String
        var file: String
    }

    func run() async throws {
        let loaded = try policyPaths.loader().load(paths: try policyPaths.resolved())
        let rows = loaded.policySet.policies.map { policy in
            Row(id: policy.id, title: policy.title, severity: policy.severity.rawValue,
                feed: policy.feed?.rawValue ?? "any", controls: policy.controls,
                scope: PolicyListCommand.describe(policy.scope), file: policy.file)
        }
        switch format {
        case .json:
            try JSONOutput.print(rows)
        case .markdown:
            print("| id | title | severity | feed | controls | scope |")
            print("|---|---|---|---|---|---|")
            for row in rows {
                let cells = [row.id, row.title, row.severity, row.feed, row.controls.joined(separator: ", "), row.scope]
                print("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
            }
        case .table:
            let header = ["ID", "TITLE", "SEVERITY", "FEED", "CONTROLS", "SCOPE"]
            let cells = rows.map { [$0.id, $0.title, $0.severity, $0.feed, $0.controls.joined(separator: ","), $0.scope] }
            let widths = header.indices.map { column in
                min(60, ([header[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0)
            }
            func line(_ values: [String]) -> String {
                values.enumerated().map { i, value in
                    let clipped = value.count > widths[i] ? String(value.prefix(widths[i] - 1)) + "…" : value
                    return clipped.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                }.joined(separator: "  ").trimmingTrailingSpaces()
            }
            print(line(header))
            for row in cells { print(line(row)) }
        }
        if loaded.hasErrors { throw ExitCode.failure }
    }

    static func describe(_ scope: PolicyScope) -> String {
        if scope.isUnrestricted { return "all" }
        var parts: [String] = []
        func add(_ name: String, _ values: [String]) { if !values.isEmpty { parts.append("\(name)=\(values.joined(separator: ","))") } }
        add("accounts", scope.accounts); add("!accounts", scope.excludeAccounts)
        add("ous", scope.ous); add("!ous", scope.excludeOUs)
        add("teams", scope.teams); add("!teams", scope.excludeTeams)
        add("regions", scope.regions); add("!regions", scope.excludeRegions)
        add("providers", scope.providers.map(\.rawValue)); add("!providers", scope.excludeProviders.map(\.rawValue))
        return parts.joined(separator: " ")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
