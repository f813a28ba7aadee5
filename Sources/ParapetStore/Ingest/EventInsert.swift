import Foundation
import GRDB
import ParapetCore

/// The event INSERT of one ingest transaction. Its 21 values are bound one by one on the prepared
/// statement (GRDB's public `StatementBinding`), not through `execute(arguments:)`: that builds a
/// `StatementArguments` array of existentials and then a `DatabaseValue` array per row before
/// binding (past 20 arguments GRDB has no faster path). If GRDB ever cleared these bindings
/// before stepping, the NOT NULL columns would make every insert fail loudly, not store blanks.
struct EventInsert {
    private let statement: Statement
    private let sourceID: String
    private let now: Double

    static let sql = """
        INSERT INTO event (provider, account, event_id, feed, time, region, operation, service,
          actor_uid, actor_type, actor_name, source_ip, user_agent, outcome, error_code, error_message,
          read_only, resources, raw, source_id, ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(provider, account, event_id) DO NOTHING
        """

    init(_ db: Database, sourceID: String, now: Date) throws {
        statement = try db.cachedStatement(sql: Self.sql)
        self.sourceID = sourceID
        self.now = now.epoch
    }

    /// Inserts the event unless its key is stored; true when it was new.
    func insert(_ event: AuditEvent, into db: Database) throws -> Bool {
        // Resets the statement and clears its bindings (SQLite binds only on a reset statement),
        // and marks its arguments as set, so that `execute()` steps it with the values bound here.
        statement.setUncheckedArguments([])
        try bind(event.provider.rawValue, at: 1)
        try bind(event.account, at: 2)
        try bind(event.eventID, at: 3)
        try bind(event.feed.rawValue, at: 4)
        try bind(event.time.epoch, at: 5)
        try bind(event.region, at: 6)
        try bind(event.operation, at: 7)
        try bind(event.serviceName, at: 8)
        try bind(event.actor.uid, at: 9)
        try bind(event.actor.type, at: 10)
        try bind(event.actor.name, at: 11)
        try bind(event.sourceIP, at: 12)
        try bind(event.userAgent, at: 13)
        try bind(event.outcome.rawValue, at: 14)
        try bind(event.errorCode, at: 15)
        try bind(event.errorMessage, at: 16)
        try bind(event.readOnly, at: 17)
        try bind(event.resources.jsonText, at: 18)
        try bind(event.rawText ?? event.raw.serialized(), at: 19)
        try bind(sourceID, at: 20)
        try bind(now, at: 21)
        try statement.execute()
        return db.changesCount > 0
    }

    private func bind(_ value: some StatementBinding, at index: CInt) throws {
        let code = value.bind(to: statement.sqliteStatement, at: index)
        // SQLITE_OK is 0; a binding fails only on a bad index or out of memory.
        guard code == 0 else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind parameter \(index)",
                                sql: Self.sql)
        }
    }
}
