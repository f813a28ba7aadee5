import Foundation
import ParapetCore

/// Real sample records from `../shared/samples`, wrapped as `AuditEvent`s with only the fields
/// a policy test needs (the real normalisers live in ParapetProviders).
enum Samples {
    static func records(_ relative: String) throws -> [JSONValue] {
        let text = try String(contentsOf: TestPaths.samples.appendingPathComponent(relative), encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.isEmpty }.map { try JSONValue(parsing: String($0)) }
    }

    static func event(_ raw: JSONValue, feed: Feed, index: Int = 0) -> AuditEvent {
        let operation: String
        let account: String
        switch feed {
        case .cloudtrail:
            operation = raw["eventName"]?.stringValue ?? ""
            account = raw["recipientAccountId"]?.stringValue ?? raw.value(atPath: "userIdentity.accountId")?.stringValue ?? "000000000000"
        case .gcpAudit:
            operation = raw.value(atPath: "protoPayload.methodName")?.stringValue ?? ""
            account = raw.value(atPath: "resource.labels.project_id")?.stringValue ?? "project"
        case .azureActivity:
            operation = raw["operationName"]?.stringValue ?? raw.value(atPath: "operationName.value")?.stringValue ?? ""
            account = raw["subscriptionId"]?.stringValue ?? "subscription"
        }
        return AuditEvent(provider: feed.provider, feed: feed, eventID: "sample-\(index)", time: Date(timeIntervalSince1970: 0),
                          account: account, operation: operation, raw: raw)
    }

    static func events(_ relative: String, feed: Feed) throws -> [AuditEvent] {
        try records(relative).enumerated().map { event($1, feed: feed, index: $0) }
    }
}
