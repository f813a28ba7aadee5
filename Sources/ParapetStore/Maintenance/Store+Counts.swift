import GRDB
import ParapetCore

extension Store {
    /// Counts of events, violations by status and severity, deliveries by state, quarantined records
    /// and sources, read in one consistent snapshot. Every known status, severity and state is present.
    public func counts() throws -> StoreCounts {
        try read("count rows") { db in
            func grouped<Key: RawRepresentable & CaseIterable & Hashable>(
                _ sql: String, _ type: Key.Type
            ) throws -> [Key: Int] where Key.RawValue == String {
                var counts = Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0, 0) })
                for row in try Row.fetchAll(db, sql: sql) {
                    if let key = Key(rawValue: row[0]) { counts[key] = row[1] }
                }
                return counts
            }
            return StoreCounts(
                events: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0,
                violationsByStatus: try grouped("SELECT status, COUNT(*) FROM violation GROUP BY status", ViolationStatus.self),
                violationsBySeverity: try grouped("SELECT severity, COUNT(*) FROM violation GROUP BY severity", Severity.self),
                deliveriesByState: try grouped("SELECT state, COUNT(*) FROM delivery GROUP BY state", DeliveryRecord.State.self),
                quarantined: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quarantine") ?? 0,
                sources: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source") ?? 0,
                unhealthySources: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source WHERE healthy = 0") ?? 0)
        }
    }
}
