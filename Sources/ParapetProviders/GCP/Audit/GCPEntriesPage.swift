import Foundation
import ParapetCore

/// One `entries.list` response: `{"entries": [LogEntry…], "nextPageToken": "…"}` (an empty
/// window answers `{}`).
struct GCPEntriesPage: Sendable {
    var entries: [JSONValue]
    var nextPageToken: String?

    init(_ body: Data, subject: String) throws {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "entries.list answered a page that is not JSON (\(error))")
        }
        guard json.objectValue != nil else {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "entries.list answered a page that is not a JSON object")
        }
        switch json["entries"] {
        case nil, .null?: entries = []
        case .array(let list)?: entries = list
        default:
            throw CloudSourceError(.malformedResponse, subject: subject, message: "entries.list answered a page whose 'entries' is not an array")
        }
        nextPageToken = json["nextPageToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Normalises each entry into `page`; what cannot be normalised is quarantined.
    func collect(into page: inout ActivityPage, sourceID: String, location: String) {
        for (index, entry) in entries.enumerated() {
            do {
                guard entry.objectValue != nil else { throw NormaliseError("the entry is not a JSON object") }
                page.events.append(try Normaliser.normalise(entry, feed: .gcpAudit))
            } catch {
                page.quarantined.append(QuarantinedRecord(
                    sourceID: sourceID, location: "\(location) entry \(index + 1)", reason: String(describing: error),
                    raw: Data(entry.serialized().utf8)))
            }
        }
    }
}
