import ParapetCore

/// Rules indexed by feed and by the literal values they require, so that an event is tested
/// only against rules that could match it. A rule is indexed under field F when every branch of
/// its condition (and of `resolves_on`) requires F to equal one of a set of literals (or match one
/// of some patterns); other rules go to the feed's "always check" list.
struct PolicyIndex: Sendable {
    /// A class: candidate selection reads keys in place instead of copying their tables.
    final class Key: Sendable {
        let name: String
        /// Every place any alias of the key is read from.
        let sources: [FieldSource]
        /// Lowercased literal value → the rules that require it.
        let literals: FoldedKeyTable
        /// Rules whose condition requires the key to match one of some patterns (`*.delete`,
        /// `Microsoft.Authorization/*`): each is a candidate only when one of them matches.
        let patterns: PatternBuckets

        /// The sources when all are plain paths (read as UTF-8 in place).
        let paths: [FieldPath]?
        /// `paths`, read without retaining each (the array above keeps them).
        let unretainedPaths: [Unmanaged<FieldPath>]?

        init(name: String, sources: [FieldSource], literals: FoldedKeyTable, patterns: PatternBuckets) {
            self.name = name
            self.sources = sources
            self.literals = literals
            self.patterns = patterns
            paths = sources.plainPaths
            unretainedPaths = paths?.map(Unmanaged.passUnretained)
        }

        /// Marks the policies `text` selects in `candidates`.
        @inline(__always)
        func select(_ text: UnsafeBufferPointer<UInt8>, into candidates: inout CandidateSet) {
            _ = literals.forEachPolicy(utf8: text) { candidates.insert($0) }
            if !patterns.isEmpty {
                patterns.forEachMatch(utf8: text) { candidates.insert($0) }
            }
        }
    }

    struct FeedIndex: Sendable {
        var keys: [Key] = [] {
            didSet { unretainedKeys = keys.map(Unmanaged.passUnretained) }
        }
        /// `keys`, read without retaining each (the array above keeps them).
        private var unretainedKeys: [Unmanaged<Key>] = []
        var always: [Int] = []
        /// `product: any` only: `always` without the rules whose condition rules the provider out
        /// (`… and not aws` with `aws: {cloud.provider: aws}`).
        var alwaysFor: [Provider: [Int]] = [:]
        /// How many policies the positions count (the candidate set's size).
        let policyCount: Int
        var isEmpty: Bool { keys.isEmpty && always.isEmpty }

        init(always: [Int] = [], policyCount: Int) {
            self.always = always
            self.policyCount = policyCount
        }

        /// The policies to test for this event (their positions, each once, in policy order).
        /// A set of bits, inline up to 512 policies: nothing is allocated, sorted or
        /// deduplicated per event.
        func candidates(for fields: EventFields, provider: Provider? = nil) -> CandidateSet {
            var candidates = CandidateSet(capacity: policyCount)
            if let provider, let always = alwaysFor[provider] {
                for position in always { candidates.insert(position) }
            } else {
                always.withUnsafeBufferPointer { always in
                    for position in always { candidates.insert(position) }
                }
            }
            unretainedKeys.withUnsafeBufferPointer { keys in
                for key in keys {
                    key._withUnsafeGuaranteedRef { key in select(for: key, fields, into: &candidates) }
                }
            }
            return candidates
        }

        /// Marks the policies the value of `key` in the event selects.
        private func select(for key: Key, _ fields: EventFields, into candidates: inout CandidateSet) {
            if let paths = key.unretainedPaths {
                paths.withUnsafeBufferPointer { paths in
                    for path in paths {
                        _ = path._withUnsafeGuaranteedRef { path in
                            fields.anyText(path) { text in
                                key.select(text, into: &candidates)
                                return false
                            }
                        }
                    }
                }
                return
            }
            for source in key.sources {
                source.first(in: fields) { value in
                    _ = EventFields.anyText(in: value) { text in
                        key.select(text, into: &candidates)
                        return false
                    }
                    return false
                }
            }
        }
    }

