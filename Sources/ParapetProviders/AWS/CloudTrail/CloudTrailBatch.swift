import Foundation
import ParapetCore

/// A CloudTrail record as a feed delivered it, before normalisation.
public struct CloudTrailRawRecord: Sendable, Hashable {
    public var record: JSONValue
    /// Where it came from: `s3://bucket/key#3`, `lookup:eu-west-1:EVENTID`.
    public var location: String
    /// The account the event belongs to (`recipientAccountId`, else the feed's account).
    public var account: String?
    /// The record's JSON text as received (LookupEvents' `CloudTrailEvent` string), stored as is.
    public var text: String?

    public init(record: JSONValue, location: String, account: String?, text: String? = nil) {
        self.record = record
        self.location = location
        self.account = account
        self.text = text
    }
}

/// What one read of a CloudTrail feed produced: raw records, records quarantined while
/// reading, and the cursor that covers them.
public struct CloudTrailBatch: Sendable {
    public var records: [CloudTrailRawRecord]
    public var quarantined: [QuarantinedRecord]
    public var cursor: Cursor?
    public var hasMore: Bool

    public init(records: [CloudTrailRawRecord] = [], quarantined: [QuarantinedRecord] = [], cursor: Cursor?, hasMore: Bool = false) {
        self.records = records
        self.quarantined = quarantined
        self.cursor = cursor
        self.hasMore = hasMore
    }

    /// Normalises every record; one that does not normalise is quarantined with the reason.
    public func page(sourceID: String, receivedAt: Date = Date()) -> ActivityPage {
        var events: [AuditEvent] = []
        var quarantined = self.quarantined
        events.reserveCapacity(records.count)
        for raw in records {
            do {
                var event = try Normaliser.normalise(raw.record, feed: .cloudtrail)
                if !Normaliser.isEnvelope(raw.record) { event.rawText = raw.text }
                events.append(event)
            } catch {
                quarantined.append(QuarantinedRecord(sourceID: sourceID, location: raw.location, reason: "\(error)",
                                                     raw: Data((raw.text ?? raw.record.serialized()).utf8), receivedAt: receivedAt))
            }
        }
        return ActivityPage(events: events, quarantined: quarantined, cursor: cursor, hasMore: hasMore)
    }
}
