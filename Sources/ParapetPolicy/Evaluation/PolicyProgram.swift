import Foundation
import ParapetCore

/// The parts of a policy evaluation needs, behind one reference: evaluating an event touches
/// this object only, and the `Policy` value is copied into a match only when there is one.
final class PolicyProgram: Sendable {
    let detection: Detection
    let resolvesOn: Selection?
    let exceptions: [PolicyException]
    let scope: PolicyScope
    let scopeIsUnrestricted: Bool

    init(_ policy: Policy) {
        detection = policy.detection
        resolvesOn = policy.resolvesOn
        exceptions = policy.exceptions
        scope = policy.scope
        scopeIsUnrestricted = policy.scope.isUnrestricted
    }

    /// What the policy makes of one document; `context` nil skips the scope check.
    func outcomes(document: JSONValue, event: AuditEvent?, context: AccountContext?, eventRegion: String?, now: Date,
                  policy: () -> Policy) -> [PolicyMatch] {
        var out: [PolicyMatch] = []
        outcomes(fields: EventFields(document: document), event: event, context: context, eventRegion: eventRegion,
                 now: now, into: &out, policy: policy)
        return out
    }

    /// Appends what the policy makes of one event's fields to `out`.
    func outcomes(fields: EventFields, event: AuditEvent?, context: AccountContext?, eventRegion: String?, now: Date,
                  into out: inout [PolicyMatch], policy: () -> Policy) {
        if !scopeIsUnrestricted, let context, !scope.contains(context, eventRegion: eventRegion) { return }
        let violated = detection.matches(fields)
        let resolved = resolvesOn?.matches(fields) ?? false
        guard violated || resolved else { return }
        let policy = policy()
        let resource = ResourceNamer.resource(for: policy, document: fields.document, event: event)
        if violated {
            if let exception = exceptions.first(where: { $0.isActive(at: now) && $0.matches(fields) }) {
                out.append(PolicyMatch(policy: policy, kind: .suppressed(exceptionReason: exception.reason,
                                                                          owner: exception.owner, ticket: exception.ticket),
                                       resource: resource))
            } else {
                out.append(PolicyMatch(policy: policy, kind: .violation, resource: resource))
            }
        }
        if resolved { out.append(PolicyMatch(policy: policy, kind: .resolution, resource: resource)) }
    }
}
