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

    init(db: Database, sourceID: String, now: Date, groupWindow: TimeInterval) {
        self.db = db
        self.sourceID = sourceID
        self.now = now
        self.groupWindow = groupWindow
    }

    /// Stores the page. `screened` (one entry per event, or nil when the page was not screened)
    /// holds the findings evaluated before the transaction for events that were not stored then;
    /// nil entries were stored when screened. `evaluate` is called for the events this
    /// transaction inserts without findings from screening (all of them when `screened` is nil).
    mutating func run(
        provider: Provider, page: ActivityPage, screened: [[Finding]?]?, evaluate: ([AuditEvent]) throws -> [Finding]
    ) throws -> IngestSummary {
        try db.execute(
            sql: "INSERT INTO source (id, provider) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
            arguments: [sourceID, provider.rawValue])
        let events = page.events
        let insert = try EventInsert(db, sourceID: sourceID, now: now)
        let lookup = try EventKeyLookup(db)
        var inserted: [(index: Int, rowID: Int64)] = []
        inserted.reserveCapacity(events.count)
        for index in events.indices {
            // Without the original text, or when screening found the key stored, look it up
            // first: a duplicate then costs one index probe, not a serialised record.
            let probe = screened.map { $0[index] == nil } ?? !events[index].hasRawText
            if probe, try lookup.contains(events, at: index) {
                summary.duplicates += 1
            } else if try insert.insert(events, at: index, into: db) {
                inserted.append((index, db.lastInsertedRowID))
            } else {
                summary.duplicates += 1
            }
        }
        summary.inserted = inserted.count
        for record in page.quarantined {
            try quarantine(record)
        }
        try apply(try findings(of: inserted, in: events, screened: screened, evaluate: evaluate))
        try advanceSource(page: page)
        return summary
    }

    /// The findings of the inserted events with their rows, in page order: from screening where
    /// it evaluated the event, from `evaluate` for the others.
    private func findings(
        of inserted: [(index: Int, rowID: Int64)], in events: [AuditEvent], screened: [[Finding]?]?,
        evaluate: ([AuditEvent]) throws -> [Finding]
    ) throws -> [LocatedFinding] {
        let unevaluated = inserted.filter { screened?[$0.index] == nil }
        // Evaluate the events no screening evaluated (all of them on an unscreened first read,
        // without copying the page).
        let late = unevaluated.isEmpty ? [] : try evaluate(
            unevaluated.count == events.count ? events : unevaluated.map { events[$0.index] })
        var located: [LocatedFinding] = []
        if let screened {
            let lateByEvent = Dictionary(grouping: late, by: \.event)
            for (index, rowID) in inserted {
                // Fields read in place: binding `events[index]` to a constant copied the event.
                for finding in screened[index] ?? lateByEvent[events[index].key] ?? [] {
                    located.append(LocatedFinding(finding: finding, rowID: rowID, time: events[index].time))
                }
            }
            return located
        }
        guard !late.isEmpty else { return [] }
        var rows: [EventKey: (rowID: Int64, time: Date)] = [:]
        for (index, rowID) in inserted { rows[events[index].key] = (rowID, events[index].time) }
        for finding in late {
            let row = try rows[finding.event] ?? storedRow(finding.event)
            located.append(LocatedFinding(finding: finding, rowID: row.rowID, time: row.time))
        }
        return located
    }

    /// The stored row and time of an event this transaction did not insert (a finding of
    /// `evaluate` for another event); no row and now when it is not stored.
    private func storedRow(_ key: EventKey) throws -> (rowID: Int64?, time: Date) {
        let statement = try db.cachedStatement(
            sql: "SELECT id FROM event WHERE time = ? AND provider = ? AND account = ? AND event_id = ?")
        let rowID = try Int64.fetchOne(
            statement, arguments: [key.time.epoch, key.provider.rawValue, key.account, key.eventID])
        return rowID.map { ($0, key.time) } ?? (nil, now)
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

/// A finding with the row and time of its event (no row when the event is not stored).
struct LocatedFinding {
    var finding: Finding
    var rowID: Int64?
    var time: Date
}
