import ArgumentParser
import Foundation
import ParapetCore
import ParapetDaemon
import ParapetStore

/// `parapet violations [list]`
struct ListViolations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List violations, newest first.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this team's accounts.") var team: String?
    @Option(help: "Only this account id.") var account: String?
    @Option(help: "Only this policy id.") var policy: String?
    @Option(help: "Minimum severity: informational, low, medium, high, critical.") var severity: String?
    @Option(help: "Only this status: open, acknowledged, resolved, suppressed.") var status: String?
    @Option(help: "First seen within this long (24h, 30d) or since this time (RFC 3339).") var since: String?
    @Option(help: "At most this many.") var limit: Int = 100
    @Option(help: "table, json (one object per line) or csv.") var format: OutputFormat = .table

    func run() async throws {
        var filter = ViolationFilter(team: team, account: account, policyID: policy)
        if let severity {
            guard let value = Severity(rawValue: severity.lowercased()) else {
                throw ValidationError("--severity must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.minimumSeverity = value
        }
        if let status {
            guard let value = ViolationStatus(rawValue: status.lowercased()) else {
                throw ValidationError("--status must be one of \(ViolationStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = value
        }
        filter.since = try parseSince(since)
        filter.limit = limit
        let violations = try database.openReadOnly().violations(filter)
        switch format {
        case .json:
            for violation in violations { print(violation.apiDocument.serialized()) }
        case .csv:
            print(CSV.line(["id", "first_seen", "severity", "status", "policy", "account", "account_name", "team", "region", "actor", "operation", "resource", "occurrences"]))
            for v in violations { print(CSV.line(v.row + [String(v.occurrences)])) }
        case .table:
            var table = TextTable(["ID", "FIRST SEEN", "SEVERITY", "STATUS", "POLICY", "ACCOUNT", "NAME", "TEAM", "REGION", "ACTOR", "OPERATION", "RESOURCE"])
            for v in violations { table.add(v.row) }
            print(table.render())
            print("\(violations.count) violation\(violations.count == 1 ? "" : "s")")
        }
    }
}

extension ViolationRecord {
    var actorText: String {
        let actor = data["actor"]
        return actor?["name"]?.stringValue ?? actor?["uid"]?.stringValue ?? ""
    }

    var row: [String] {
        [String(id), ISO8601.string(from: firstSeenAt), severity.rawValue, status.rawValue, policyID, account,
         accountName ?? "", team ?? "", data["region"]?.stringValue ?? "", actorText,
         data["operation"]?.stringValue ?? "", resource]
    }
}
