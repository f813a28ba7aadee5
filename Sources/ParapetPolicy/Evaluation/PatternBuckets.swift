/// The patterns an index key's value must match for some rules (`*.delete`, `AccessDenied*`),
/// grouped by the first or last three bytes they require (ASCII-folded), so that an event's
/// value is tried only against patterns that can match its ends; patterns without such an end
/// (`*contains*`, `?` globs, non-ASCII) are tried on every value.
struct PatternBuckets: Sendable {
    private let patterns: [(pattern: StringPattern, policy: Int)]
    private var byHead: [UInt32: [Int]] = [:]
    private var byTail: [UInt32: [Int]] = [:]
    private var always: [Int] = []

    var isEmpty: Bool { patterns.isEmpty }

    init(_ patterns: [(pattern: StringPattern, policy: Int)]) {
        self.patterns = patterns
        for (i, entry) in patterns.enumerated() {
            switch PatternBuckets.anchor(of: entry.pattern) {
            case .head(let key): byHead[key, default: []].append(i)
            case .tail(let key): byTail[key, default: []].append(i)
            case nil: always.append(i)
            }
        }
    }

    /// Calls `body` with the policy of every pattern `text` matches.
    func forEachMatch(_ text: String, _ body: (Int) -> Void) {
        for i in always where patterns[i].pattern.matches(text) { body(patterns[i].policy) }
        if byHead.isEmpty && byTail.isEmpty { return }
        var head: UInt32?
        var tail: UInt32?
        let utf8 = text.utf8
        if utf8.count >= 3 {
            var iterator = utf8.makeIterator()
            head = PatternBuckets.key(iterator.next()!, iterator.next()!, iterator.next()!)
            let t0 = utf8.index(utf8.endIndex, offsetBy: -3), t1 = utf8.index(after: t0), t2 = utf8.index(after: t1)
            tail = PatternBuckets.key(utf8[t0], utf8[t1], utf8[t2])
        }
        if let head, let hits = byHead[head] {
            for i in hits where patterns[i].pattern.matches(text) { body(patterns[i].policy) }
        }
        if let tail, let hits = byTail[tail] {
            for i in hits where patterns[i].pattern.matches(text) { body(patterns[i].policy) }
        }
    }

    /// `forEachMatch` on text given as its UTF-8 bytes.
    func forEachMatch(utf8 text: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        for i in always where patterns[i].pattern.matches(utf8: text) { body(patterns[i].policy) }
        guard text.count >= 3, !byHead.isEmpty || !byTail.isEmpty else { return }
        let n = text.count
        if let hits = byHead[PatternBuckets.key(text[0], text[1], text[2])] {
            for i in hits where patterns[i].pattern.matches(utf8: text) { body(patterns[i].policy) }
        }
        if let hits = byTail[PatternBuckets.key(text[n - 3], text[n - 2], text[n - 1])] {
            for i in hits where patterns[i].pattern.matches(utf8: text) { body(patterns[i].policy) }
        }
    }

    private enum Anchor {
        case head(UInt32)
        case tail(UInt32)
    }

    /// Three leading or trailing bytes every match must have, when the pattern fixes them.
    private static func anchor(of pattern: StringPattern) -> Anchor? {
        if pattern.needsUnicodeFolding { return nil }
        func head(_ bytes: [UInt8]) -> Anchor? {
            guard bytes.count >= 3, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return .head(key(bytes[0], bytes[1], bytes[2]))
        }
        func tail(_ bytes: [UInt8]) -> Anchor? {
            guard bytes.count >= 3, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let n = bytes.count
            return .tail(key(bytes[n - 3], bytes[n - 2], bytes[n - 1]))
        }
        switch pattern.shape {
        case .exact(let needle), .prefix(let needle): return head(needle)
        case .suffix(let needle): return tail(needle)
        case .stars(let first, _, let last): return head(first) ?? tail(last)
        case .contains, .glob: return nil
        }
    }

    private static func key(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 {
        UInt32(Bytes.fold(a, true)) << 16 | UInt32(Bytes.fold(b, true)) << 8 | UInt32(Bytes.fold(c, true))
    }
}
