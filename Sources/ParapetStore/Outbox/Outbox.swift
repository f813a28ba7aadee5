import Foundation
import GRDB
import ParapetCore

/// Writes outbox rows, inside the transaction that changed the violation.
enum Outbox {
    /// One pending delivery per distinct route, due at `now`; returns how many were written
    /// (a violation is notified at most once per route and kind).
    static func enqueue(
        _ db: Database, violationID: Int64, routes: [String], kind: ParapetCore.Notification.Kind, now: Date
    ) throws -> Int {
        var seen: Set<String> = []
        var created = 0
        let statement = try db.cachedStatement(sql: """
            INSERT INTO delivery (id, violation_id, route, kind, state, attempts, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
            ON CONFLICT(violation_id, route, kind) DO NOTHING
            """)
        for route in routes where seen.insert(route).inserted {
            try statement.execute(arguments: [
                UUID().uuidString.lowercased(), violationID, route, kind.rawValue, now.epoch, now.epoch,
            ])
            created += db.changesCount
        }
        return created
    }
}
