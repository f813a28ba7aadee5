import Foundation
import ParapetCore

/// The compiled, immutable set of policies: evaluation is a pure function of the event, the
/// account context and the time, safe to call from many tasks at once.
public struct PolicySet: Sendable {
    /// The policies, in load order.
    public let policies: [Policy]
    let index: PolicyIndex
    private let positions: [String: Int]

    /// Compiles the index over `policies`.
    public init(policies: [Policy]) {
        self.policies = policies
        index = PolicyIndex(policies: policies)
        var positions: [String: Int] = [:]
        for (i, policy) in policies.enumerated() where positions[policy.id] == nil { positions[policy.id] = i }
        self.positions = positions
    }

    /// A set without policies.
    public static let empty = PolicySet(policies: [])

    /// The policy with this id.
    public func policy(id: String) -> Policy? {
        positions[id].map { policies[$0] }
    }

    /// Every violation, suppressed violation and resolution this event produces.
    public func evaluate(_ event: AuditEvent, context: AccountContext, now: Date) -> [PolicyMatch] {
        var matches: [PolicyMatch] = []
        if let feedIndex = index.feeds[event.feed] {
            for position in feedIndex.candidates(for: event.raw) {
                matches += Self.outcomes(of: policies[position], document: event.raw, event: event,
                                         context: context, eventRegion: event.region, now: now)
            }
        }
        if !index.any.isEmpty {
            let document = event.normalized
            for position in index.any.candidates(for: document) {
                matches += Self.outcomes(of: policies[position], document: document, event: event,
                                         context: context, eventRegion: event.region, now: now)
            }
        }
        return matches
    }

    /// What one policy makes of one document; `context` nil skips the scope check.
    static func outcomes(of policy: Policy, document: JSONValue, event: AuditEvent?, context: AccountContext?,
                         eventRegion: String?, now: Date) -> [PolicyMatch] {
        if let context, !policy.scope.contains(context, eventRegion: eventRegion) { return [] }
        var out: [PolicyMatch] = []
        if policy.detection.matches(document) {
            let resource = ResourceNamer.resource(for: policy, document: document, event: event)
            if let exception = policy.exceptions.first(where: { $0.isActive(at: now) && $0.matches(document) }) {
                out.append(PolicyMatch(policy: policy, kind: .suppressed(exceptionReason: exception.reason,
                                                                          owner: exception.owner, ticket: exception.ticket),
                                       resource: resource))
            } else {
                out.append(PolicyMatch(policy: policy, kind: .violation, resource: resource))
            }
        }
        if let resolvesOn = policy.resolvesOn, resolvesOn.matches(document) {
            out.append(PolicyMatch(policy: policy, kind: .resolution,
                                   resource: ResourceNamer.resource(for: policy, document: document, event: event)))
        }
        return out
    }
}
