import Foundation
import GRDB

/// A row of `violation_event`: one event grouped into a violation (the first one included).
public struct ViolationEventRecord: Sendable, Hashable {
    public var violationID: Int64
    /// nil once retention pruned the event.
    public var eventRowID: Int64?
    public var eventID: String
    public var eventTime: Date

    public enum Columns {
        public static let violationID = Column("violation_id")
        public static let eventRowID = Column("event_rowid")
        public static let eventTime = Column("event_time")
    }
}

extension ViolationEventRecord: FetchableRecord, TableRecord {
    public static let databaseTableName = "violation_event"

    public init(row: Row) throws {
        violationID = row["violation_id"]
        eventRowID = row["event_rowid"]
        eventID = row["event_id"]
        eventTime = row.date("event_time")
    }
}
