import Foundation
import ParapetCore

/// Where a GCP audit source stands: the time window being read (`from` inclusive, `to`
/// exclusive) and, while it is being paged, the next page token. A window without a page token
/// is finished; the next starts at `to - overlap`.
struct GCPAuditCursor: Sendable, Hashable {
    var from: Date
    var to: Date
    var pageToken: String?

    var cursor: Cursor {
        var object: JSONObject = ["v": 1, "from": .string(ISO8601.string(from: from)), "to": .string(ISO8601.string(from: to))]
        if let pageToken { object["pageToken"] = .string(pageToken) }
        return Cursor(JSONValue.object(object).serialized())
    }

    init(from: Date, to: Date, pageToken: String? = nil) {
        self.from = from.cloudWholeSecond
        self.to = to.cloudWholeSecond
        self.pageToken = pageToken
    }

    /// Nil when `cursor` is not one of ours.
    init?(_ cursor: Cursor) {
        guard let json = try? JSONValue(parsing: cursor.rawValue),
              let from = json["from"]?.stringValue.flatMap(ISO8601.date(from:)),
              let to = json["to"]?.stringValue.flatMap(ISO8601.date(from:)) else { return nil }
        self.init(from: from, to: to, pageToken: json["pageToken"]?.stringValue)
    }
}

extension Date {
    /// Rounded to a whole second: window bounds are whole seconds so that they survive the
    /// round trip through the cursor text exactly (the filter of a page token must not change).
    var cloudWholeSecond: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded()) }
}
