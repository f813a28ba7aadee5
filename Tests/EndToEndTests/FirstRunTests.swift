import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// The first end-to-end run, as a user does it: a configuration with file sources for three
/// teams' accounts → `parapet run --once` → violations listed by the CLI → a second run adds nothing.
@Suite(.serialized) struct FirstRunTests {
    static let stopLoggingPolicy = """
        title: CloudTrail logging must not be stopped
        id: test-cloudtrail-stop
        level: critical
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection:
            eventSource: cloudtrail.amazonaws.com
            eventName: StopLogging
          condition: selection
        parapet:
          controls: [CT.CLOUDTRAIL.PR.1]
          remediation: Start the trail again.
          resolves_on: { eventSource: cloudtrail.amazonaws.com, eventName: StartLogging }
        ---
        title: Firewall open to the world (GCP)
        id: test-gcp-firewall
        level: high
        logsource: { product: gcp, service: gcp.audit }
        detection:
          selection:
            protoPayload.methodName|endswith: .firewalls.insert
            protoPayload.request.sourceRanges: 0.0.0.0/0
          condition: selection
        ---
        title: Role assignment written (Azure)
        id: test-azure-role-assignment
        level: medium
        logsource: { product: azure, service: activitylogs }
        detection:
          selection:
            operationName|contains: roleassignments/write
          condition: selection
        """

    /// A temporary copy of the bundled example with its own policies, database and log.
    static func makeExample() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "parapet-e2e")
        try FileManager.default.copyItem(
            at: PackagePaths.root.appendingPathComponent("examples/logs"), to: directory.file("logs"))
        try directory.write("policies/test.yaml", stopLoggingPolicy)
        var config = try String(contentsOf: PackagePaths.root.appendingPathComponent("examples/parapet.yaml"), encoding: .utf8)
        config = config.replacingOccurrences(of: "database: ../.parapet-demo/parapet.db", with: "database: state/parapet.db")
        config = config.replacingOccurrences(of: "policies: [../policies]", with: "policies: [policies]")
        config = config.replacingOccurrences(of: "log: ../.parapet-demo/violations.jsonl", with: "log: state/violations.jsonl")
        try directory.write("parapet.yaml", config)
        return directory
    }

    @Test func runOnceFindsViolationsAndASecondRunAddsNothing() async throws {
        // Given the example accounts of three teams with exported logs
        let example = try Self.makeExample()
        defer { example.remove() }
        let config = example.file("parapet.yaml").path

        // When the daemon runs one cycle
        let first = try await CommandRunner.parapet(["run", "--config", config, "--once"])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.contains("polled 4 sources: 21 new events"), "\(first.stdout)")

        // Then the CLI lists the violations with their team and account
        let listed = try await CommandRunner.parapet(["violations", "--config", config, "--format", "json"])
        #expect(listed.status == 0, "stderr: \(listed.stderr)")
        let violations = try listed.stdoutLines.map { try JSONValue(parsing: $0) }
        let byPolicy = Dictionary(grouping: violations) { $0.value(atPath: "policy.id")?.stringValue ?? "" }
        let stop = try #require(byPolicy["test-cloudtrail-stop"]?.first)
        #expect(stop.value(atPath: "account.team") == "payments")
        #expect(stop.value(atPath: "account.id") == "111122223333")
        // StartLogging came later in the same file: the violation is resolved automatically.
        #expect(stop["status"] == "resolved")
        #expect(byPolicy["test-gcp-firewall"]?.first?.value(atPath: "account.team") == "analytics")
        #expect(byPolicy["test-azure-role-assignment"]?.first?.value(atPath: "account.team") == "platform")

        // And the command each violation gives to show its event (bounded by `--since`) finds that event
        for violation in violations {
            let show = try #require(violation.value(atPath: "event.show")?.stringValue)
            #expect(show.contains(" --since "), "\(show)")
            let found = try await CommandRunner.parapet(show.split(separator: " ").dropFirst().map(String.init) + ["--config", config])
            #expect(found.status == 0 && found.stdoutLines.count == 1, "\(show): \(found.stdout) \(found.stderr)")
            let shown = try JSONValue(parsing: try #require(found.stdoutLines.first))
            #expect(shown.value(atPath: "metadata.uid") == violation.value(atPath: "event.id"), "\(show)")
        }

        // And the violation log holds one line per opened violation message
        let log = try String(contentsOf: example.file("state/violations.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count >= 3)

        // When it runs again over the same files
        let second = try await CommandRunner.parapet(["run", "--config", config, "--once"])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stdout.contains("0 new events"), "\(second.stdout)")

        // Then nothing is added
        let again = try await CommandRunner.parapet(["violations", "--config", config, "--format", "json"])
        #expect(again.stdoutLines.count == violations.count)
        let events = try await CommandRunner.parapet(["events", "--config", config, "--format", "json", "--limit", "1000"])
        #expect(events.stdoutLines.count == 21)
        let firstLine = try #require(events.stdoutLines.first)
        let first_event = try JSONValue(parsing: firstLine)
        #expect(first_event["raw"]?.objectValue != nil)
        #expect(first_event.value(atPath: "api.operation")?.stringValue != nil)
    }

    @Test func listingFormatsAndShow() async throws {
        let example = try Self.makeExample()
        defer { example.remove() }
        let config = example.file("parapet.yaml").path
        _ = try await CommandRunner.parapet(["run", "--config", config, "--once"])

        let table = try await CommandRunner.parapet(["violations", "--config", config])
        #expect(table.status == 0)
        #expect(table.stdout.contains("POLICY"))
        #expect(table.stdout.contains("test-gcp-firewall"))

        let csv = try await CommandRunner.parapet(["violations", "list", "--config", config, "--format", "csv", "--team", "analytics"])
        #expect(csv.stdoutLines.first?.hasPrefix("id,first_seen,severity") == true)
        #expect(csv.stdoutLines.count == 2)

        let sources = try await CommandRunner.parapet(["sources", "--config", config, "--format", "json"])
        let rows = try sources.stdoutLines.map { try JSONValue(parsing: $0) }
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0["healthy"] == true && $0["cursor"]?.stringValue != nil })

        let json = try await CommandRunner.parapet(["violations", "--config", config, "--format", "json", "--policy", "test-gcp-firewall"])
        let line = try #require(json.stdoutLines.first)
        let id = try #require(try JSONValue(parsing: line)["id"]?.numberValue)
        let show = try await CommandRunner.parapet(["violations", "show", String(Int(id)), "--config", config])
        #expect(show.status == 0)
        #expect(show.stdout.contains("v1.compute.firewalls.insert"))
        #expect(show.stdout.contains("\"insertId\""))

        let ack = try await CommandRunner.parapet(["violations", "ack", String(Int(id)), "--config", config, "--note", "looking", "--by", "tester"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let acked = try await CommandRunner.parapet(["violations", "--config", config, "--status", "acknowledged", "--format", "json"])
        #expect(acked.stdoutLines.count == 1)
    }

    @Test func aConfigurationTypoIsAnErrorWithFileAndLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try directory.write("parapet.yaml", "database: x.db\npoll:\n  intervall: 60s\n")
        let result = try await CommandRunner.parapet(["run", "--config", config.path, "--once"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("parapet.yaml:3:3: unknown key 'poll.intervall' — did you mean 'interval'?"), "\(result.stderr)")
    }

    @Test func aDatabaseThatIsNotADatabaseIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bogus = try directory.write("not.db", String(repeating: "this is not sqlite\n", count: 200))
        let result = try await CommandRunner.parapet(["violations", "--database", bogus.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(bogus.path), "\(result.stderr)")
    }
}
