import Foundation
import GRDB
import ParapetCore
@testable import ParapetStore
import Testing

@Suite("Migrating a database written by an earlier release")
struct MigrationTests {
    /// A database as the first release left it: the v1 migrations only, two events (rows 7 and
    /// 9), a violation of row 9 and its occurrence.
    func firstReleaseDatabase(at path: String) throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path, configuration: Store.configuration(readonly: false))
        try StoreMigrator.migrator.migrate(queue, upTo: "v1: violations and outbox")
        try queue.write { db in
            for (id, eventID, offset, operation) in [(7, "e-early", 0.0, "ListBuckets"), (9, "e-stop", 60.0, "StopLogging")] {
                try db.execute(
                    sql: """
                        INSERT INTO event (id, provider, account, event_id, feed, time, region, operation, outcome,
                          resources, raw, source_id, ingested_at)
                        VALUES (?, 'aws', '111122223333', ?, 'cloudtrail', ?, 'eu-west-1', ?, 'success', '[]', ?, ?, ?)
                        """,
                    arguments: [id, eventID, Fixtures.t0.addingTimeInterval(offset).timeIntervalSince1970, operation,
                                "{\"eventID\":\"\(eventID)\"}", Fixtures.source, Fixtures.t0.timeIntervalSince1970])
            }
            try db.execute(sql: """
                INSERT INTO violation (id, policy_id, policy_title, severity, severity_rank, provider, account, resource,
                  event_rowid, event_id, status, first_seen_at, last_seen_at, data, routes, created_at)
                VALUES (3, 'parapet-aws-cloudtrail-tamper', 'CloudTrail logging must not be stopped', 'critical', 4,
                  'aws', '111122223333', 'trail/main', 9, 'e-stop', 'open', ?, ?, '{}', '[]', ?)
                """, arguments: [Fixtures.t0.timeIntervalSince1970 + 60, Fixtures.t0.timeIntervalSince1970 + 60,
                                 Fixtures.t0.timeIntervalSince1970])
            try db.execute(sql: "INSERT INTO violation_event (violation_id, event_rowid, event_id, event_time) VALUES (3, 9, 'e-stop', ?)",
                           arguments: [Fixtures.t0.timeIntervalSince1970 + 60])
        }
        try queue.close()
    }

    @Test("v2 keys events by time first and keeps every row, id and reference")
    func eventsKeyedByTimeFirst() throws {
        // Given a database written by the first release
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        try firstReleaseDatabase(at: path)

        // When this release opens it
        let store = try Store(path: path)

        // Then the events kept their rows and ids, and the violation still points at its event
        let events = try store.events(EventFilter())
        #expect(events.map(\.id) == [9, 7])
        #expect(events.map(\.event.eventID) == ["e-stop", "e-early"])
        #expect(events.first?.event.raw["eventID"] == "e-stop")
        let detail = try store.violation(id: 3)
        #expect(detail.violation.eventRowID == 9)
        #expect(detail.events.map(\.eventRowID) == [9])

        // And the event table is keyed by (time, provider, account, event id), with no separate time index
        let (indexes, uniqueColumns) = try store.writer.read { db in
            let indexes = try db.indexes(on: "event")
            return (Set(indexes.map(\.name)), indexes.filter(\.isUnique).map(\.columns))
        }
        #expect(uniqueColumns == [["time", "provider", "account", "event_id"]])
        #expect(indexes.contains("event_on_account_time") && indexes.contains("event_on_operation_time"))
        #expect(!indexes.contains("event_on_time"))

        // And a re-read event is a duplicate, a new one gets the next id
        let summary = try store.ingest(
            sourceID: Fixtures.source, provider: .aws,
            page: Fixtures.page([Fixtures.event("e-stop", at: 60), Fixtures.event("e-new", at: 120, operation: "ListBuckets")], cursor: "c2"),
            now: Fixtures.t0, groupWindow: 0, evaluate: Fixtures.trailPolicy)
        #expect(summary.duplicates == 1 && summary.inserted == 1 && summary.violationsOpened.isEmpty)
        #expect(try store.events(EventFilter(limit: 1)).first?.id == 10)

        // And the foreign keys still reach the rebuilt table: pruning row 9 clears the violation's reference
        try store.writer.write { db in try db.execute(sql: "DELETE FROM event WHERE id = 9") }
        #expect(try store.violation(id: 3).violation.eventRowID == nil)
        #expect(try store.writer.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }

    @Test("a database's schema is told apart: earlier release, current, newer release, not Parapet's")
    func schemaStates() throws {
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        try firstReleaseDatabase(at: path)
        #expect(Store.hasPendingMigrations(path: path) && !Store.isFromNewerRelease(path: path))

        _ = try Store(path: path)
        #expect(!Store.hasPendingMigrations(path: path) && !Store.isFromNewerRelease(path: path))

        // A migration this build does not know: written by a newer release
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        try queue.close()
        #expect(Store.isFromNewerRelease(path: path) && !Store.hasPendingMigrations(path: path))
        #expect(throws: StoreError.self) { try Store(path: path) }

        #expect(!Store.hasPendingMigrations(path: path + ".missing") && !Store.isFromNewerRelease(path: path + ".missing"))
    }
}