    /// The index of one feed, nil when no policy reads it.
    func feed(_ feed: Feed) -> FeedIndex? {
        switch feed {
        case .cloudtrail: cloudTrail
        case .gcpAudit: gcpAudit
        case .azureActivity: azureActivity
        }
    }

    private(set) var feeds: [Feed: FeedIndex] = [:]
    private(set) var any: FeedIndex
    private var cloudTrail: FeedIndex?
    private var gcpAudit: FeedIndex?
    private var azureActivity: FeedIndex?

    init(policies: [Policy]) {
        any = FeedIndex(policyCount: policies.count)
        var builders: [Feed?: (keys: [String: [String: [Int]]], patterns: [String: [(StringPattern, Int)]], always: [Int])] = [:]
        for (position, policy) in policies.enumerated() {
            let mapping = FieldMapping.forFeed(policy.feed)
            var constraints = Constraints.of(policy.detection.condition, in: policy.detection, mapping: mapping)
            if let resolvesOn = policy.resolvesOn {
                constraints = Constraints.or(constraints, Constraints.of(resolvesOn, mapping: mapping))
            }
            var builder = builders[policy.feed] ?? ([:], [:], [])
            // Prefer a key constrained to literals only (one hash lookup) over one with patterns.
            // (Indexing by any other field a rule constrains, such as `userIdentity.type`, was
            // measured slower: most such fields are unselective and every key costs a lookup.)
            let key = mapping.indexKeys.first(where: { constraints[$0.name]?.patterns.isEmpty == true })?.name
                ?? mapping.indexKeys.first(where: { constraints[$0.name] != nil })?.name
            if let key, let constraint = constraints[key] {
                for value in constraint.literals { builder.keys[key, default: [:]][value, default: []].append(position) }
                for pattern in constraint.patterns { builder.patterns[key, default: []].append((pattern, position)) }
            } else {
                builder.always.append(position)
            }
            builders[policy.feed] = builder
        }
        for (feed, builder) in builders {
            let mapping = FieldMapping.forFeed(feed)
            var index = FeedIndex(always: builder.always, policyCount: policies.count)
            for (name, fields) in mapping.indexKeys {
                let values = builder.keys[name] ?? [:]
                let patterns = builder.patterns[name] ?? []
                guard !values.isEmpty || !patterns.isEmpty else { continue }
                var seen = Set<String>()
                let sources = fields.flatMap { mapping.sources(for: $0) }.filter { seen.insert($0.description).inserted }
                index.keys.append(Key(name: name, sources: sources, literals: FoldedKeyTable(values),
                                      patterns: PatternBuckets(patterns.map { (pattern: $0.0, policy: $0.1) })))
            }
            if feed == nil {
                for provider in Provider.allCases {
                    index.alwaysFor[provider] = builder.always.filter { position in
                        policies[position].resolvesOn != nil
                            || !ProviderExclusion.rulesOut(provider, policies[position].detection.condition, in: policies[position].detection)
                    }
                }
            }
            if let feed { feeds[feed] = index } else { any = index }
        }
        cloudTrail = feeds[.cloudtrail]
        gcpAudit = feeds[.gcpAudit]
        azureActivity = feeds[.azureActivity]
    }
}

/// Whether a `product: any` condition is false for every event of a provider: it says
/// `… and not s` where a branch of selection `s` is `cloud.provider` equal to the provider.
enum ProviderExclusion {
    static func rulesOut(_ provider: Provider, _ node: ConditionNode, in detection: Detection) -> Bool {
        switch node {
        case .and(let nodes):
            return nodes.contains { rulesOut(provider, $0, in: detection) }
        case .not(.selection(let index)):
            return detection.selections[index].branches.contains { branch in
                guard branch.count == 1, case .field(let name, _) = branch[0].target, name == NormalizedField.provider.rawValue,
                      let literals = branch[0].exactLiterals else { return false }
                return literals.contains(provider.rawValue)
            }
        default:
            return false
        }
    }
}

/// What a condition requires of an index key's value: one of some literals (lowercased) or a
/// match of one of some patterns.
struct KeyConstraint {
    var literals: Set<String> = []
    var patterns: [StringPattern] = []
}

