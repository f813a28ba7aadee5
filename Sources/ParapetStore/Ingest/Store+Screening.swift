import Foundation
import GRDB
import ParapetCore

extension Store {
    /// Which of `events` are stored already (true at the event's index), read on a reader
    /// connection: on disk it runs beside the write of another page. Screening lets the caller
    /// evaluate only the new events before `ingest(sourceID:provider:screened:…)` takes the writer.
    ///
    /// Synchronous on purpose, like every other read of the store: GRDB's async read keeps its
    /// reader connection until the awaiting task resumes, so with many sources polled at once
    /// the cooperative threads could all block waiting for a reader in a synchronous read while
    /// every reader waits for a thread to resume on (a deadlock found by the 5,000-source run).
    public func storedEvents(_ events: [AuditEvent]) throws -> [Bool] {
        guard !events.isEmpty else { return [] }
        return try read("look up \(events.count) events of a page") { db in
            let lookup = try EventKeyLookup(db)
            var stored: [Bool] = []
            stored.reserveCapacity(events.count)
            for index in events.indices {
                stored.append(try lookup.contains(events, at: index))
            }
            return stored
        }
    }
}
