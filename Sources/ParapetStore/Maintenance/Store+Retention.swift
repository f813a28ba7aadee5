import Foundation
import GRDB

extension Store {
    /// Deletes events older than `cutoff` (by event time), `batchSize` per transaction so the
    /// daemon's ingests interleave. Violations stay: their `event_rowid` becomes NULL and their
    /// `data` keeps the event's summary. Returns the number of events deleted.
    @discardableResult
    public func prune(eventsOlderThan cutoff: Date, batchSize: Int = 1_000) throws -> Int {
        var total = 0
        while true {
            let deleted = try write("prune events older than \(cutoff)") { db in
                try db.execute(
                    sql: """
                        DELETE FROM event WHERE id IN (SELECT id FROM event WHERE time < ? ORDER BY time LIMIT ?)
                        """, arguments: [cutoff.epoch, max(batchSize, 1)])
                return db.changesCount
            }
            total += deleted
            if deleted == 0 { return total }
        }
    }

    /// Deletes quarantined records received before `cutoff`; returns how many.
    @discardableResult
    public func prune(quarantinedBefore cutoff: Date) throws -> Int {
        try write("prune quarantined records") { db in
            try db.execute(sql: "DELETE FROM quarantine WHERE received_at < ?", arguments: [cutoff.epoch])
            return db.changesCount
        }
    }
}
