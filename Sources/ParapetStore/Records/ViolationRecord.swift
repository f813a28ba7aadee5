import Foundation
import GRDB
import ParapetCore

/// A row of `violation`: one broken guardrail (possibly grouping several events) and its lifecycle.
public struct ViolationRecord: Sendable, Hashable {
    public var id: Int64
    public var policyID: String
    public var policyTitle: String
    public var severity: Severity
    public var provider: Provider
    public var account: String
    /// From the finding's `data.account` (nil when the account is not configured).
    public var accountName: String?
    public var ou: String?
    public var team: String?
    public var resource: String
    /// The first event's row; nil once retention pruned it.
    public var eventRowID: Int64?
    /// The first event's provider id (kept after pruning).
    public var eventID: String
    public var status: ViolationStatus
    /// The exception's reason and owner, for suppressed violations.
    public var note: String?
    /// Event time of the earliest and latest grouped events.
    public var firstSeenAt: Date
    public var lastSeenAt: Date
    public var occurrences: Int
    /// The document sent to webhooks and written to the violation log.
    public var data: JSONValue
    /// The delivery routes the violation was opened for (resolution is sent to them too).
    public var routes: [String]
    public var createdAt: Date
    public var statusChangedAt: Date?
    public var statusBy: String?
    public var statusNote: String?
    /// The provider id of the event that resolved it automatically.
    public var resolvedByEvent: String?

    init(id: Int64, policyID: String, policyTitle: String, severity: Severity, provider: Provider, account: String,
         accountName: String?, ou: String?, team: String?, resource: String, eventRowID: Int64?, eventID: String,
         status: ViolationStatus, note: String?, firstSeenAt: Date, lastSeenAt: Date, occurrences: Int,
         data: JSONValue, routes: [String], createdAt: Date) {
        self.id = id
        self.policyID = policyID
        self.policyTitle = policyTitle
        self.severity = severity
        self.provider = provider
        self.account = account
        self.accountName = accountName
        self.ou = ou
        self.team = team
        self.resource = resource
        self.eventRowID = eventRowID
        self.eventID = eventID
        self.status = status
        self.note = note
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.occurrences = occurrences
        self.data = data
        self.routes = routes
        self.createdAt = createdAt
    }

    public enum Columns {
        public static let id = Column("id")
        public static let policyID = Column("policy_id")
        public static let severityRank = Column("severity_rank")
        public static let provider = Column("provider")
        public static let account = Column("account")
        public static let team = Column("team")
        public static let resource = Column("resource")
        public static let eventRowID = Column("event_rowid")
        public static let status = Column("status")
        public static let firstSeenAt = Column("first_seen_at")
        public static let lastSeenAt = Column("last_seen_at")
    }
}

extension ViolationRecord: FetchableRecord, TableRecord {
    public static let databaseTableName = "violation"

    public init(row: Row) throws {
        id = row["id"]
        policyID = row["policy_id"]
        policyTitle = row["policy_title"]
        severity = try row.value("severity", as: Severity.self)
        provider = try row.value("provider", as: Provider.self)
        account = row["account"]
        accountName = row["account_name"]
        ou = row["ou"]
        team = row["team"]
        resource = row["resource"]
        eventRowID = row["event_rowid"]
        eventID = row["event_id"]
        status = try row.value("status", as: ViolationStatus.self)
        note = row["note"]
        firstSeenAt = row.date("first_seen_at")
        lastSeenAt = row.date("last_seen_at")
        occurrences = row["occurrences"]
        data = try row.json("data")
        routes = try row.stringArray("routes")
        createdAt = row.date("created_at")
        statusChangedAt = row.optionalDate("status_changed_at")
        statusBy = row["status_by"]
        statusNote = row["status_note"]
        resolvedByEvent = row["resolved_by_event"]
    }
}
