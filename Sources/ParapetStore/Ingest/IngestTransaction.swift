import Foundation
import GRDB
import ParapetCore

/// The steps of one ingest, all inside the caller's write transaction.
struct IngestTransaction {
    let db: Database
    let sourceID: String
    let now: Date
    let groupWindow: TimeInterval
    var summary = IngestSummary()
    /// Row id and time of each event inserted by this transaction.
    var newEvents: [EventKey: (rowID: Int64, time: Date)] = [:]

    init(db: Database, sourceID: String, now: Date, groupWindow: TimeInterval) {
        self.db = db
        self.sourceID = sourceID
        self.now = now
        self.groupWindow = groupWindow
    }

    mutating func run(
        provider: Provider, page: ActivityPage, evaluate: ([AuditEvent]) throws -> [Finding]
    ) throws -> IngestSummary {
        try db.execute(
            sql: "INSERT INTO source (id, provider) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
            arguments: [sourceID, provider.rawValue])
        var insertedIndices: [Int] = []
        insertedIndices.reserveCapacity(page.events.count)
        for index in page.events.indices where try insert(page.events[index]) {
            insertedIndices.append(index)
        }
        for record in page.quarantined {
            try quarantine(record)
        }
        // Evaluate the new events only (all of them on a first read, without copying the page).
        let inserted = insertedIndices.count == page.events.count ? page.events : insertedIndices.map { page.events[$0] }
        let findings = inserted.isEmpty ? [] : try evaluate(inserted)
        try apply(findings)
        try advanceSource(page: page)
        return summary
    }

    /// Inserts one event unless its key is already stored; true when it was new.
    private mutating func insert(_ event: AuditEvent) throws -> Bool {
        // Without the original text, look the key up first: a duplicate then costs one index
        // probe, not a serialised record. With it, the insert itself finds the duplicate.
        if event.rawText == nil {
            let existing = try db.cachedStatement(sql: "SELECT 1 FROM event WHERE provider = ? AND account = ? AND event_id = ?")
            if try Bool.fetchOne(existing, arguments: [event.provider.rawValue, event.account, event.eventID]) != nil {
                summary.duplicates += 1
                return false
            }
        }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO event (provider, account, event_id, feed, time, region, operation, service,
              actor_uid, actor_type, actor_name, source_ip, user_agent, outcome, error_code, error_message,
              read_only, resources, raw, source_id, ingested_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(provider, account, event_id) DO NOTHING
            """)
        try statement.execute(arguments: [
            event.provider.rawValue, event.account, event.eventID, event.feed.rawValue, event.time.epoch,
            event.region, event.operation, event.serviceName, event.actor.uid, event.actor.type, event.actor.name,
            event.sourceIP, event.userAgent, event.outcome.rawValue, event.errorCode, event.errorMessage,
            event.readOnly, event.resources.jsonText, event.rawText ?? event.raw.serialized(), sourceID, now.epoch,
        ])
        guard db.changesCount > 0 else {
            summary.duplicates += 1
            return false
        }
        newEvents[event.key] = (db.lastInsertedRowID, event.time)
        summary.inserted += 1
        return true
    }

    /// Stores a quarantined record unless the same bytes are already quarantined at the same location.
    private mutating func quarantine(_ record: QuarantinedRecord) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO quarantine (source_id, location, reason, raw, received_at)
            SELECT ?1, ?2, ?3, ?4, ?5
            WHERE NOT EXISTS (SELECT 1 FROM quarantine WHERE source_id = ?1 AND location = ?2 AND raw = ?4)
            """)
        try statement.execute(arguments: [sourceID, record.location, record.reason, record.raw, record.receivedAt.epoch])
        summary.quarantined += db.changesCount
    }

    /// Moves the cursor and records a successful poll, in the same transaction as the events.
    private func advanceSource(page: ActivityPage) throws {
        let newest = page.events.map(\.time).max()?.epoch
        try db.execute(
            sql: """
                UPDATE source SET cursor = COALESCE(?, cursor),
                  events_read = events_read + ?, events_inserted = events_inserted + ?,
                  last_poll_at = ?, last_success_at = ?, last_error = NULL, last_error_at = NULL,
                  consecutive_failures = 0, healthy = 1,
                  newest_event_at = COALESCE(MAX(newest_event_at, ?), newest_event_at, ?)
                WHERE id = ?
                """,
            arguments: [
                page.cursor?.rawValue, page.events.count, summary.inserted, now.epoch, now.epoch,
                newest, newest, sourceID,
            ])
    }
}
