import Foundation
import ParapetCore

/// Where an Azure activity source stands: the window being read (both ends inclusive, as
/// `ge`/`le` are) and, while it is being paged, the `nextLink` to follow.
struct AzureActivityCursor: Sendable, Hashable {
    var from: Date
    var to: Date
    var nextLink: String?

    var cursor: Cursor {
        var object: JSONObject = ["v": 1, "from": .string(ISO8601.string(from: from)), "to": .string(ISO8601.string(from: to))]
        if let nextLink { object["nextLink"] = .string(nextLink) }
        return Cursor(JSONValue.object(object).serialized())
    }

    init(from: Date, to: Date, nextLink: String? = nil) {
        self.from = from.cloudWholeSecond
        self.to = to.cloudWholeSecond
        self.nextLink = nextLink
    }

    init?(_ cursor: Cursor) {
        guard let json = try? JSONValue(parsing: cursor.rawValue),
              let from = json["from"]?.stringValue.flatMap(ISO8601.date(from:)),
              let to = json["to"]?.stringValue.flatMap(ISO8601.date(from:)) else { return nil }
        self.init(from: from, to: to, nextLink: json["nextLink"]?.stringValue)
    }
}
