import Foundation
import GRDB
import ParapetCore

extension Store {
    /// Moves a violation through its lifecycle (`parapet violations ack|resolve`): acknowledge an
    /// open one, reopen an acknowledged one, resolve or suppress an open or acknowledged one.
    /// Resolving queues a `resolved` delivery to every route the violation was opened for.
    @discardableResult
    public func setStatus(
        violationID: Int64, status: ViolationStatus, by: String, note: String?, now: Date
    ) throws -> ViolationRecord {
        try write("change the status of violation \(violationID)") { db in
            guard let current = try ViolationRecord.fetchOne(db, key: violationID) else {
                throw StoreError(.unknownID, "no violation with id \(violationID) — list them with `parapet violations`")
            }
            guard Store.allows(from: current.status, to: status) else {
                throw StoreError(
                    .invalidTransition,
                    "violation \(violationID) is \(current.status.rawValue); it cannot become \(status.rawValue)")
            }
            try db.execute(
                sql: """
                    UPDATE violation SET status = ?, status_changed_at = ?, status_by = ?, status_note = ?
                    WHERE id = ?
                    """, arguments: [status.rawValue, now.epoch, by, note, violationID])
            if status == .resolved {
                _ = try Outbox.enqueue(db, violationID: violationID, routes: current.routes, kind: .resolved, now: now)
            }
            guard let updated = try ViolationRecord.fetchOne(db, key: violationID) else {
                throw StoreError(.unknownID, "violation \(violationID) disappeared while its status changed")
            }
            return updated
        }
    }

    /// The lifecycle's allowed moves.
    static func allows(from: ViolationStatus, to: ViolationStatus) -> Bool {
        switch (from, to) {
        case (.open, .acknowledged), (.acknowledged, .open): true
        case (.open, .resolved), (.acknowledged, .resolved): true
        case (.open, .suppressed), (.acknowledged, .suppressed): true
        default: false
        }
    }
}
