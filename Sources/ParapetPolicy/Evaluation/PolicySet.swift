import Foundation
import ParapetCore

/// The compiled, immutable set of policies: evaluation is a pure function of the event, the
/// account context and the time, safe to call from many tasks at once.
public struct PolicySet: Sendable {
    /// The policies, in load order.
    public let policies: [Policy]
    let index: PolicyIndex
    private let programs: [PolicyProgram]
    /// `programs` as unretained references, for evaluation (a strong one is a retain and
    /// release per candidate).
    private let unretainedPrograms: [Unmanaged<PolicyProgram>]
    private let positions: [String: Int]
    /// Slot numbers of every field path the policies read are below this.
    private let slots: Int
    /// Per-event caches kept for the next evaluation.
    private let spares = EventFieldsSpares()

    /// Compiles the index over `policies`.
    public init(policies: [Policy]) {
        self.policies = policies
        index = PolicyIndex(policies: policies)
        slots = FieldPath.slotCount
        programs = policies.map(PolicyProgram.init)
        unretainedPrograms = programs.map(Unmanaged.passUnretained)
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

    /// How many policies the index sends this event to (the rest are skipped without a test).
    public func candidateCount(for event: AuditEvent) -> Int {
        var count = 0
        if let feedIndex = index.feed(event.feed) {
            count += feedIndex.candidates(for: EventFields(document: event.raw, slots: slots, dottedKeys: event.rawHasDottedKeys ?? true)).count
        }
        if !index.any.isEmpty {
            count += EventFields.withNormalized(of: event, slots: slots) { index.any.candidates(for: $0, provider: event.provider).count }
        }
        return count
    }

    /// Policies tested on every event of a feed (not indexed by a literal value), per feed; `nil` is `product: any`.
    public var alwaysTested: [Feed?: Int] {
        var out: [Feed?: Int] = [nil: index.any.always.count]
        for (feed, feedIndex) in index.feeds { out[feed] = feedIndex.always.count }
        return out
    }

    /// Every violation, suppressed violation and resolution this event produces.
    public func evaluate(_ event: AuditEvent, context: AccountContext, now: Date) -> [PolicyMatch] {
        var matches: [PolicyMatch] = []
        if let feedIndex = index.feed(event.feed) {
            EventFields.withDocument(event.raw, slots: slots, dottedKeys: event.rawHasDottedKeys ?? true, spares: spares) { fields in
                for position in feedIndex.candidates(for: fields) {
                    unretainedPrograms[position]._withUnsafeGuaranteedRef { program in
                        guard program.scopeIsUnrestricted || program.inScope(context, eventRegion: event.region),
                              let hit = program.test(fields) else { return }
                        program.record(hit, fields: fields, event: event, now: now, into: &matches, policy: policies[position])
                    }
                }
            }
        }
        if !index.any.isEmpty {
            EventFields.withNormalized(of: event, slots: slots, spares: spares) { fields in
                for position in index.any.candidates(for: fields, provider: event.provider) {
                    unretainedPrograms[position]._withUnsafeGuaranteedRef { program in
                        guard program.scopeIsUnrestricted || program.inScope(context, eventRegion: event.region),
                              let hit = program.test(fields) else { return }
                        program.record(hit, fields: fields, event: event, now: now, into: &matches, policy: policies[position])
                    }
                }
            }
        }
        return matches
    }
}
