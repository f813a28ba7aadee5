import ArgumentParser
import Foundation
import ParapetCore
import ParapetDaemon
import ParapetStore

/// `parapet violations show ID`
struct ShowViolation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a violation with its full raw event.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The violation id.") var id: Int64
    @Option(help: "table (readable text) or json.") var format: TextOrJSON = .table

    func run() async throws {
        let detail = try database.openReadOnly().violation(id: id)
        let v = detail.violation
        if format == .json {
            var object = v.apiDocument.objectValue ?? [:]
            if let event = detail.event { object["raw_event"] = event.event.raw }
            object["deliveries"] = .array(detail.deliveries.map { d in
                ["id": .string(d.id), "route": .string(d.route), "kind": .string(d.kind.rawValue),
                 "state": .string(d.state.rawValue), "attempts": .number(Double(d.attempts)),
                 "last_error": d.lastError.map(JSONValue.string) ?? .null]
            })
            print(JSONValue.object(object).serialized())
            return
        }
        print("Violation \(v.id): \(v.policyTitle)")
        print("  policy       \(v.policyID) (\(v.severity.rawValue))")
        if let controls = v.data["policy"]?["controls"]?.arrayValue, !controls.isEmpty {
            print("  controls     \(controls.compactMap(\.stringValue).joined(separator: ", "))")
        }
        print("  status       \(v.status.rawValue)\(v.statusBy.map { " by \($0)" } ?? "")\(v.statusNote.map { " — \($0)" } ?? "")")
        if let note = v.note { print("  note         \(note)") }
        print("  account      \(v.account)\(v.accountName.map { " (\($0))" } ?? "")  team \(v.team ?? "-")  ou \(v.ou ?? "-")")
        print("  actor        \(v.actorText)")
        print("  operation    \(v.data["operation"]?.stringValue ?? "")  region \(v.data["region"]?.stringValue ?? "-")  source ip \(v.data["source_ip"]?.stringValue ?? "-")")
        print("  resource     \(v.resource)")
        print("  seen         \(ISO8601.string(from: v.firstSeenAt)) … \(ISO8601.string(from: v.lastSeenAt)) (\(v.occurrences)×)")
        if let remediation = v.data["policy"]?["remediation"]?.stringValue {
            print("  remediation  \(remediation)")
        }
        for d in detail.deliveries {
            print("  delivery     \(d.id) \(d.route) \(d.kind.rawValue) \(d.state.rawValue) attempts \(d.attempts)\(d.lastError.map { " — \($0)" } ?? "")")
        }
        if let event = detail.event {
            print("  raw event    (\(event.event.feed.rawValue) \(event.event.eventID))")
            print(event.event.raw.serialized())
        } else {
            print("  raw event    pruned by retention; the summary above is kept with the violation")
        }
    }
}
