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
    /// The scope's region globs, compiled once.
    private let regions: PolicyScope.CompiledRegions

    init(_ policy: Policy) {
        detection = policy.detection
        resolvesOn = policy.resolvesOn
        exceptions = policy.exceptions
        scope = policy.scope
        scopeIsUnrestricted = policy.scope.isUnrestricted
        regions = PolicyScope.CompiledRegions(policy.scope)
    }

    /// What the detection and `resolves_on` say of one event's fields.
    struct Hit {
        var violated: Bool
        var resolved: Bool
    }

    /// Whether the event is in the policy's scope (always, for an unrestricted policy).
    func inScope(_ context: AccountContext, eventRegion: String?) -> Bool {
        scopeIsUnrestricted || scope.contains(context, eventRegion: eventRegion, regions: regions)
    }

    /// The detection and `resolves_on` on one event's fields; nil when neither matches. Reads
    /// only the fields, so the hot path passes no event or context around.
    func test(_ fields: EventFields) -> Hit? {
        let violated = detection.matches(fields)
        let resolved = resolvesOn?.matches(fields) ?? false
        return violated || resolved ? Hit(violated: violated, resolved: resolved) : nil
    }

    /// What the policy makes of one document; `context` nil skips the scope check.
    func outcomes(document: JSONValue, event: AuditEvent?, context: AccountContext?, eventRegion: String?, now: Date,
                  policy: () -> Policy) -> [PolicyMatch] {
        var out: [PolicyMatch] = []
        if let context, !inScope(context, eventRegion: eventRegion) { return out }
        let fields = EventFields(document: document)
        if let hit = test(fields) { record(hit, fields: fields, event: event, now: now, into: &out, policy: policy()) }
        return out
    }

    /// Appends the matches of a hit to `out`: a violation (or its suppression by an active
    /// exception) and a resolution.
    func record(_ hit: Hit, fields: EventFields, event: AuditEvent?, now: Date, into out: inout [PolicyMatch], policy: Policy) {
        let resource = ResourceNamer.resource(for: policy, document: fields.document, event: event)
        if hit.violated {
            if let exception = exceptions.first(where: { $0.isActive(at: now) && $0.matches(fields) }) {
                out.append(PolicyMatch(policy: policy, kind: .suppressed(exceptionReason: exception.reason,
                                                                          owner: exception.owner, ticket: exception.ticket),
                                       resource: resource))
            } else {
                out.append(PolicyMatch(policy: policy, kind: .violation, resource: resource))
            }
        }
        if hit.resolved { out.append(PolicyMatch(policy: policy, kind: .resolution, resource: resource)) }
    }
}
