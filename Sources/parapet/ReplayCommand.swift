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
    @Option(help: "Pieces of work read at once, each on a core of its own: batches of about 1 MB of JSON lines, whole documents (default: the processor's cores, at most one thread per core runs); the output is the same, in the same order, for any number.")
    var jobs: Int?

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

        let evaluator = ReplayEvaluator(policySet: policySet, accounts: accounts, feed: forcedFeed, format: format, now: Date())
        let printer = ReplayPrinter(format: format)
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        for path in paths {
            let files: [String]
            do {
                files = try ExportFiles.list(path)
            } catch {
                printer.fail("parapet: \(error)")
                continue
            }
            if jobs > 1 {
                await evaluator.replay(files, jobs: jobs, printer: printer)
            } else {
                for file in files { evaluator.replay(file, printer: printer) }
            }
        }
        printer.finish(policies: loaded.policySet.policies.count)
        if printer.failedFiles > 0 { throw ExitCode.failure }
    }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
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

    /// Appends `bytes` (whole lines, each with its newline).
    mutating func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
