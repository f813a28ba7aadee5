import Foundation
import GRDB
import ParapetCore

/// A row of `event`: one stored `AuditEvent` with its raw record.
public struct EventRecord: Sendable, Hashable {
    /// The row id (what `violation.event_rowid` points to).
    public var id: Int64
    public var event: AuditEvent
    public var sourceID: String?
    public var ingestedAt: Date

    public enum Columns {
        public static let id = Column("id")
        public static let provider = Column("provider")
        public static let account = Column("account")
        public static let eventID = Column("event_id")
        public static let feed = Column("feed")
        public static let time = Column("time")
        public static let region = Column("region")
        public static let operation = Column("operation")
        public static let service = Column("service")
        public static let actorUID = Column("actor_uid")
        public static let sourceIP = Column("source_ip")
        public static let outcome = Column("outcome")
        public static let sourceID = Column("source_id")
        public static let ingestedAt = Column("ingested_at")
    }
}

extension EventRecord: FetchableRecord, TableRecord {
    public static let databaseTableName = "event"

    public init(row: Row) throws {
        id = row["id"]
        sourceID = row["source_id"]
        ingestedAt = row.date("ingested_at")
        let readOnly: Bool? = row["read_only"]
        event = AuditEvent(
            provider: try row.value("provider", as: Provider.self),
            feed: try row.value("feed", as: Feed.self),
            eventID: row["event_id"],
            time: row.date("time"),
            account: row["account"],
            region: row["region"],
            operation: row["operation"],
            serviceName: row["service"],
            actor: AuditEvent.Actor(uid: row["actor_uid"], type: row["actor_type"], name: row["actor_name"]),
            sourceIP: row["source_ip"],
            userAgent: row["user_agent"],
            outcome: try row.value("outcome", as: AuditEvent.Outcome.self),
            errorCode: row["error_code"],
            errorMessage: row["error_message"],
            readOnly: readOnly,
            resources: try row.stringArray("resources"),
            raw: try row.json("raw"))
    }
}
