import ArgumentParser
import Foundation
import ParapetCore
import ParapetDaemon
import ParapetPolicy
import ParapetStore

/// `parapet policy backtest PATH… [--since 30d]`: what new or changed policies would have
/// flagged over the events already stored — counts by policy, account and team, and the first
/// matches. Records nothing.
struct PolicyBacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Evaluate policies over the stored events and show what they would have flagged (records nothing).")

    @Argument(help: "Policy files or directories to try.") var paths: [String]
    @Option(help: "Configuration file (database, accounts for team/OU context, placeholders).") var config: String?
    @Option(help: "SQLite database (overrides the configuration's).") var database: String?
    @Option(help: "How far back: a duration (30d, 24h) or an RFC 3339 time.") var since: String = "30d"
    @Option(help: "How many example matches to show.") var examples: Int = 10
    @Option(help: "table or json.") var format: TextOrJSON = .table

    func run() async throws {
        let configurationPath = config ?? (database == nil ? ParapetConfiguration.defaultPath() : nil)
        let configuration = try configurationPath.map { try ParapetConfiguration.load(file: $0) }
        let loaded = PolicyLoader(expansions: configuration?.placeholders ?? [:]).load(paths: paths)
        for diagnostic in loaded.diagnostics { printError(diagnostic.rendered) }
        if loaded.hasErrors { throw ExitCode.failure }
        guard let databasePath = database ?? configuration?.database else {
            throw ValidationError("give --config or --database")
        }
        let store = try Store.openReadOnly(path: databasePath)
        let accounts = AccountDirectory(configured: configuration?.accounts.map(\.account) ?? [])
        guard let start = try parseSince(since) else { throw ValidationError("--since is required") }

        var byPolicy: [String: Int] = [:], byAccount: [String: Int] = [:], byTeam: [String: Int] = [:]
        var firstMatches: [(PolicyMatch, AuditEvent, AccountContext)] = []
        var scanned = 0
        var until: Date? = nil
        var seen: Set<Int64> = []
        let now = Date()
        while true {
            let page = try store.events(EventFilter(since: start, until: until.map { $0.addingTimeInterval(0.000_001) }, limit: 5_000))
            let fresh = page.filter { !seen.contains($0.id) }
            if fresh.isEmpty { break }
            for record in fresh {
                seen.insert(record.id)
                scanned += 1
                let context = accounts.context(for: record.event)
                for match in loaded.policySet.evaluate(record.event, context: context, now: now) where match.kind == .violation {
                    byPolicy[match.policy.id, default: 0] += 1
                    byAccount[record.event.account, default: 0] += 1
                    byTeam[context.account.team ?? "(no team)", default: 0] += 1
                    if firstMatches.count < examples { firstMatches.append((match, record.event, context)) }
                }
            }
            if page.count < 5_000 { break }
            until = page.last?.event.time
        }

        if format == .json {
            let object: JSONValue = [
                "events_scanned": .number(Double(scanned)),
                "since": .string(ISO8601.string(from: start)),
                "by_policy": .object(JSONObject(byPolicy.mapValues { .number(Double($0)) })),
                "by_account": .object(JSONObject(byAccount.mapValues { .number(Double($0)) })),
                "by_team": .object(JSONObject(byTeam.mapValues { .number(Double($0)) })),
                "examples": .array(firstMatches.map { match, event, context in
                    ["policy": .string(match.policy.id), "event": .string(event.eventID), "account": .string(event.account),
                     "team": context.account.team.map(JSONValue.string) ?? .null, "operation": .string(event.operation),
                     "time": .string(ISO8601.string(from: event.time))]
                }),
            ]
            print(object.serialized())
            return
        }
        print("\(scanned) stored event\(scanned == 1 ? "" : "s") since \(ISO8601.string(from: start)); \(byPolicy.values.reduce(0, +)) would-be violations")
        for (title, counts) in [("POLICY", byPolicy), ("ACCOUNT", byAccount), ("TEAM", byTeam)] where !counts.isEmpty {
            var table = TextTable([title, "MATCHES"])
            for (key, count) in counts.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { table.add([key, String(count)]) }
            print("")
            print(table.render())
        }
        if !firstMatches.isEmpty {
            var table = TextTable(["TIME", "POLICY", "ACCOUNT", "TEAM", "OPERATION", "EVENT ID"])
            for (match, event, context) in firstMatches {
                table.add([ISO8601.string(from: event.time), match.policy.id, event.account, context.account.team ?? "",
                           event.operation, event.eventID])
            }
            print("")
            print(table.render())
        }
    }
}
