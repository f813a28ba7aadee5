import Foundation
import ParapetTesting

/// A temporary daemon setup over `DurabilityLogs`: four AWS accounts read from JSON-lines files,
/// polled every second; with a base URL, a default webhook route and the payments team's route
/// (high and above), signed with `secret`.
struct DurabilityExample {
    let directory: TemporaryDirectory
    var config: String { directory.file("parapet.yaml").path }

    init(logs: DurabilityLogs, baseURL: URL?, secret: String?) throws {
        directory = try TemporaryDirectory(prefix: "parapet-durability")
        try logs.write(into: directory)
        var teams = "teams:\n  payments: {}\n  platform: {}\n"
        var outputs = ""
        if let baseURL, let secret {
            try directory.write("webhook-secret", secret + "\n")
            teams = """
                teams:
                  payments: { webhook: \(baseURL.absoluteString)/payments, secret_file: webhook-secret, min_severity: high }
                  platform: {}

                """
            outputs = "outputs:\n  webhook: { url: \(baseURL.absoluteString)/hook, secret_file: webhook-secret }\n"
        }
        let accounts = DurabilityLogs.accounts.map { account in
            "  - { provider: aws, id: \"\(account.id)\", team: \(account.team), source: { type: file, path: logs/\(account.id), feed: cloudtrail } }"
        }.joined(separator: "\n")
        try directory.write("parapet.yaml", """
            database: state/parapet.db
            policies: [policies]
            poll: { interval: 1s, concurrency: 4 }
            http: { listen: off }
            \(teams)\(outputs)accounts:
            \(accounts)

            """)
    }

    func remove() { directory.remove() }

    var daemonArguments: [String] { ["run", "--config", config, "--log-format", "json"] }
}
