import ArgumentParser
import Foundation
import ParapetCore
import ParapetDaemon
import ParapetPolicy
import ParapetProviders

/// `parapet replay FILE…`: evaluates exported logs offline, without a database or daemon.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Evaluate exported logs (CloudTrail .json/.json.gz, JSON lines, GCP/Azure exports) against policies, offline.")

    @Argument(help: "Files or folders of exported logs.") var paths: [String]
    @Option(name: .long, parsing: .upToNextOption, help: "Policy files or folders (default: ./policies).") var policies: [String] = []
    @Option(help: "Configuration file for account context (teams, OUs) and placeholders (optional).") var config: String?
    @Option(help: "Treat every record as this feed: cloudtrail, gcp.audit, azure.activitylogs (default: detected per record).")
    var feed: String?
    @Option(help: "table, or json (one object per match per line).") var format: TextOrJSON = .table

    func run() async throws {
        var policyPaths = policies
        var placeholders: [String: [String]] = [:]
        var accounts = AccountDirectory()
        if let config {
            let configuration = try ParapetConfiguration.load(file: config)
            placeholders = configuration.placeholders
            accounts = AccountDirectory(configured: configuration.accounts.map(\.account))
            if policyPaths.isEmpty { policyPaths = configuration.policies }
        }
        if policyPaths.isEmpty { policyPaths = ["policies"] }
        var forcedFeed: Feed?
        if let feed {
            guard let value = Feed(rawValue: feed) ?? ["aws": .cloudtrail, "gcp": .gcpAudit, "azure": .azureActivity][feed] else {
                throw ValidationError("--feed must be cloudtrail, gcp.audit or azure.activitylogs")
            }
            forcedFeed = value
        }
        let loaded = PolicyLoader(expansions: placeholders).load(paths: policyPaths)
        for diagnostic in loaded.diagnostics where diagnostic.severity == .error { printError(diagnostic.rendered) }
        if loaded.hasErrors { throw ExitCode.failure }
        let policySet = loaded.policySet

        var records = 0, matches = 0, quarantined = 0, failedFiles = 0
        var table = TextTable(["LOCATION", "SEVERITY", "POLICY", "ACCOUNT", "OPERATION", "ACTOR", "EVENT ID"])
        var output = BufferedOutput()
        let now = Date()
        for path in paths {
            let files: [String]
            do {
                files = try ExportFiles.list(path)
            } catch {
                printError("parapet: \(error)")
                failedFiles += 1
                continue
            }
            for file in files {
                do {
                    let reader = try ExportReader(path: file, feed: forcedFeed)
                    while let record = try reader.next() {
                        records += 1
                        switch record.outcome {
                        case .quarantined(let reason, _):
                            quarantined += 1
                            printError("\(record.location): quarantined: \(reason)")
                        case .event(let event):
                            let context = accounts.context(for: event)
                            for match in policySet.evaluate(event, context: context, now: now) where match.kind == .violation {
                                matches += 1
                                if format == .json {
                                    output.write(Self.json(match, event, context, record.location).serialized())
                                } else {
                                    table.add([record.location.description, match.policy.severity.rawValue, match.policy.id,
                                               event.account, event.operation, event.actor.name ?? event.actor.uid ?? "", event.eventID])
                                }
                            }
                        }
                    }
                } catch {
                    failedFiles += 1
                    printError("parapet: \(error)")
                }
            }
        }
        output.flush()
        if format == .table {
            if matches > 0 { print(table.render()) }
            print("\(records) record\(records == 1 ? "" : "s"), \(matches) match\(matches == 1 ? "" : "es"), \(quarantined) quarantined, \(loaded.policySet.policies.count) policies")
        } else {
            printError("\(records) records, \(matches) matches, \(quarantined) quarantined")
        }
        if failedFiles > 0 { throw ExitCode.failure }
    }

    static func json(_ match: PolicyMatch, _ event: AuditEvent, _ context: AccountContext, _ location: RecordLocation) -> JSONValue {
        var locationObject: JSONObject = ["file": .string(location.path)]
        if let line = location.line { locationObject["line"] = .number(Double(line)) }
        if let index = location.index { locationObject["index"] = .number(Double(index)) }
        var account: JSONObject = ["id": .string(event.account)]
        if let team = context.account.team { account["team"] = .string(team) }
        if let name = context.account.name { account["name"] = .string(name) }
        if let ou = context.account.ou { account["ou"] = .string(ou) }
        return [
            "policy": ["id": .string(match.policy.id), "title": .string(match.policy.title)],
            "severity": .string(match.policy.severity.rawValue),
            "event": [
                "id": .string(event.eventID), "provider": .string(event.provider.rawValue), "feed": .string(event.feed.rawValue),
                "time": .string(ISO8601.string(from: event.time)), "operation": .string(event.operation),
            ],
            "account": .object(account),
            "resource": .string(match.resource),
            "location": .object(locationObject),
        ]
    }
}

/// Batches stdout writes (replay prints many lines).
struct BufferedOutput {
    private var buffer = Data()

    mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
