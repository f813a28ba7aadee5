#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ParapetCore

/// One `field|modifiers: values` entry of a selection, compiled. A class so that evaluation
/// passes references, not copies of its arrays.
final class FieldTest: Sendable {
    enum Target: Sendable {
        case field(name: String, sources: [FieldSource])
        /// A value without a field: searched in every value of the event.
        case keywords
    }

    let target: Target
    let tests: [ValueTest]
    /// `all`: every value must match (otherwise any).
    let requireAll: Bool
    /// `neq`: the field has a value that equals none of the values.
    let negated: Bool
    let timePart: TimePart?
    /// Lowercased literals when this entry is a plain equality on strings (for the rule index).
    let literals: Set<String>?
    /// The field's sources (empty for keywords).
    private let sources: [FieldSource]
    /// `null` / `exists` tests are decided on the field, not on its values.
    private let hasFieldLevelTests: Bool
    /// The patterns of an entry whose values are all string patterns (tried directly on strings).
    private let keywordPatterns: [StringPattern]?
    /// For a field entry that holds when any value matches any of these patterns (no `all`,
    /// `neq`, time part, `null` or `exists`): the patterns, which the rule index uses as a
    /// necessary condition for rules it cannot index by literal values.
    let indexPatterns: [StringPattern]?
    /// For a keyword list of case-insensitive plain substrings (no zero bytes, no Unicode
    /// folding): the needles, searched (`memchr` + `memcmp`) in the event's folded scalar
    /// haystack instead of in every scalar.
    private let keywordNeedles: [[UInt8]]?
    /// For a field entry that holds whenever a value equals one of these texts (lowercased),
    /// case-insensitively, as plain equality (no modifier but `expand`, not `cased`): the texts.
    let exactLiterals: [String]?
    /// For the common entry (plain paths; any value matching any string pattern; no `all`,
    /// `neq`, time part, `null` or `exists`): its paths and patterns. Such an entry is tested on
    /// the values' UTF-8 in place, without passing `JSONValue`s and `ValueTest`s around.
    /// Unretained references (`sources` and `tests` own them): a strong one loaded from the
    /// buffer was a retain and release per path and pattern tried.
    /// (Three stored properties rather than an optional tuple: binding the tuple retained both
    /// arrays on every test.)
    private let isPlain: Bool
    private let plainPaths: [Unmanaged<FieldPath>]
    private let plainPatterns: [Unmanaged<StringPattern>]

