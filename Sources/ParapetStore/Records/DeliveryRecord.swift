import Foundation
import GRDB
import ParapetCore

/// A row of `delivery`, the outbox: one notification of one violation to one route.
public struct DeliveryRecord: Sendable, Hashable {
    public enum State: String, Sendable, Codable, CaseIterable, Hashable {
        case pending, delivered, dead
    }

    /// A UUID: the id receivers dedupe on (CloudEvents `id`, `webhook-id`).
    public var id: String
    public var violationID: Int64
    public var route: String
    public var kind: ParapetCore.Notification.Kind
    public var state: State
    /// Attempts made so far (each `mark…` call counts one).
    public var attempts: Int
    /// When a pending delivery is due; nil once delivered or dead.
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public enum Columns {
        public static let id = Column("id")
        public static let violationID = Column("violation_id")
        public static let route = Column("route")
        public static let kind = Column("kind")
        public static let state = Column("state")
        public static let nextAttemptAt = Column("next_attempt_at")
        public static let createdAt = Column("created_at")
    }
}

extension DeliveryRecord: FetchableRecord, TableRecord {
    public static let databaseTableName = "delivery"

    public init(row: Row) throws {
        id = row["id"]
        violationID = row["violation_id"]
        route = row["route"]
        kind = try row.value("kind", as: ParapetCore.Notification.Kind.self)
        state = try row.value("state", as: State.self)
        attempts = row["attempts"]
        nextAttemptAt = row.optionalDate("next_attempt_at")
        lastError = row["last_error"]
        createdAt = row.date("created_at")
        deliveredAt = row.optionalDate("delivered_at")
    }
}
