import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// What a database holds, read through the CLI, in a form two runs can be compared by:
/// events by (account, event id), violations by (policy, account, event id, status, occurrences),
/// deliveries by their violation's key, route, kind and state. Ids and times differ between runs
/// and are left out.
struct DurabilitySnapshot: Equatable {
    var events: [String]
    var violations: [String]
    var deliveries: [String]
    /// Delivery id → route, for checking what a receiver got.
    var deliveryRoutes: [String: String]

    /// Reads the database through the CLI; a `launcher` (e.g. a `TmpfsNamespace`'s) runs the CLI
    /// where the database is visible.
    static func take(config: String, launcher: [String] = []) async throws -> DurabilitySnapshot {
        func lines(_ arguments: [String]) async throws -> [JSONValue] {
            guard let first = launcher.first else { return try await CLIJSON.lines(arguments) }
            let result = try await CommandRunner.run(URL(fileURLWithPath: first),
                                                     Array(launcher.dropFirst()) + [PackagePaths.parapetBinary.path] + arguments)
            try #require(result.status == 0, "parapet \(arguments.joined(separator: " ")) failed: \(result.stderr)")
            return try result.stdoutLines.map { try JSONValue(parsing: $0) }
        }
        let events = try await lines(["events", "--config", config, "--format", "json", "--limit", "1000000"])
        let violations = try await lines(["violations", "--config", config, "--format", "json", "--limit", "1000000"])
        let deliveries = try await lines(["deliveries", "--config", config, "--format", "json", "--limit", "1000000"])
        var keyByViolation: [Int: String] = [:]
        for violation in violations {
            keyByViolation[violation.int("id") ?? -1] = [
                violation.value(atPath: "policy.id")?.stringValue, violation.value(atPath: "account.id")?.stringValue,
                violation.value(atPath: "event.id")?.stringValue,
            ].map { $0 ?? "?" }.joined(separator: "|")
        }
        return DurabilitySnapshot(
            events: events.map {
                "\($0.value(atPath: "raw.recipientAccountId")?.stringValue ?? "?")|\($0.value(atPath: "raw.eventID")?.stringValue ?? "?")"
            }.sorted(),
            violations: violations.map { violation in
                "\(keyByViolation[violation.int("id") ?? -1] ?? "?")|\(violation["status"]?.stringValue ?? "?")|\(violation.int("occurrences") ?? 0)"
            }.sorted(),
            deliveries: deliveries.map { delivery in
                [keyByViolation[delivery.int("violation_id") ?? -1], delivery["route"]?.stringValue, delivery["kind"]?.stringValue,
                 delivery["state"]?.stringValue].map { $0 ?? "?" }.joined(separator: "|")
            }.sorted(),
            deliveryRoutes: Dictionary(deliveries.compactMap { delivery in
                delivery["id"]?.stringValue.map { ($0, delivery["route"]?.stringValue ?? "?") }
            }, uniquingKeysWith: { first, _ in first }))
    }

    static func == (lhs: DurabilitySnapshot, rhs: DurabilitySnapshot) -> Bool {
        lhs.events == rhs.events && lhs.violations == rhs.violations && lhs.deliveries == rhs.deliveries
    }

    /// The first few differences, for a failure message.
    func differences(from other: DurabilitySnapshot) -> String {
        func diff(_ name: String, _ a: [String], _ b: [String]) -> String? {
            let missing = Set(b).subtracting(a), extra = Set(a).subtracting(b)
            guard a.count != b.count || !missing.isEmpty || !extra.isEmpty else { return nil }
            return "\(name): \(a.count) vs \(b.count); missing \(missing.sorted().prefix(5)); extra \(extra.sorted().prefix(5))"
        }
        return [diff("events", events, other.events), diff("violations", violations, other.violations),
                diff("deliveries", deliveries, other.deliveries)].compactMap { $0 }.joined(separator: "\n")
    }
}