    init(target: Target, tests: [ValueTest], requireAll: Bool, negated: Bool, timePart: TimePart?, literals: Set<String>?) {
        self.target = target
        self.tests = tests
        self.requireAll = requireAll
        self.negated = negated
        self.timePart = timePart
        self.literals = literals
        if case .field(_, let sources) = target { self.sources = sources } else { self.sources = [] }
        hasFieldLevelTests = tests.contains {
            switch $0 {
            case .null, .exists: true
            default: false
            }
        }
        let patterns = tests.compactMap { test -> StringPattern? in
            if case .pattern(let pattern) = test { return pattern }
            return nil
        }
        keywordPatterns = patterns.count == tests.count ? patterns : nil
        if case .field = target, !requireAll, !negated, timePart == nil, let keywordPatterns, !keywordPatterns.isEmpty {
            indexPatterns = keywordPatterns
        } else {
            indexPatterns = nil
        }
        var needles: [[UInt8]]? = nil
        if case .keywords = target, !requireAll, let keywordPatterns, !keywordPatterns.isEmpty {
            needles = []
            for pattern in keywordPatterns {
                guard case .contains(let needle) = pattern.shape, !pattern.cased, !pattern.needsUnicodeFolding,
                    !needle.isEmpty, !needle.contains(0)
                else {
                    needles = nil
                    break
                }
                needles?.append(needle)
            }
        }
        keywordNeedles = needles
        var exact: [String]? = nil
        if case .field = target, !requireAll, !negated, timePart == nil, let keywordPatterns, !keywordPatterns.isEmpty {
            exact = []
            for pattern in keywordPatterns {
                guard !pattern.cased, case .exact(let bytes) = pattern.shape else {
                    exact = nil
                    break
                }
                exact?.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        exactLiterals = exact
        if case .field(_, let sources) = target, !requireAll, !negated, timePart == nil, let keywordPatterns, !keywordPatterns.isEmpty,
           let paths = sources.plainPaths {
            isPlain = true
            plainPaths = paths.map(Unmanaged.passUnretained)
            plainPatterns = keywordPatterns.map(Unmanaged.passUnretained)
        } else {
            isPlain = false
            plainPaths = []
            plainPatterns = []
        }
    }

    func matches(_ root: JSONValue) -> Bool {
        matches(EventFields(document: root))
    }

    func matches(_ root: EventFields) -> Bool {
        if isPlain { return matchesPlain(root) }
        if case .keywords = target { return matchesKeywords(root) }
        if negated { return matchesNegated(root) }
        if requireAll || hasFieldLevelTests {
            for index in tests.indices {
                let satisfied = matches(index, root)
                if requireAll, !satisfied { return false }
                if !requireAll, satisfied { return true }
            }
            return requireAll
        }
        // Any value test: walk the field once and try every test on each value.
        for s in sources.indices {
            let found = sources[s].first(in: root) { value in
                guard let value = transformed(value) else { return false }
                for t in tests.indices where tests[t].matches(value, in: root) { return true }
                return false
            }
            if found { return true }
        }
        return false
    }

    private func matches(_ index: Int, _ root: EventFields) -> Bool {
        switch tests[index] {
        case .null:
            for source in sources where source.first(in: root, where: { !$0.isNull }) { return false }
            return true
        case .exists(let expected):
            for source in sources where source.exists(in: root) { return expected }
            return !expected
        default:
            for source in sources {
                let found = source.first(in: root) { value in
                    guard let value = transformed(value) else { return false }
                    return tests[index].matches(value, in: root)
                }
                if found { return true }
            }
            return false
        }
    }

    private func matchesPlain(_ root: EventFields) -> Bool {
        plainPaths.withUnsafeBufferPointer { paths in
            plainPatterns.withUnsafeBufferPointer { patterns in
                for path in paths {
                    let found = path._withUnsafeGuaranteedRef { path in
                        root.anyText(path) { text in
                            for pattern in patterns where pattern._withUnsafeGuaranteedRef({ $0.matches(utf8: text) }) { return true }
                            return false
                        }
                    }
                    if found { return true }
                }
                return false
            }
        }
    }

    private func matchesNegated(_ root: EventFields) -> Bool {
        for source in sources {
            let found = source.first(in: root) { value in
                guard !value.isNull, let value = transformed(value) else { return false }
                for test in tests {
                    if case .null = test { continue }
                    if test.matches(value, in: root) { return false }
                }
                return true
            }
            if found { return true }
        }
        return false
    }

    private func matchesKeywords(_ root: EventFields) -> Bool {
        if let keywordNeedles {
            let haystack = root.foldedScalarHaystack
            return haystack.withUnsafeBytes { hay in
                keywordNeedles.contains { needle in
                    needle.withUnsafeBytes { FieldTest.contains(hay, $0) }
                }
            }
        }
        let scalars = root.allScalars
        if requireAll {
            for test in tests where !scalars.contains(where: { test.matches($0, in: root) }) { return false }
            return true
        }
        if let keywordPatterns {
            for scalar in scalars {
                if case .string(let text) = scalar {
                    for pattern in keywordPatterns where pattern.matches(text) { return true }
                } else {
                    for test in tests where test.matches(scalar, in: root) { return true }
                }
            }
            return false
        }
        for scalar in scalars {
            for test in tests where test.matches(scalar, in: root) { return true }
        }
        return false
    }

    /// Whether `needle` (not empty) occurs in `hay`, byte for byte.
    static func contains(_ hay: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        guard let base = hay.baseAddress, let pattern = needle.baseAddress, needle.count <= hay.count else { return false }
        let first = Int32(needle[0])
        var start = 0
        let last = hay.count - needle.count
        while start <= last {
            guard let found = memchr(base + start, first, last - start + 1) else { return false }
            let offset = base.distance(to: UnsafeRawPointer(found))
            if memcmp(base + offset, pattern, needle.count) == 0 { return true }
            start = offset + 1
        }
        return false
    }

    private func transformed(_ value: JSONValue) -> JSONValue? {
        guard let timePart else { return value }
        return timePart.extract(from: value).map { .number($0) }
    }

    /// Calls `body` on every scalar (string, number, bool) anywhere in `value`.
    static func anyScalar(in value: JSONValue, _ body: (JSONValue) -> Bool) -> Bool {
        switch value {
        case .object(let members):
            for member in members.values where anyScalar(in: member, body) { return true }
            return false
        case .array(let elements):
            for element in elements where anyScalar(in: element, body) { return true }
            return false
        case .null: return false
        default: return body(value)
        }
    }
}
