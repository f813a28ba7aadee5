import Foundation
import GRDB
import ParapetCore

/// A row of `source`: one feed's cursor and health.
public struct SourceRecord: Sendable, Hashable {
    public var id: String
    public var provider: Provider
    public var cursor: ParapetCore.Cursor?
    /// Records read from the feed, duplicates included.
    public var eventsRead: Int
    /// Events that were new when read.
    public var eventsInserted: Int
    public var lastPollAt: Date?
    public var lastSuccessAt: Date?
    /// The last poll's error (already redacted by the caller); nil after a success.
    public var lastError: String?
    public var lastErrorAt: Date?
    public var consecutiveFailures: Int
    /// The time of the newest event ever read (the source's lag is `now - newestEventAt`).
    public var newestEventAt: Date?
    public var healthy: Bool
    /// Records of this source in quarantine (filled by `Store.sources()`).
    public var quarantined: Int

    public enum Columns {
        public static let id = Column("id")
        public static let provider = Column("provider")
        public static let cursor = Column("cursor")
        public static let healthy = Column("healthy")
        public static let lastPollAt = Column("last_poll_at")
    }
}

extension SourceRecord: FetchableRecord, TableRecord {
    public static let databaseTableName = "source"

    public init(row: Row) throws {
        id = row["id"]
        provider = try row.value("provider", as: Provider.self)
        cursor = (row["cursor"] as String?).map(ParapetCore.Cursor.init(rawValue:))
        eventsRead = row["events_read"]
        eventsInserted = row["events_inserted"]
        lastPollAt = row.optionalDate("last_poll_at")
        lastSuccessAt = row.optionalDate("last_success_at")
        lastError = row["last_error"]
        lastErrorAt = row.optionalDate("last_error_at")
        consecutiveFailures = row["consecutive_failures"]
        newestEventAt = row.optionalDate("newest_event_at")
        healthy = row["healthy"]
        quarantined = row.hasColumn("quarantined") ? row["quarantined"] : 0
    }
}
