import Foundation
import GRDB
import ParapetCore

/// A row of `quarantine`: a record that could not be parsed or normalised, with its error.
public struct QuarantineRecord: Sendable, Hashable {
    public var id: Int64
    public var sourceID: String
    public var location: String
    public var reason: String
    public var raw: Data
    public var receivedAt: Date

    public enum Columns {
        public static let id = Column("id")
        public static let sourceID = Column("source_id")
        public static let location = Column("location")
        public static let receivedAt = Column("received_at")
    }

    /// The Core value this row stores.
    public var record: QuarantinedRecord {
        QuarantinedRecord(sourceID: sourceID, location: location, reason: reason, raw: raw, receivedAt: receivedAt)
    }
}

extension QuarantineRecord: FetchableRecord, TableRecord {
    public static let databaseTableName = "quarantine"

    public init(row: Row) throws {
        id = row["id"]
        sourceID = row["source_id"]
        location = row["location"]
        reason = row["reason"]
        raw = row["raw"]
        receivedAt = row.date("received_at")
    }
}
