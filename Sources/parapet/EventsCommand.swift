import ArgumentParser
import Foundation
import ParapetCore
import ParapetStore

/// `parapet events`
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Search stored events, newest first.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this account id.") var account: String?
    @Option(help: "aws, gcp or azure.") var provider: String?
    @Option(help: "Only this operation (eventName, methodName, operationName).") var operation: String?
    @Option(help: "Only this provider event id.") var id: String?
    @Option(help: "Within this long (24h, 30d) or since this time (RFC 3339).") var since: String?
    @Option(help: "At most this many.") var limit: Int = 100
    @Option(help: "table, json (one object per line, with the raw record) or csv.") var format: OutputFormat = .table

    func run() async throws {
        var filter = EventFilter(account: account, operation: operation, since: try parseSince(since))
        if let provider {
            guard let value = Provider(rawValue: provider.lowercased()) else { throw ValidationError("--provider must be aws, gcp or azure") }
            filter.provider = value
        }
        filter.eventID = id
        filter.limit = limit
        let events = try database.openReadOnly().events(filter)
        switch format {
        case .json:
            for record in events {
                var object = record.event.normalized.objectValue ?? [:]
                object["raw"] = record.event.raw
                object["source_id"] = record.sourceID.map(JSONValue.string) ?? .null
                print(JSONValue.object(object).serialized())
            }
        case .csv:
            print(CSV.line(["time", "provider", "account", "region", "operation", "service", "actor", "source_ip", "outcome", "error_code", "event_id"]))
            for record in events { print(CSV.line(record.row)) }
        case .table:
            var table = TextTable(["TIME", "PROVIDER", "ACCOUNT", "REGION", "OPERATION", "SERVICE", "ACTOR", "SOURCE IP", "OUTCOME", "ERROR", "EVENT ID"])
            for record in events { table.add(record.row) }
            print(table.render())
            print("\(events.count) event\(events.count == 1 ? "" : "s")")
        }
    }
}

extension EventRecord {
    var row: [String] {
        let e = event
        return [ISO8601.string(from: e.time), e.provider.rawValue, e.account, e.region ?? "", e.operation, e.serviceName ?? "",
                e.actor.name ?? e.actor.uid ?? "", e.sourceIP ?? "", e.outcome.rawValue, e.errorCode ?? "", e.eventID]
    }
}
