/// A compiled string test: exact text, prefix, suffix, substring, `*`-only globs and full globs
/// with `?`, compared on UTF-8 bytes. Case-insensitive patterns are lowercased once at compile
/// time; the event side is folded ASCII-wise on the fly and lowercased only when it is not ASCII.
final class StringPattern: Sendable, Hashable {
    enum Shape: Sendable, Hashable {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        /// `a*b*c`: first part a prefix, last part a suffix, the middle parts in order.
        case stars(head: [UInt8], middle: [[UInt8]], tail: [UInt8])
        /// Anything with `?`.
        case glob([GlobToken])
    }

    enum GlobToken: Sendable, Hashable {
        case byte(UInt8)
        case one
        case star
    }

    let shape: Shape
    let cased: Bool
    /// True when the (lowercased) pattern has non-ASCII characters: only then can Unicode
    /// lowercasing of the event text find a match that ASCII folding missed.
    let needsUnicodeFolding: Bool

    init(_ value: SigmaString, cased: Bool) {
        self.cased = cased
        needsUnicodeFolding = !cased && value.tokens.contains {
            if case .text(let t) = $0 { return t.utf8.contains { $0 >= 0x80 } }
            return false
        }
        let tokens: [SigmaString.Token] = value.tokens.map {
            if case .text(let t) = $0, !cased { return .text(t.lowercased()) }
            return $0
        }
        func bytes(_ token: SigmaString.Token) -> [UInt8] {
            if case .text(let t) = token { return Array(t.utf8) }
            return []
        }
        if tokens.contains(.one) {
            var glob: [GlobToken] = []
            for token in tokens {
                switch token {
                case .text(let t): glob.append(contentsOf: t.utf8.map { .byte($0) })
                case .star: glob.append(.star)
                case .one: glob.append(.one)
                }
            }
            shape = .glob(glob)
            return
        }
        switch tokens.count {
        case 0: shape = .exact([])
        case 1: shape = tokens[0] == .star ? .contains([]) : .exact(bytes(tokens[0]))
        case 2 where tokens[0] == .star: shape = .suffix(bytes(tokens[1]))
        case 2: shape = .prefix(bytes(tokens[0]))
        case 3 where tokens[0] == .star && tokens[2] == .star: shape = .contains(bytes(tokens[1]))
        default:
            var parts: [[UInt8]] = [[]]
            for token in tokens {
                if token == .star { parts.append([]) } else { parts[parts.count - 1] += bytes(token) }
            }
            shape = .stars(head: parts.first!, middle: Array(parts.dropFirst().dropLast()), tail: parts.last!)
        }
    }

