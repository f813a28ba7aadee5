import Foundation
import ParapetCore

/// The compiled, immutable set of policies: evaluation is a pure function of the event, the
/// account context and the time, safe to call from many tasks at once.
public struct PolicySet: Sendable {
    /// The policies, in load order.
    public let policies: [Policy]
    let index: PolicyIndex
    private let programs: [PolicyProgram]
    private let positions: [String: Int]

    /// Compiles the index over `policies`.
    public init(policies: [Policy]) {
        self.policies = policies
        index = PolicyIndex(policies: policies)
        programs = policies.map(PolicyProgram.init)
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
                let found = programs[position].outcomes(document: event.raw, event: event, context: context,
                                                        eventRegion: event.region, now: now) { policies[position] }
                if !found.isEmpty { matches += found }
            }
        }
        if !index.any.isEmpty {
            let document = event.normalized
            for position in index.any.candidates(for: document) {
                let found = programs[position].outcomes(document: document, event: event, context: context,
                                                        eventRegion: event.region, now: now) { policies[position] }
                if !found.isEmpty { matches += found }
            }
        }
        return matches
    }
}
