import Foundation
import ParapetCore

/// The violation as receivers see it: the `data` of the CloudEvent, the violation log line and
/// `parapet violations show`. Built once, when the violation is recorded.
public enum ViolationDocument {
    public struct PolicyInfo: Sendable {
        public var id: String
        public var title: String
        public var severity: Severity
        public var controls: [String]
        public var remediation: String?
        public var description: String?

        public init(id: String, title: String, severity: Severity, controls: [String] = [], remediation: String? = nil,
                    description: String? = nil) {
            self.id = id
            self.title = title
            self.severity = severity
            self.controls = controls
            self.remediation = remediation
            self.description = description
        }
    }

    public static func make(policy: PolicyInfo, event: AuditEvent, context: AccountContext, resource: String,
                            instance: String, status: ViolationStatus, note: String? = nil) -> JSONValue {
        var policyObject: JSONObject = [
            "id": .string(policy.id),
            "title": .string(policy.title),
            "severity": .string(policy.severity.rawValue),
            "controls": .array(policy.controls.map(JSONValue.string)),
        ]
        if let remediation = policy.remediation { policyObject["remediation"] = .string(remediation) }
        if let description = policy.description { policyObject["description"] = .string(description) }
        var account: JSONObject = ["id": .string(event.account), "provider": .string(event.provider.rawValue)]
        if let name = context.account.name { account["name"] = .string(name) }
        if let ou = context.account.ou { account["ou"] = .string(ou) }
        if let team = context.account.team { account["team"] = .string(team) }
        var actor: JSONObject = [:]
        if let uid = event.actor.uid { actor["uid"] = .string(uid) }
        if let type = event.actor.type { actor["type"] = .string(type) }
        if let name = event.actor.name { actor["name"] = .string(name) }
        // From a whole second before the event: events are keyed by time first, so the search by
        // id then reads the events since then, not the whole store.
        let since = ISO8601.string(from: Date(timeIntervalSince1970: (event.time.timeIntervalSince1970 - 1).rounded(.down)))
        var eventObject: JSONObject = [
            "id": .string(event.eventID),
            "time": .string(ISO8601.string(from: event.time)),
            "provider": .string(event.provider.rawValue),
            "feed": .string(event.feed.rawValue),
            "outcome": .string(event.outcome.rawValue),
            "show": .string("parapet events --provider \(event.provider.rawValue) --account \(event.account) --id \(event.eventID) --since \(since) --format json"),
        ]
        if let errorCode = event.errorCode { eventObject["error_code"] = .string(errorCode) }
        if let service = event.serviceName { eventObject["service"] = .string(service) }
        if let agent = event.userAgent { eventObject["user_agent"] = .string(agent) }
        var document: JSONObject = [
            "policy": .object(policyObject),
            "account": .object(account),
            "actor": .object(actor),
            "operation": .string(event.operation),
            "resource": .string(resource),
            "event": .object(eventObject),
            "status": .string(status.rawValue),
            "instance": .string(instance),
        ]
        if let region = event.region { document["region"] = .string(region) }
        if let ip = event.sourceIP { document["source_ip"] = .string(ip) }
        if let note { document["note"] = .string(note) }
        return .object(document)
    }
}
