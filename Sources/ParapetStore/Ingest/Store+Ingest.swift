import Foundation
import GRDB
import ParapetCore

extension Store {
    /// Stores one page of a source in one write transaction: the new events (deduplicated on
    /// provider, account and event id), the quarantined records, what `evaluate` finds in the
    /// new events only (violations, groupings, suppressions, resolutions and their outbox rows),
    /// and the source's cursor and health. If anything throws, nothing of it is committed.
    public func ingest(
        sourceID: String, provider: Provider, page: ActivityPage, now: Date, groupWindow: TimeInterval,
        evaluate: ([AuditEvent]) throws -> [Finding]
    ) throws -> IngestSummary {
        do {
            return try writer.write { db in
                var transaction = IngestTransaction(db: db, sourceID: sourceID, now: now, groupWindow: groupWindow)
                return try transaction.run(provider: provider, page: page, screened: nil, evaluate: evaluate)
            }
        } catch let error as DatabaseError {
            throw StoreError.failed("ingest a page of source \(sourceID)", path, error)
        }
    }

    /// The same as the synchronous `ingest`, suspending instead of blocking while another write runs.
    public func ingest(
        sourceID: String, provider: Provider, page: ActivityPage, now: Date, groupWindow: TimeInterval,
        evaluate: @escaping @Sendable ([AuditEvent]) throws -> [Finding]
    ) async throws -> IngestSummary {
        try await ingest(sourceID: sourceID, provider: provider, page: page, screened: nil, now: now,
                         groupWindow: groupWindow, evaluate: evaluate)
    }

    /// Stores a screened page like `ingest(sourceID:provider:page:…)`, recording the findings
    /// screening evaluated for the events the transaction inserts; `evaluate` is called only for
    /// events it inserts that screening found stored (normally none).
    public func ingest(
        sourceID: String, provider: Provider, screened: ScreenedPage, now: Date, groupWindow: TimeInterval,
        evaluate: @escaping @Sendable ([AuditEvent]) throws -> [Finding]
    ) async throws -> IngestSummary {
        try await ingest(sourceID: sourceID, provider: provider, page: screened.page, screened: screened.findings,
                         now: now, groupWindow: groupWindow, evaluate: evaluate)
    }

    private func ingest(
        sourceID: String, provider: Provider, page: ActivityPage, screened: [[Finding]?]?, now: Date,
        groupWindow: TimeInterval, evaluate: @escaping @Sendable ([AuditEvent]) throws -> [Finding]
    ) async throws -> IngestSummary {
        do {
            return try await writer.write { db in
                var transaction = IngestTransaction(db: db, sourceID: sourceID, now: now, groupWindow: groupWindow)
                return try transaction.run(provider: provider, page: page, screened: screened, evaluate: evaluate)
            }
        } catch let error as DatabaseError {
            throw StoreError.failed("ingest a page of source \(sourceID)", path, error)
        }
    }

    /// Records a failed poll: the source turns unhealthy and counts one more consecutive failure.
    /// The cursor is left alone. `error` must not contain secrets.
    public func recordFailure(sourceID: String, provider: Provider, error: String, now: Date) throws {
        try write("record a failure of source \(sourceID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO source (id, provider) VALUES (?, ?) ON CONFLICT(id) DO NOTHING
                    """, arguments: [sourceID, provider.rawValue])
            try db.execute(
                sql: """
                    UPDATE source SET last_error = ?, last_error_at = ?, last_poll_at = ?,
                      consecutive_failures = consecutive_failures + 1, healthy = 0
                    WHERE id = ?
                    """, arguments: [error, now.epoch, now.epoch, sourceID])
        }
    }

    /// A write transaction whose SQLite errors become `StoreError`s saying what was being done.
    func write<T>(_ what: String, _ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch let error as DatabaseError {
            throw StoreError.failed(what, path, error)
        }
    }

    /// A read whose SQLite errors become `StoreError`s saying what was being done.
    func read<T>(_ what: String, _ value: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(value)
        } catch let error as DatabaseError {
            throw StoreError.failed(what, path, error)
        }
    }
}
