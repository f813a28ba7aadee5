import Foundation
import Logging
import ParapetCore
import ParapetStore
import ParapetTesting
import Testing
@testable import ParapetDaemon

@Suite struct DaemonRunOnceTests {
    static let policy = """
        title: Trail stopped
        id: t-stop
        level: high
        logsource: { product: aws, service: cloudtrail }
        detection:
          selection: { eventName: StopLogging }
          condition: selection
        """

    func record(_ id: String, _ name: String, account: String = "111122223333") -> String {
        #"{"eventVersion":"1.09","eventID":"\#(id)","eventTime":"2026-11-27T09:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"\#(name)","awsRegion":"eu-west-1","recipientAccountId":"\#(account)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/a","accountId":"\#(account)","userName":"a"},"requestParameters":{"name":"main"},"sourceIPAddress":"203.0.113.1","userAgent":"cli"}"#
    }

    func configuration(_ directory: TemporaryDirectory, extra: String = "") throws -> ParapetConfiguration {
        try directory.write("policies/p.yaml", Self.policy)
        let text = """
            database: state/p.db
            policies: [policies]
            http: { listen: off }
            health: { failing_after: 0s }
            teams: { payments: {} }
            outputs: { log: state/violations.jsonl }
            accounts:
              - { provider: aws, id: "111122223333", team: payments, source: { type: file, path: logs } }
            \(extra)
            """
        let file = try directory.write("parapet.yaml", text)
        return try ParapetConfiguration.load(file: file.path)
    }

    @Test func aFailingSourceRaisesAFeedHealthViolationThatResolvesWhenItRecovers() async throws {
        // Given a file source whose folder does not exist yet
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try Daemon.prepare(configuration: try configuration(directory), logger: Logger(label: "test"))

        // When a cycle runs, the source fails and feed health flags it
        let first = await daemon.runOnce()
        #expect(first.failures.count == 1)
        let open = try daemon.store.violations(ViolationFilter(policyID: "parapet-feed-health"))
        #expect(open.count == 1)
        #expect(open.first?.status == .open)
        #expect(open.first?.team == "payments")
        #expect(open.first?.resource == "aws/111122223333/file")

        // A second failing cycle does not double it
        _ = await daemon.runOnce()
        #expect(try daemon.store.violations(ViolationFilter(policyID: "parapet-feed-health")).count == 1)

        // When the source recovers
        try directory.write("logs/a.jsonl", record("e1", "StopLogging") + "\n")
        let third = await daemon.runOnce()
        #expect(third.failures.isEmpty)
        #expect(third.summary.violationsOpened.count == 1)
        let healed = try daemon.store.violations(ViolationFilter(policyID: "parapet-feed-health"))
        #expect(healed.first?.status == .resolved)

        // And the violation log got the opened and resolved messages
        let log = try String(contentsOf: directory.file("state/violations.jsonl"), encoding: .utf8)
        #expect(log.contains("dev.parapet.violation.opened"))
        #expect(log.contains("dev.parapet.violation.resolved"))
    }

    @Test func oneBrokenSourceDoesNotStopTheOthers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("logs/a.jsonl", record("e1", "StopLogging") + "\n{broken json\n" + record("e2", "DescribeTrails") + "\n")
        try directory.write("other/b.jsonl", record("e3", "StopLogging", account: "444455556666") + "\n")
        let config = try configuration(directory, extra: """
              - { provider: aws, id: "444455556666", source: { type: file, path: other } }
              - { provider: aws, id: "777788889999", source: { type: file, path: missing } }
            """)
        let daemon = try Daemon.prepare(configuration: config, logger: Logger(label: "test"))
        let report = await daemon.runOnce()
        #expect(report.failures.map(\.source) == ["aws/777788889999/file"])
        #expect(report.summary.inserted == 3)
        #expect(report.summary.quarantined == 1)
        let quarantined = try daemon.store.quarantined(sourceID: "aws/111122223333/file")
        #expect(quarantined.first?.location.hasSuffix("a.jsonl:2") == true)
        let stop = try daemon.store.violations(ViolationFilter(policyID: "t-stop"))
        #expect(stop.count == 2)
    }

    @Test func policiesWithErrorsRefuseToStartWithEveryDiagnostic() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = try configuration(directory)
        try directory.write("policies/bad.yaml", "title: bad\nid: bad\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  sel: { eventName|startwith: X }\n  condition: sel and missing\n")
        config = try ParapetConfiguration.load(file: directory.file("parapet.yaml").path)
        do {
            _ = try Daemon.prepare(configuration: config, logger: Logger(label: "test"))
            Issue.record("prepare should fail")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("bad.yaml:5"))
            #expect(message.contains("startswith"))
        }
    }

    @Test func aMissingWebhookSecretRefusesToStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("policies/p.yaml", Self.policy)
        let file = try directory.write("parapet.yaml", """
            database: p.db
            policies: [policies]
            outputs: { webhook: { url: https://hooks.example.com/x, secret_file: /nonexistent/secret } }
            """)
        #expect(throws: DaemonError.self) {
            _ = try Daemon.prepare(configuration: try ParapetConfiguration.load(file: file.path), logger: Logger(label: "test"))
        }
    }
}
