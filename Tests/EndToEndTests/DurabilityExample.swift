import Foundation
import ParapetTesting

/// A temporary daemon setup over `DurabilityLogs`: four AWS accounts read from JSON-lines files,
/// polled every second; with a base URL, a default webhook route and the payments team's route
/// (high and above), signed with `secret`.
struct DurabilityExample {
    let directory: TemporaryDirectory
    var config: String { directory.file("parapet.yaml").path }

    /// With `staged`, the logs are written under `staged/` and the sources' folders start empty,
    /// until `releaseLogs()` moves them in; `httpPort` switches the HTTP endpoint on.
    init(logs: DurabilityLogs, baseURL: URL?, secret: String?, staged: Bool = false, httpPort: Int? = nil) throws {
        directory = try TemporaryDirectory(prefix: "parapet-durability")
        try logs.write(into: directory)
        if staged {
            try FileManager.default.moveItem(at: directory.file("logs"), to: directory.file("staged"))
            for account in DurabilityLogs.accounts {
                try FileManager.default.createDirectory(at: directory.file("logs/\(account.id)"), withIntermediateDirectories: true)
            }
        }
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
            http: { listen: \(httpPort.map { "127.0.0.1:\($0)" } ?? "off") }
            \(teams)\(outputs)accounts:
            \(accounts)

            """)
    }

    func remove() { directory.remove() }

    /// Moves the staged log files (those whose name `matching` accepts) into the sources'
    /// folders (renames: each file appears whole).
    func releaseLogs(matching: (String) -> Bool = { _ in true }) throws {
        for account in DurabilityLogs.accounts {
            let staged = directory.file("staged/\(account.id)")
            for name in try FileManager.default.contentsOfDirectory(atPath: staged.path).sorted() where matching(name) {
                try FileManager.default.moveItem(at: staged.appendingPathComponent(name),
                                                 to: directory.file("logs/\(account.id)/\(name)"))
            }
        }
    }

    var daemonArguments: [String] { ["run", "--config", config, "--log-format", "json"] }
}
