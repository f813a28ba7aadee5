import Foundation
import GRDB
import ParapetCore

extension Store {
    /// Pending deliveries due at `now`, oldest due first, with their violation. A retry is never
    /// scheduled more than `horizon` ahead, so one further ahead than that was scheduled while the
    /// wall clock was ahead (it has since been set back): it is due now rather than days later.
    public func dueDeliveries(now: Date, limit: Int, horizon: TimeInterval = .infinity) throws -> [PendingDelivery] {
        try read("list due deliveries") { db in
            // Two index ranges rather than one OR (which would scan every pending row): the
            // mis-scheduled ones first (they are the most overdue), then those due by `now`.
            var due: [PendingDelivery] = []
            if horizon.isFinite {
                due = try pending(db, where: "delivery.next_attempt_at > ?", now.addingTimeInterval(horizon).epoch, limit: limit)
            }
            if due.count < limit {
                due += try pending(db, where: "delivery.next_attempt_at <= ?", now.epoch, limit: limit - due.count)
            }
            return due
        }
    }

    /// Pending deliveries whose `next_attempt_at` meets `condition` (a constant with one `?` for
    /// `bound`), in due order, with their violation.
    private func pending(_ db: Database, where condition: String, _ bound: Double, limit: Int) throws -> [PendingDelivery] {
        let width = try db.columns(in: DeliveryRecord.databaseTableName).count
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT delivery.*, violation.* FROM delivery
                JOIN violation ON violation.id = delivery.violation_id
                WHERE delivery.state = 'pending' AND \(condition)
                ORDER BY delivery.next_attempt_at, delivery.created_at, delivery.id
                LIMIT ?
                """,
            arguments: [bound, max(limit, 0)],
            adapter: ScopeAdapter([
                "delivery": RangeRowAdapter(0..<width),
                "violation": SuffixRowAdapter(fromIndex: width),
            ]))
        return try rows.map { row in
            let delivery = try DeliveryRecord(row: row.scopes["delivery"]!)
            let violation = try ViolationRecord(row: row.scopes["violation"]!)
            return PendingDelivery(delivery: delivery, subject: violation.account, data: violation.document)
        }
    }

    /// Records a successful attempt.
    public func markDelivered(id: String, now: Date) throws {
        try updateDelivery(id, "mark delivery \(id) delivered", sql: """
            UPDATE delivery SET state = 'delivered', attempts = attempts + 1, delivered_at = ?,
              next_attempt_at = NULL, last_error = NULL WHERE id = ?
            """, arguments: [now.epoch, id])
    }

    /// Records a failed attempt to be retried at `nextAttemptAt`. `error` must not contain secrets.
    public func markRetry(id: String, error: String, nextAttemptAt: Date) throws {
        try updateDelivery(id, "schedule a retry of delivery \(id)", sql: """
            UPDATE delivery SET state = 'pending', attempts = attempts + 1, last_error = ?, next_attempt_at = ?
            WHERE id = ?
            """, arguments: [error, nextAttemptAt.epoch, id])
    }

    /// Records a last failed attempt: the delivery becomes a dead letter until redelivered.
    public func markDead(id: String, error: String) throws {
        try updateDelivery(id, "dead-letter delivery \(id)", sql: """
            UPDATE delivery SET state = 'dead', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL
            WHERE id = ?
            """, arguments: [error, id])
    }

    /// Outbox rows, newest first: only dead letters (`true`), only the others (`false`), or all (`nil`).
    public func deliveries(dead: Bool?, limit: Int = 100) throws -> [DeliveryRecord] {
        typealias Columns = DeliveryRecord.Columns
        return try read("list deliveries") { db in
            var request = DeliveryRecord.all()
            switch dead {
            case true?: request = request.filter(Columns.state == DeliveryRecord.State.dead.rawValue)
            case false?: request = request.filter(Columns.state != DeliveryRecord.State.dead.rawValue)
            case nil: break
            }
            return try request.order(Columns.createdAt.desc, Columns.id.desc).limit(max(limit, 0)).fetchAll(db)
        }
    }

    /// Queues a delivery again (same id, attempts reset), due at `now`.
    public func redeliver(id: String, now: Date = Date()) throws {
        try updateDelivery(id, "redeliver \(id)", sql: """
            UPDATE delivery SET state = 'pending', attempts = 0, next_attempt_at = ?, delivered_at = NULL
            WHERE id = ?
            """, arguments: [now.epoch, id])
    }

    /// Queues every dead letter again; returns how many.
    @discardableResult
    public func redeliverAllDead(now: Date = Date()) throws -> Int {
        try write("redeliver dead deliveries") { db in
            try db.execute(
                sql: "UPDATE delivery SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE state = 'dead'",
                arguments: [now.epoch])
            return db.changesCount
        }
    }

    /// One delivery's new state, committed without waiting for the disk (`synchronous = NORMAL`):
    /// a `kill -9` keeps it (the WAL is already in the kernel), a power loss may forget the last
    /// few, which are then sent again — at least once, as always — and the next ingest commit
    /// (`synchronous = FULL`) makes them durable. An fsync per delivery would cost more than
    /// sending to a local receiver.
    private func updateDelivery(_ id: String, _ what: String, sql: String, arguments: StatementArguments) throws {
        do {
            try writer.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
                defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
                try db.inTransaction {
                    try db.cachedStatement(sql: sql).execute(arguments: arguments)
                    guard db.changesCount > 0 else {
                        throw StoreError(.unknownID, "no delivery with id \(id) — list them with `parapet deliveries`")
                    }
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw StoreError.failed(what, path, error)
        }
    }
}
