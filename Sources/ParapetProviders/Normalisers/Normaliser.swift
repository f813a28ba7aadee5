import Foundation
import ParapetCore

/// Why a record could not be normalised; the record is quarantined with this reason.
public struct NormaliseError: Error, CustomStringConvertible, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Turns a raw provider record into an `AuditEvent`, choosing the feed from the record's shape.
/// Delivery wrappers are looked through: an EventBridge envelope's `detail` (CloudTrail) and a
/// structured CloudEvent's `data` (GCP) are normalised, and `raw` is the wrapped record.
public enum Normaliser {
    /// Detects the feed from the record's shape (CloudTrail, GCP LogEntry, Azure Event Hub or REST),
    /// looking through an EventBridge envelope or CloudEvent as `normalise` does.
    public static func detectFeed(_ record: JSONValue) -> Feed? {
        guard case .object(let members) = record else { return nil }
        return recordShape(of: unwrap(members, record).0)?.feed
    }

    /// Normalises `record`; `feed` overrides detection. Throws `NormaliseError` naming the field.
    public static func normalise(_ record: JSONValue, feed: Feed? = nil) throws -> AuditEvent {
        try normalise(record, feed: feed, defaultAccount: nil)
    }

    /// Normalises `record`; `defaultAccount` is used when the record names no account.
    public static func normalise(_ record: JSONValue, feed: Feed?, defaultAccount: String?) throws -> AuditEvent {
        guard case .object(let members) = record else {
            throw NormaliseError("record is not a JSON object but \(RecordFields.preview(record))")
        }
        let (inner, envelopeAccount) = unwrap(members, record)
        let defaultAccount = envelopeAccount ?? defaultAccount
        guard let shape = feed.map({ RecordShape(feed: $0, record: inner) }) ?? recordShape(of: inner) else {
            throw NormaliseError(
                "unknown record shape: none of CloudTrail (eventVersion/eventSource/eventName), GCP LogEntry (protoPayload/logName/insertId) or Azure Activity (operationName/resourceId/time, eventDataId)")
        }
        switch shape {
        case .cloudTrail: return try CloudTrailNormaliser.normalise(inner, fallbackAccount: defaultAccount)
        case .gcpAudit: return try GCPAuditNormaliser.normalise(inner, fallbackAccount: defaultAccount)
        case .azureEventHub: return try AzureActivityNormaliser.normalise(inner, fallbackAccount: defaultAccount)
        case .azureREST: return try AzureActivityNormaliser.normaliseREST(inner, fallbackAccount: defaultAccount)
        }
    }

    /// The CloudTrail record inside an EventBridge envelope (and the envelope's `account`), the
    /// LogEntry inside a structured CloudEvent, or the record itself.
    static func unwrap(_ members: JSONObject, _ record: JSONValue) -> (JSONValue, String?) {
        if case .object(let detail)? = members["detail"], members["detail-type"] != nil,
            recordShape(of: members["detail"]!) == .cloudTrail || detail["eventID"] != nil
        {
            let account = members["account"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            return (members["detail"]!, account)
        }
        if members["specversion"] != nil, case .object? = members["data"], recordShape(of: members["data"]!) != nil {
            return (members["data"]!, nil)
        }
        return (record, nil)
    }

    /// True when `record` may be a delivery wrapper (EventBridge envelope, CloudEvent) that
    /// `normalise` looks through, so its text is not the text of the normalised record.
    public static func isEnvelope(_ record: JSONValue) -> Bool {
        guard case .object(let members) = record else { return false }
        return (members["detail"] != nil && members["detail-type"] != nil) || members["specversion"] != nil
    }

    static func recordShape(of record: JSONValue) -> RecordShape? {
        guard case .object(let m) = record else { return nil }
        func isString(_ key: String) -> Bool { if case .string? = m[key] { true } else { false } }
        if case .object? = m["protoPayload"] { return .gcpAudit }
        if isString("logName"), isString("insertId") { return .gcpAudit }
        if isString("eventVersion"), m["eventSource"] != nil || m["eventName"] != nil || m["insightDetails"] != nil {
            return .cloudTrail
        }
        if isString("eventSource"), isString("eventName") || m["userIdentity"] != nil { return .cloudTrail }
        if isString("eventDataId") || isString("eventTimestamp") { return .azureREST }
        if case .object(let op)? = m["operationName"], op["value"] != nil { return .azureREST }
        if isString("operationName"), isString("resourceId"), isString("category") || isString("time") {
            return .azureEventHub
        }
        return nil
    }
}

/// The record shapes the normalisers know; two of them are Azure.
enum RecordShape: Equatable {
    case cloudTrail, gcpAudit, azureEventHub, azureREST

    var feed: Feed {
        switch self {
        case .cloudTrail: .cloudtrail
        case .gcpAudit: .gcpAudit
        case .azureEventHub, .azureREST: .azureActivity
        }
    }

    /// The shape for a forced `feed`: Azure records still pick their schema from their fields.
    init(feed: Feed, record: JSONValue) {
        switch feed {
        case .cloudtrail: self = .cloudTrail
        case .gcpAudit: self = .gcpAudit
        case .azureActivity:
            let isREST = record["eventDataId"] != nil || record["eventTimestamp"] != nil
                || record["operationName"]?.objectValue != nil
            self = isREST ? .azureREST : .azureEventHub
        }
    }
}
