import Foundation
import GRDB
import ParapetCore

extension Store {
    /// The violations matching `filter`, newest first (by first-seen time).
    public func violations(_ filter: ViolationFilter) throws -> [ViolationRecord] {
        typealias Columns = ViolationRecord.Columns
        return try read("list violations") { db in
            var request = ViolationRecord.all()
            if let team = filter.team { request = request.filter(Columns.team == team) }
            if let account = filter.account { request = request.filter(Columns.account == account) }
            if let policyID = filter.policyID { request = request.filter(Columns.policyID == policyID) }
            if let minimum = filter.minimumSeverity {
                request = request.filter(Columns.severityRank >= minimum.storedRank)
            }
            if let status = filter.status { request = request.filter(Columns.status == status.rawValue) }
            if let since = filter.since { request = request.filter(Columns.firstSeenAt >= since.epoch) }
            return try request
                .order(Columns.firstSeenAt.desc, Columns.id.desc)
                .limit(max(filter.limit, 0))
                .fetchAll(db)
        }
    }

    /// One violation with its first event (raw record included), grouped events and deliveries.
    public func violation(id: Int64) throws -> ViolationDetail {
        try read("read violation \(id)") { db in
            guard let violation = try ViolationRecord.fetchOne(db, key: id) else {
                throw StoreError(.unknownID, "no violation with id \(id) — list them with `parapet violations`")
            }
            let event = try violation.eventRowID.flatMap { try EventRecord.fetchOne(db, key: $0) }
            let events = try ViolationEventRecord
                .filter(ViolationEventRecord.Columns.violationID == id)
                .order(ViolationEventRecord.Columns.eventTime)
                .fetchAll(db)
            let deliveries = try DeliveryRecord
                .filter(DeliveryRecord.Columns.violationID == id)
                .order(DeliveryRecord.Columns.createdAt, DeliveryRecord.Columns.id)
                .fetchAll(db)
            return ViolationDetail(violation: violation, event: event, events: events, deliveries: deliveries)
        }
    }

    /// The stored events matching `filter`, newest first.
    public func events(_ filter: EventFilter) throws -> [EventRecord] {
        typealias Columns = EventRecord.Columns
        return try read("list events") { db in
            var request = EventRecord.all()
            if let account = filter.account { request = request.filter(Columns.account == account) }
            if let provider = filter.provider { request = request.filter(Columns.provider == provider.rawValue) }
            if let operation = filter.operation { request = request.filter(Columns.operation == operation) }
            if let since = filter.since { request = request.filter(Columns.time >= since.epoch) }
            if let until = filter.until { request = request.filter(Columns.time < until.epoch) }
            if let eventID = filter.eventID { request = request.filter(Columns.eventID == eventID) }
            return try request
                .order(Columns.time.desc, Columns.id.desc)
                .limit(max(filter.limit, 0))
                .fetchAll(db)
        }
    }
}
