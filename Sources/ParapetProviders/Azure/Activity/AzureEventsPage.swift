import Foundation
import ParapetCore

/// One Activity Logs page: `{"value": [EventData…], "nextLink": "…"}`.
struct AzureEventsPage: Sendable {
    var events: [JSONValue]
    var nextLink: String?

    init(_ body: Data, subject: String, operation: String) throws {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "\(operation) answered a page that is not JSON (\(error))")
        }
        guard json.objectValue != nil else {
            throw CloudSourceError(.malformedResponse, subject: subject, message: "\(operation) answered a page that is not a JSON object")
        }
        switch json["value"] {
        case nil, .null?: events = []
        case .array(let list)?: events = list
        default: throw CloudSourceError(.malformedResponse, subject: subject, message: "\(operation) answered a page whose 'value' is not an array")
        }
        nextLink = json["nextLink"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Normalises each event into `page`; what cannot be normalised is quarantined.
    func collect(into page: inout ActivityPage, sourceID: String, location: String) {
        for (index, event) in events.enumerated() {
            do {
                guard event.objectValue != nil else { throw NormaliseError("the event is not a JSON object") }
                page.events.append(try Normaliser.normalise(event, feed: .azureActivity))
            } catch {
                page.quarantined.append(QuarantinedRecord(
                    sourceID: sourceID, location: "\(location) event \(index + 1)", reason: String(describing: error),
                    raw: Data(event.serialized().utf8)))
            }
        }
    }
}