/// Which literal values or patterns a condition requires of which index keys. Every constraint
/// is a necessary condition: an event that fails it cannot match the rule.
enum Constraints {
    typealias Map = [String: KeyConstraint]

    static func of(_ node: ConditionNode, in detection: Detection, mapping: FieldMapping) -> Map {
        switch node {
        case .selection(let index): return of(detection.selections[index], mapping: mapping)
        case .and(let nodes): return nodes.map { of($0, in: detection, mapping: mapping) }.reduce([:], and)
        case .or(let nodes):
            return nodes.dropFirst().reduce(of(nodes[0], in: detection, mapping: mapping)) {
                or($0, of($1, in: detection, mapping: mapping))
            }
        case .not: return [:]
        }
    }

    static func of(_ selection: Selection, mapping: FieldMapping) -> Map {
        let branches = selection.branches.map { branch -> Map in
            var map: Map = [:]
            for test in branch {
                guard case .field(let name, _) = test.target, let key = mapping.indexKey(for: name) else { continue }
                if let literals = test.literals, !test.requireAll {
                    map = and(map, [key: KeyConstraint(literals: literals)])
                } else if let patterns = test.indexPatterns {
                    map = and(map, [key: KeyConstraint(patterns: patterns)])
                }
            }
            return map
        }
        guard let first = branches.first else { return [:] }
        return branches.dropFirst().reduce(first, or)
    }

    /// Both hold: a key constrained on either side stays constrained (literals on both sides to
    /// the common values; otherwise either side's constraint, literals preferred, is necessary).
    static func and(_ a: Map, _ b: Map) -> Map {
        a.merging(b) { x, y in
            switch (x.patterns.isEmpty, y.patterns.isEmpty) {
            case (true, true): KeyConstraint(literals: x.literals.intersection(y.literals))
            case (true, false): x
            default: y.patterns.isEmpty ? y : x
            }
        }
    }

    /// Either holds: only keys constrained on both sides remain (to the values or patterns of either).
    static func or(_ a: Map, _ b: Map) -> Map {
        var out: Map = [:]
        for (key, x) in a {
            if let y = b[key] { out[key] = KeyConstraint(literals: x.literals.union(y.literals), patterns: x.patterns + y.patterns) }
        }
        return out
    }
}

/// A set of policy positions below a capacity, as bits: inserting sets a bit, and iterating
/// gives each position once, in increasing order. Held inline (no allocation) up to 512
/// positions.
struct CandidateSet: Sequence {
    private static let inlineWords = 8
    private var inline = InlineArray<8, UInt64>(repeating: 0)
    /// The words after the inline ones, for a capacity above 512.
    private var overflow: [UInt64]

    init(capacity: Int) {
        let words = (capacity + 63) >> 6
        overflow = words > CandidateSet.inlineWords ? Array(repeating: 0, count: words - CandidateSet.inlineWords) : []
    }

    @inline(__always)
    mutating func insert(_ position: Int) {
        let word = position >> 6
        let bit: UInt64 = 1 << UInt64(position & 63)
        if word < CandidateSet.inlineWords {
            inline[word] |= bit
        } else {
            overflow[word - CandidateSet.inlineWords] |= bit
        }
    }

    var count: Int {
        var total = 0
        for position in self { _ = position; total += 1 }
        return total
    }

    func makeIterator() -> Iterator { Iterator(set: self) }

    struct Iterator: IteratorProtocol {
        fileprivate let set: CandidateSet
        private var word = -1
        private var bits: UInt64 = 0

        fileprivate init(set: CandidateSet) { self.set = set }

        @inline(__always)
        mutating func next() -> Int? {
            while bits == 0 {
                word += 1
                if word < CandidateSet.inlineWords {
                    bits = set.inline[word]
                } else if word - CandidateSet.inlineWords < set.overflow.count {
                    bits = set.overflow[word - CandidateSet.inlineWords]
                } else {
                    return nil
                }
            }
            let position = word << 6 | bits.trailingZeroBitCount
            bits &= bits &- 1
            return position
        }
    }
}
