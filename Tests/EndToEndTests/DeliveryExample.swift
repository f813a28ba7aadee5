import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// The bundled example (three teams' exported logs, the repository's policies) with webhook
/// outputs to a test receiver: every violation to `BASE/hook`, the payments team's high and
/// critical ones also to `BASE/payments`, both signed with the receiver's secret.
struct DeliveryExample {
    let directory: TemporaryDirectory
    var config: String { directory.file("parapet.yaml").path }

    init(baseURL: URL, secret: String, poll: String = "60s") throws {
        directory = try TemporaryDirectory(prefix: "parapet-delivery")
        try FileManager.default.copyItem(
            at: PackagePaths.root.appendingPathComponent("examples/logs"), to: directory.file("logs"))
        try directory.write("webhook-secret", secret + "\n")
        try directory.write("parapet.yaml", """
            database: state/parapet.db
            policies: [\(PackagePaths.root.appendingPathComponent("policies").path)]
            placeholders:
              allowed_regions: [eu-west-1, us-east-1]
            poll: { interval: \(poll), concurrency: 4 }
            http: { listen: off }
            teams:
              payments: { webhook: \(baseURL.absoluteString)/payments, secret_file: webhook-secret, min_severity: high }
              platform: {}
              analytics: {}
            outputs:
              webhook: { url: \(baseURL.absoluteString)/hook, secret_file: webhook-secret }
            accounts:
              - { provider: aws, id: "111122223333", name: payments-prod, team: payments, ou: Root/Workloads/Payments/Prod,
                  source: { type: file, path: logs/aws-payments } }
              - { provider: aws, id: "444455556666", name: platform-shared, team: platform, ou: Root/Infrastructure/Shared,
                  source: { type: file, path: logs/aws-platform, feed: cloudtrail } }
              - { provider: gcp, id: analytics-prod-4711, name: analytics-prod, team: analytics, ou: Root/Data,
                  source: { type: file, path: logs/gcp-analytics } }
              - { provider: azure, id: 5e1f6a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b, name: platform-azure, team: platform, ou: tenant/mg-platform,
                  source: { type: file, path: logs/azure-platform } }
            """)
    }

    func remove() { directory.remove() }

    /// `parapet run --once`, which must succeed.
    func runOnce() async throws {
        let result = try await CommandRunner.parapet(["run", "--config", config, "--once"])
        try #require(result.status == 0, "parapet run --once failed: \(result.stderr)")
    }

    /// A CLI command with `--format json`: one object per line.
    func json(_ arguments: [String]) async throws -> [JSONValue] {
        try await CLIJSON.lines(arguments + ["--config", config])
    }

    func violations() async throws -> [JSONValue] {
        try await json(["violations", "--format", "json", "--limit", "100000"])
    }

    func deliveries(dead: Bool = false) async throws -> [JSONValue] {
        try await json(["deliveries", "--format", "json", "--limit", "100000"] + (dead ? ["--dead"] : []))
    }

    /// The paths a violation's opened message must reach: `/hook` always, `/payments` for the
    /// payments team's high and critical violations. Suppressed violations are not sent.
    static func expectedPaths(of violation: JSONValue) -> [String] {
        guard violation["status"]?.stringValue != "suppressed" else { return [] }
        let severity = violation["severity"]?.stringValue.flatMap(Severity.init(rawValue:)) ?? .informational
        let team = violation.value(atPath: "account.team")?.stringValue
        return team == "payments" && severity >= .high ? ["/hook", "/payments"] : ["/hook"]
    }
}

/// Runs the CLI and parses its JSON-lines output.
enum CLIJSON {
    static func lines(_ arguments: [String]) async throws -> [JSONValue] {
        let result = try await CommandRunner.parapet(arguments)
        try #require(result.status == 0, "parapet \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return try result.stdoutLines.map { try JSONValue(parsing: $0) }
    }
}

extension JSONValue {
    /// A numeric member as an integer (ids).
    func int(_ key: String) -> Int? { self[key]?.numberValue.map { Int($0) } }
}

/// A message the receiver accepted, keyed for comparison: (path, violation id, CloudEvents type).
struct MessageKey: Hashable, CustomStringConvertible {
    var path: String
    var violation: Int
    var type: String

    init(path: String, violation: Int, type: String) {
        self.path = path
        self.violation = violation
        self.type = type
    }

    init?(_ webhook: ReceivedWebhook) {
        guard let id = webhook.data?.value(atPath: "violation.id")?.numberValue, let type = webhook.type else { return nil }
        self.init(path: webhook.path, violation: Int(id), type: type)
    }

    var description: String { "\(type) #\(violation) → \(path)" }
}

enum CloudEventType {
    static let opened = "dev.parapet.violation.opened"
    static let resolved = "dev.parapet.violation.resolved"
}
