import ArgumentParser
import Foundation
import ParapetCore
import ParapetStore

/// `parapet sources`
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Every source: health, last poll, lag, events read, quarantined, last error.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "table or json (one object per line).") var format: TextOrJSON = .table

    func run() async throws {
        let sources = try database.openReadOnly().sources()
        let now = Date()
        switch format {
        case .json:
            for s in sources {
                var object: JSONObject = [
                    "id": .string(s.id), "provider": .string(s.provider.rawValue), "healthy": .bool(s.healthy),
                    "events_read": .number(Double(s.eventsRead)), "events_inserted": .number(Double(s.eventsInserted)),
                    "quarantined": .number(Double(s.quarantined)),
                    "consecutive_failures": .number(Double(s.consecutiveFailures)),
                ]
                object["cursor"] = s.cursor.map { .string($0.rawValue) } ?? .null
                object["last_poll"] = s.lastPollAt.map { .string(ISO8601.string(from: $0)) } ?? .null
                object["last_success"] = s.lastSuccessAt.map { .string(ISO8601.string(from: $0)) } ?? .null
                object["newest_event"] = s.newestEventAt.map { .string(ISO8601.string(from: $0)) } ?? .null
                object["lag_seconds"] = s.newestEventAt.map { .number(now.timeIntervalSince($0).rounded()) } ?? .null
                object["last_error"] = s.lastError.map(JSONValue.string) ?? .null
                print(JSONValue.object(object).serialized())
            }
        case .table:
            var table = TextTable(["SOURCE", "HEALTH", "LAST POLL", "LAG", "EVENTS", "QUARANTINED", "LAST ERROR"])
            table.maxWidth = 60
            for s in sources {
                table.add([
                    s.id, s.healthy ? "ok" : "failing (\(s.consecutiveFailures))",
                    s.lastPollAt.map { ISO8601.string(from: $0) } ?? "never",
                    s.newestEventAt.map { DurationText.format(max(0, now.timeIntervalSince($0))) } ?? "-",
                    String(s.eventsInserted), String(s.quarantined), s.lastError ?? "",
                ])
            }
            print(table.render())
            print("\(sources.count) source\(sources.count == 1 ? "" : "s"), \(sources.filter { !$0.healthy }.count) failing")
        }
    }
}
