import Foundation
import ParapetCore
import ParapetPolicy

/// Turns policy matches into the findings the store records: the violation document, the group
/// resource, and the routes that want it.
struct FindingBuilder: Sendable {
    var policies: PolicySet
    var accounts: AccountDirectory
    var routing: Routing
    var instance: String

    func findings(for events: [AuditEvent], now: Date) -> [Finding] {
        events.flatMap { findings(for: $0, now: now) }
    }

    /// The findings of one event, in policy order.
    func findings(for event: AuditEvent, now: Date) -> [Finding] {
        let context = accounts.context(for: event)
        return policies.evaluate(event, context: context, now: now).map { finding(for: $0, event: event, context: context) }
    }

    func finding(for match: PolicyMatch, event: AuditEvent, context: AccountContext) -> Finding {
        let policy = match.policy
        let info = ViolationDocument.PolicyInfo(
            id: policy.id, title: policy.title, severity: policy.severity, controls: policy.controls,
            remediation: policy.remediation, description: policy.description)
        let kind: Finding.Kind
        var note: String?
        let status: ViolationStatus
        switch match.kind {
        case .violation:
            kind = .violation
            status = .open
        case .suppressed(let reason, let owner, let ticket):
            kind = .suppressed
            status = .suppressed
            note = [reason, owner.map { "owner \($0)" }, ticket.map { "ticket \($0)" }].compactMap { $0 }.joined(separator: "; ")
        case .resolution:
            kind = .resolution
            status = .resolved
        }
        let data = ViolationDocument.make(
            policy: info, event: event, context: context, resource: match.resource, instance: instance,
            status: status, note: note)
        let routes = kind == .suppressed
            ? []
            : routing.routes(severity: policy.severity, policyID: policy.id, provider: event.provider, team: context.account.team)
        var finding = Finding(
            kind: kind, policyID: policy.id, policyTitle: policy.title, severity: policy.severity, event: event.key,
            resource: match.resource, note: note, routes: routes, data: data)
        // Here, while the page is prepared, rather than by the store's one writer.
        finding.serializeData()
        return finding

    }
}
