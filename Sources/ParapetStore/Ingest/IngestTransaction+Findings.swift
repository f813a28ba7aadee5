import Foundation
import GRDB
import ParapetCore

extension IngestTransaction {
    /// Records the findings in event-time order, so that a page read in any order groups and
    /// resolves the same way.
    mutating func apply(_ findings: [LocatedFinding]) throws {
        let ordered = findings.enumerated().sorted { lhs, rhs in
            (lhs.element.time, lhs.offset) < (rhs.element.time, rhs.offset)
        }
        for (_, located) in ordered {
            let event = (rowID: located.rowID, time: located.time)
            switch located.finding.kind {
            case .violation: try open(located.finding, event: event)
            case .suppressed: try suppress(located.finding, event: event)
            case .resolution: try resolve(located.finding, event: event)
            }
        }
    }

    private mutating func open(_ finding: Finding, event: (rowID: Int64?, time: Date)) throws {
        if let groupID = try openGroup(of: finding, around: event.time) {
            if try link(finding.event, rowID: event.rowID, time: event.time, to: groupID) {
                try db.execute(
                    sql: """
                        UPDATE violation SET occurrences = occurrences + 1,
                          first_seen_at = MIN(first_seen_at, ?), last_seen_at = MAX(last_seen_at, ?)
                        WHERE id = ?
                        """, arguments: [event.time.epoch, event.time.epoch, groupID])
                summary.grouped += 1
            }
            return
        }
        guard let violation = try insertViolation(finding, event: event, status: .open) else { return }
        summary.violationsOpened.append(violation.id)
        summary.newViolations.append(violation)
        summary.deliveriesCreated += try Outbox.enqueue(
            db, violationID: violation.id, routes: finding.routes, kind: .opened, now: now)
    }

    private mutating func suppress(_ finding: Finding, event: (rowID: Int64?, time: Date)) throws {
        if try insertViolation(finding, event: event, status: .suppressed) != nil {
            summary.suppressed += 1
        }
    }

    /// Resolves every open or acknowledged violation of the finding's group that began before its event.
    private mutating func resolve(_ finding: Finding, event: (rowID: Int64?, time: Date)) throws {
        let statement = try db.cachedStatement(sql: """
            SELECT id, routes FROM violation INDEXED BY violation_on_group
            WHERE policy_id = ? AND provider = ? AND account = ? AND resource = ?
              AND status IN ('open', 'acknowledged') AND first_seen_at < ?
            ORDER BY id
            """)
        let rows = try Row.fetchAll(statement, arguments: [
            finding.policyID, finding.event.provider.rawValue, finding.event.account, finding.resource, event.time.epoch,
        ])
        for row in rows {
            let id: Int64 = row["id"]
            try db.execute(
                sql: """
                    UPDATE violation SET status = 'resolved', resolved_by_event = ?, status_changed_at = ?,
                      status_by = 'parapet', status_note = ?
                    WHERE id = ?
                    """,
                arguments: [finding.event.eventID, now.epoch, "resolved by event \(finding.event.eventID)", id])
            summary.resolvedViolationIDs.append(id)
            let routes = try row.stringArray("routes") + finding.routes
            summary.deliveriesCreated += try Outbox.enqueue(db, violationID: id, routes: routes, kind: .resolved, now: now)
        }
    }

    /// The open (or acknowledged) violation of the finding's group whose events are within the
    /// group window of `time`.
    private func openGroup(of finding: Finding, around time: Date) throws -> Int64? {
        // INDEXED BY: without statistics SQLite may prefer the list indexes on first_seen_at, which
        // scan every violation of the policy instead of the few of the group.
        let statement = try db.cachedStatement(sql: """
            SELECT id FROM violation INDEXED BY violation_on_group
            WHERE policy_id = ? AND provider = ? AND account = ? AND resource = ?
              AND status IN ('open', 'acknowledged')
              AND first_seen_at <= ? AND last_seen_at >= ?
            ORDER BY last_seen_at DESC, id DESC LIMIT 1
            """)
        return try Int64.fetchOne(statement, arguments: [
            finding.policyID, finding.event.provider.rawValue, finding.event.account, finding.resource,
            time.epoch + groupWindow, time.epoch - groupWindow,
        ])
    }

    /// Inserts a violation for the finding and returns it; nil when this (policy, event) already has one.
    private func insertViolation(
        _ finding: Finding, event: (rowID: Int64?, time: Date), status: ViolationStatus
    ) throws -> ViolationRecord? {
        let account = finding.data["account"]
        let statement = try db.cachedStatement(sql: """
            INSERT INTO violation (policy_id, policy_title, severity, severity_rank, provider, account,
              account_name, ou, team, resource, event_rowid, event_id, status, note, first_seen_at, last_seen_at,
              occurrences, data, routes, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
            ON CONFLICT(policy_id, provider, account, event_id) DO NOTHING
            """)
        try statement.execute(arguments: [
            finding.policyID, finding.policyTitle, finding.severity.rawValue, finding.severity.storedRank,
            finding.event.provider.rawValue, finding.event.account,
            account?["name"]?.stringValue, account?["ou"]?.stringValue, account?["team"]?.stringValue,
            finding.resource, event.rowID, finding.event.eventID, status.rawValue, finding.note,
            event.time.epoch, event.time.epoch, finding.dataText, finding.routes.jsonText, now.epoch,
        ])
        guard db.changesCount > 0 else { return nil }
        let id = db.lastInsertedRowID
        _ = try link(finding.event, rowID: event.rowID, time: event.time, to: id)
        return ViolationRecord(
            id: id, policyID: finding.policyID, policyTitle: finding.policyTitle, severity: finding.severity,
            provider: finding.event.provider, account: finding.event.account, accountName: account?["name"]?.stringValue,
            ou: account?["ou"]?.stringValue, team: account?["team"]?.stringValue, resource: finding.resource,
            eventRowID: event.rowID, eventID: finding.event.eventID, status: status, note: finding.note,
            firstSeenAt: event.time, lastSeenAt: event.time, occurrences: 1, data: finding.data, routes: finding.routes,
            createdAt: now)
    }

    /// Links an event to a violation; false when it was already linked.
    private func link(_ key: EventKey, rowID: Int64?, time: Date, to violationID: Int64) throws -> Bool {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO violation_event (violation_id, event_rowid, event_id, event_time) VALUES (?, ?, ?, ?)
            ON CONFLICT(violation_id, event_id) DO NOTHING
            """)
        try statement.execute(arguments: [violationID, rowID, key.eventID, time.epoch])
        return db.changesCount > 0
    }
}

extension Severity {
    /// The stored rank (informational 0 … critical 4), for "at least this severe" filters.
    var storedRank: Int { Severity.allCases.firstIndex(of: self) ?? 0 }
}
