import Foundation
import ParapetCore

/// Slack incoming-webhook messages (`text` fallback + Block Kit `blocks`).
///
/// A header (`Guardrail violation: <title>` or `Resolved: <title>`), a section with the fields
/// Severity, Account (name, id, team), Actor, Operation, Region and Time, a section with the
/// remediation, and a context line with the policy id, event id and delivery id. Values from
/// the violation are escaped for mrkdwn (`&`, `<`, `>`) so an actor name cannot ping a channel
/// or forge a link, and cut to Slack's block limits.
public enum SlackFormat {
    /// The content type of a Slack message.
    public static let contentType = "application/json"

    /// The message as a JSON document.
    public static func document(for notification: ParapetCore.Notification) -> JSONValue {
        let summary = ViolationSummary(notification)
        let resolved = notification.kind == .resolved
        let severity = summary.severity ?? "unknown"
        let heading = (resolved ? "Resolved: " : "Guardrail violation: ") + summary.title
        let text = resolved
            ? "Resolved: \(summary.title) in \(summary.accountLabel)"
            : "[\(severity.uppercased())] \(summary.title) in \(summary.accountLabel)"

        var account = summary.accountLabel
        if let team = summary.team { account += "\nteam \(team)" }
        let fields: [(String, String)] = [
            ("Severity", severity),
            ("Account", account),
            ("Actor", summary.actor ?? "unknown"),
            ("Operation", summary.operation ?? "unknown"),
            ("Region", summary.region ?? "—"),
            ("Time", summary.time),
        ]
        var blocks: [JSONValue] = [
            ["type": "header", "text": ["type": "plain_text", "text": .string(cut(heading, 150))]],
            ["type": "section", "fields": .array(fields.map { name, value in
                mrkdwn("*\(name)*\n" + escape(cut(value, 1900)))
            })],
        ]
        if resolved {
            blocks.append(["type": "section", "text": mrkdwn("The violation is resolved; no action is needed.")])
        } else if let remediation = summary.remediation {
            blocks.append(["type": "section", "text": mrkdwn("*Remediation*\n" + escape(cut(remediation, 2900)))])
        }
        var context = ["Policy `\(escape(summary.policyID ?? "unknown"))`"]
        if let eventID = summary.eventID { context.append("Event `\(escape(eventID))`") }
        context.append("Delivery `\(escape(notification.id))`")
        blocks.append(["type": "context", "elements": [mrkdwn(cut(context.joined(separator: " · "), 2000))]])
        return ["text": .string(escape(cut(text, 3000))), "blocks": .array(blocks)]
    }

    /// The compact UTF-8 body.
    public static func body(for notification: ParapetCore.Notification) -> Data {
        Data(document(for: notification).serialized().utf8)
    }

    private static func mrkdwn(_ text: String) -> JSONValue { ["type": "mrkdwn", "text": .string(text)] }

    /// Slack's mrkdwn control characters, as Slack documents them.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func cut(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
