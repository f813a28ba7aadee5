import Foundation
import ParapetCore

/// The human-facing fields of a violation document, for formats that show them (Slack).
///
/// The document is produced elsewhere (policy evaluation); this reads the documented keys
/// (`policy.id`, `policy.title`, `severity`, `account.{id,name,team}`, `actor.user.{name,uid}`,
/// `event.{id,time,operation,region}`, `remediation`) and tolerates a few alternative spellings
/// (OCSF paths such as `event.api.operation`, `event.cloud.region`), so a missing field shows
/// as unknown rather than failing a delivery.
struct ViolationSummary: Sendable, Hashable {
    var title: String
    var policyID: String?
    var severity: String?
    var accountID: String
    var accountName: String?
    var team: String?
    var actor: String?
    var operation: String?
    var region: String?
    var time: String
    var eventID: String?
    var remediation: String?

    init(_ notification: ParapetCore.Notification) {
        let data = notification.data
        func text(_ paths: String...) -> String? {
            for path in paths {
                if let value = data.value(atPath: path)?.scalarText, !value.isEmpty { return value }
            }
            return nil
        }
        policyID = text("policy.id", "policy_id")
        title = text("policy.title", "title") ?? policyID ?? "Guardrail violation"
        severity = text("severity", "policy.severity", "policy.level")
        accountID = text("account.id", "account.uid", "cloud.account.uid") ?? notification.subject
        accountName = text("account.name")
        team = text("account.team", "team")
        actor = text("actor.user.name", "actor.user.uid", "actor.name", "actor.uid", "actor",
                     "event.actor.user.name", "event.actor.user.uid")
        operation = text("event.operation", "event.api.operation", "operation", "api.operation")
        region = text("event.region", "event.cloud.region", "region", "cloud.region")
        time = text("event.time", "time") ?? ISO8601.string(from: notification.time)
        eventID = text("event.id", "event.uid", "event.metadata.uid", "event_id")
        remediation = text("remediation", "policy.remediation")
    }

    /// `payments-prod (111122223333)`, or the id alone.
    var accountLabel: String {
        if let accountName, accountName != accountID { return "\(accountName) (\(accountID))" }
        return accountID
    }
}
