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

        init(name: String, sources: [FieldSource], literals: FoldedKeyTable, patterns: PatternBuckets) {
            self.name = name
            self.sources = sources
            self.literals = literals
            self.patterns = patterns
            paths = sources.plainPaths
        }

        /// Adds the policies `text` selects to `result`; true if there were any.
        func select(_ text: UnsafeBufferPointer<UInt8>, into result: inout [Int]) -> Bool {
            var added = false
            if let hits = literals.policies(utf8: text) {
                result += hits
                added = true
            }
            if !patterns.isEmpty {
                patterns.forEachMatch(utf8: text) { policy in
                    result.append(policy)
                    added = true
                }
            }
            return added
        }
    }

    struct FeedIndex: Sendable {
        var keys: [Key] = []
        var always: [Int] = []
        /// `product: any` only: `always` without the rules whose condition rules the provider out
        /// (`… and not aws` with `aws: {cloud.provider: aws}`).
        var alwaysFor: [Provider: [Int]] = [:]
        var isEmpty: Bool { keys.isEmpty && always.isEmpty }

        /// Indices of the policies to test for this event, in policy order.
        func candidates(for fields: EventFields, provider: Provider? = nil) -> [Int] {
            var result = provider.flatMap { alwaysFor[$0] } ?? always
            var added = false
            for key in keys {
                if let paths = key.paths {
                    for path in paths {
                        _ = fields.anyText(path) { text in
                            if key.select(text, into: &result) { added = true }
                            return false
                        }
                    }
                    continue
                }
                for source in key.sources {
                    source.first(in: fields) { value in
                        _ = FieldTest.anyScalar(in: value) { scalar in
                            guard let text = scalar.scalarText else { return false }
                            if let hits = key.literals.policies(for: text) {
                                result += hits
                                added = true
                            }
                            if !key.patterns.isEmpty {
                                key.patterns.forEachMatch(text) { policy in
                                    result.append(policy)
                                    added = true
                                }
                            }
                            return false
                        }
                        return false
                    }
                }
            }
            guard added, result.count > 1 else { return result }
            result.sort()
            var kept = 1
            for i in 1..<result.count where result[i] != result[kept - 1] {
                result[kept] = result[i]
                kept += 1
            }
            result.removeLast(result.count - kept)
            return result
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
    private(set) var any = FeedIndex()
    private var cloudTrail: FeedIndex?
    private var gcpAudit: FeedIndex?
    private var azureActivity: FeedIndex?

    init(policies: [Policy]) {
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
            var index = FeedIndex(always: builder.always)
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
