import Foundation
import GRDB
import ParapetCore

extension Store {
    /// Which of `events` are stored already (true at the event's index), read on a reader
    /// connection: on disk it runs beside the write of another page. Screening lets the caller
    /// evaluate only the new events before `ingest(sourceID:provider:screened:…)` takes the writer.
    public func storedEvents(_ events: [AuditEvent]) async throws -> [Bool] {
        guard !events.isEmpty else { return [] }
        do {
            return try await writer.read { db in
                let statement = try db.cachedStatement(
                    sql: "SELECT 1 FROM event WHERE provider = ? AND account = ? AND event_id = ?")
                return try events.map { event in
                    try Bool.fetchOne(statement, arguments: [event.provider.rawValue, event.account, event.eventID]) != nil
                }
            }
        } catch let error as DatabaseError {
            throw StoreError.failed("look up \(events.count) events of a page", path, error)
        }
    }
}