    /// True when `text` matches (case-insensitively unless `cased`).
    func matches(_ text: String) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable({ run($0, fold: !cased) }) {
            if result || cased { return result }
        } else {
            let bytes = Array(text.utf8)
            let result = bytes.withUnsafeBufferPointer { run($0, fold: !cased) }
            if result || cased { return result }
        }
        // Case-insensitive and not matched by ASCII folding: only a non-ASCII pattern can still
        // match the Unicode-lowercased text.
        guard needsUnicodeFolding else { return false }
        let lowered = Array(text.lowercased().utf8)
        return lowered.withUnsafeBufferPointer { run($0, fold: false) }
    }

    /// `matches` on text given as its UTF-8 bytes.
    func matches(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        let result = run(text, fold: !cased)
        if result || cased { return result }
        guard needsUnicodeFolding else { return false }
        let lowered = Array(String(decoding: text, as: UTF8.self).lowercased().utf8)
        return lowered.withUnsafeBufferPointer { run($0, fold: false) }
    }

    private func run(_ hay: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        switch shape {
        case .exact(let needle):
            return hay.count == needle.count && Bytes.equal(hay, 0, needle, fold: fold)
        case .prefix(let needle):
            return hay.count >= needle.count && Bytes.equal(hay, 0, needle, fold: fold)
        case .suffix(let needle):
            return hay.count >= needle.count && Bytes.equal(hay, hay.count - needle.count, needle, fold: fold)
        case .contains(let needle):
            return Bytes.find(needle, in: hay, from: 0, to: hay.count, fold: fold) != nil
        case .stars(let head, let middle, let tail):
            guard hay.count >= head.count + tail.count, Bytes.equal(hay, 0, head, fold: fold),
                Bytes.equal(hay, hay.count - tail.count, tail, fold: fold)
            else { return false }
            var position = head.count
            let end = hay.count - tail.count
            for part in middle {
                guard let found = Bytes.find(part, in: hay, from: position, to: end, fold: fold) else { return false }
                position = found + part.count
            }
            return true
        case .glob(let tokens):
            return StringPattern.glob(tokens, hay, fold: fold)
        }
    }

    static func == (lhs: StringPattern, rhs: StringPattern) -> Bool {
        lhs.shape == rhs.shape && lhs.cased == rhs.cased
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(shape)
        hasher.combine(cased)
    }

    private static func glob(_ t: [GlobToken], _ hay: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        var p = 0, h = 0, starP = -1, starH = 0
        let n = hay.count, m = t.count
        while h < n {
            if p < m {
                switch t[p] {
                case .byte(let b) where Bytes.fold(hay[h], fold) == b:
                    p += 1; h += 1; continue
                case .one:
                    p += 1; h = min(n, h + Bytes.scalarLength(hay[h])); continue
                case .star:
                    starP = p; p += 1; starH = h; continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starH = min(n, starH + Bytes.scalarLength(hay[starH]))
            h = starH
        }
        while p < m, t[p] == .star { p += 1 }
        return p == m
    }
}

/// Byte helpers for `StringPattern`.
enum Bytes {
    /// Folds the ASCII capitals of `bytes` to lowercase in place (other bytes, UTF-8 sequences
    /// included, are left as they are), eight bytes at a time: the same as `fold(_:true)` on
    /// each byte.
    static func foldASCIICapitals(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let raw = UnsafeMutableRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Per byte, without carries between bytes (each 7-bit value plus at most 0x3F stays
            // below 0x100): the high bit says "≥ 'A'" in the first sum and "≥ '['" in the
            // second; their difference, restricted to ASCII bytes, marks the capitals.
            let low = word & (ones &* 0x7F)
            let atLeastA = low &+ ones &* (0x80 - 0x41)
            let pastZ = low &+ ones &* (0x80 - 0x5B)
            let capitals = (atLeastA ^ pastZ) & ~word & (ones &* 0x80)
            if capitals != 0 { raw.storeBytes(of: word | capitals >> 2, toByteOffset: i, as: UInt64.self) }
            i += 8
        }
        while i < bytes.count {
            bytes[i] = fold(bytes[i], true)
            i += 1
        }
    }

    @inline(__always) static func fold(_ b: UInt8, _ fold: Bool) -> UInt8 {
        fold && b &- 65 < 26 ? b | 0x20 : b
    }

    static func equal(_ hay: UnsafeBufferPointer<UInt8>, _ at: Int, _ needle: [UInt8], fold: Bool) -> Bool {
        needle.withUnsafeBufferPointer { needle in
            var i = 0
            if fold {
                while i < needle.count {
                    let b = hay[at + i]
                    if (b &- 65 < 26 ? b | 0x20 : b) != needle[i] { return false }
                    i += 1
                }
            } else {
                while i < needle.count {
                    if hay[at + i] != needle[i] { return false }
                    i += 1
                }
            }
            return true
        }
    }

    static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int, to: Int, fold: Bool) -> Int? {
        if needle.isEmpty { return from <= to ? from : nil }
        guard to - from >= needle.count else { return nil }
        let first = needle[0]
        // The other byte that folds to `first` (its capital), when folding and it is a letter.
        let other = fold && first &- 97 < 26 ? first & ~0x20 : first
        var i = from
        let last = to - needle.count
        while i <= last {
            let b = hay[i]
            if b == first || b == other, equal(hay, i, needle, fold: fold) { return i }
            i += 1
        }
        return nil
    }

    static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: 1
        case 0xC0..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0...: 4
        default: 1
        }
    }
}
