import Foundation
import ParapetCore
import ParapetTesting

/// The `parapet` binary run as a user runs it against one configuration file, with only the
/// environment given (the AWS keys, a private HOME): `run --once` and the JSON listings.
struct CloudCLI: Sendable {
    let directory: TemporaryDirectory
    var environment: [String: String] = [:]

    var config: String { directory.file("parapet.yaml").path }

    /// Writes the configuration (relative paths in it are relative to the temporary directory).
    func write(config text: String) throws { try directory.write("parapet.yaml", text) }

    var processEnvironment: [String: String] {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path,
                   "AWS_EC2_METADATA_DISABLED": "true"]
        env.merge(environment) { $1 }
        return env
    }

    func run(_ arguments: [String]) async throws -> CommandResult {
        try await CommandRunner.parapet(arguments, environment: processEnvironment, currentDirectory: directory.url, timeout: 60)
    }

    /// `parapet run --config F --once`.
    func runOnce() async throws -> CommandResult { try await run(["run", "--config", config, "--once"]) }

    /// `parapet events --format json`, every stored event (with `raw` and `source_id`).
    func events(_ filters: [String] = []) async throws -> [JSONValue] {
        try await lines(["events", "--config", config, "--format", "json", "--limit", "100000"] + filters)
    }

    /// `parapet violations --format json`.
    func violations(_ filters: [String] = []) async throws -> [JSONValue] {
        try await lines(["violations", "--config", config, "--format", "json"] + filters)
    }

    /// `parapet sources --format json`, by source id.
    func sources() async throws -> [String: JSONValue] {
        let rows = try await lines(["sources", "--config", config, "--format", "json"])
        return Dictionary(rows.map { ($0["id"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func lines(_ arguments: [String]) async throws -> [JSONValue] {
        let result = try await run(arguments)
        guard result.status == 0 else {
            throw CloudTestFailure("parapet \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return try result.stdoutLines.map { try JSONValue(parsing: $0) }
    }
}

extension Array where Element == JSONValue {
    /// The raw provider event ids of `parapet events` rows (`raw.eventID`, `raw.insertId`, `raw.eventDataId`).
    var rawEventIDs: [String] {
        compactMap { row in
            guard let raw = row["raw"] else { return nil }
            return (raw["eventID"] ?? raw["insertId"] ?? raw["eventDataId"])?.stringValue
        }
    }

    /// Violations of `policy`.
    func of(policy: String) -> [JSONValue] { filter { $0.value(atPath: "policy.id")?.stringValue == policy } }
}
