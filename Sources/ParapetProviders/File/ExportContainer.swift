import Foundation
import ParapetCore

/// The document types an export line or file can be, and the records each one holds.
enum ExportContainer {
    /// A record to normalise, or an element that is not even a record (with why).
    enum Element {
        case record(JSONValue)
        case invalid(reason: String, raw: Data)
    }

    /// What a parsed JSON value holds.
    enum Contents {
        /// The value is one record.
        case single(JSONValue)
        /// The value wraps records (`Records`, `records`, `value`, `entries`, `Events`, or an array).
        case many([Element])
        /// A CloudTrail digest file: recognised, holds no events.
        case digest
    }

    static func contents(of value: JSONValue) -> Contents {
        switch value {
        case .array(let items):
            return .many(items.map(Element.record))
        case .object(let members):
            if Normaliser.recordShape(of: value) != nil { return .single(value) }
            if members["digestStartTime"] != nil, members["digestEndTime"] != nil || members["logFiles"] != nil {
                return .digest
            }
            // CloudTrail log file, Azure Event Hub / storage batch, Azure REST page, GCP entries.list.
            for key in ["Records", "records", "value", "entries"] {
                if case .array(let items)? = members[key] { return .many(items.map(Element.record)) }
            }
            if case .array(let items)? = members["Events"],
                items.contains(where: { $0["CloudTrailEvent"] != nil })
            {
                return .many(items.map(lookupEvent))
            }
            return .single(value)
        default:
            return .single(value)
        }
    }

    /// A LookupEvents `Events[]` item: its `CloudTrailEvent` is the record, as a JSON string.
    static func lookupEvent(_ item: JSONValue) -> Element {
        guard case .string(let text)? = item["CloudTrailEvent"] else {
            return .invalid(reason: "LookupEvents item has no 'CloudTrailEvent' string", raw: Data(item.serialized().utf8))
        }
        do {
            return .record(try JSONValue(parsing: text))
        } catch {
            return .invalid(reason: "field 'CloudTrailEvent' is not valid JSON: \(error)", raw: Data(text.utf8))
        }
    }
}
