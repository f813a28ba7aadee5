/// A Sigma string value split into text and wildcards, after the specification's backslash
/// escaping: `\*`, `\?` and `\\` are escapes; a backslash before anything else is plain.
struct SigmaString: Hashable, Sendable {
    enum Token: Hashable, Sendable {
        case text(String)
        /// `*`: any run of characters, possibly empty.
        case star
        /// `?`: exactly one character.
        case one
    }

    var tokens: [Token]

    init(tokens: [Token]) {
        self.tokens = SigmaString.merged(tokens)
    }

    /// Parses a rule value with wildcards and escapes.
    init(parsing raw: String) {
        var tokens: [Token] = []
        var text = ""
        var iterator = Array(raw.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            switch scalar {
            case "\\":
                if let next = iterator.first, next == "*" || next == "?" || next == "\\" {
                    text.unicodeScalars.append(next)
                    iterator.removeFirst()
                } else {
                    text.unicodeScalars.append(scalar)
                }
            case "*":
                if !text.isEmpty { tokens.append(.text(text)); text = "" }
                tokens.append(.star)
            case "?":
                if !text.isEmpty { tokens.append(.text(text)); text = "" }
                tokens.append(.one)
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        if !text.isEmpty { tokens.append(.text(text)) }
        self.init(tokens: tokens)
    }

    /// A value with no wildcards at all (`fieldref`, encodings, literal comparisons).
    init(literal: String) {
        self.init(tokens: literal.isEmpty ? [] : [.text(literal)])
    }

    /// The text when the value has no wildcards.
    var plainText: String? {
        var out = ""
        for token in tokens {
            guard case .text(let t) = token else { return nil }
            out += t
        }
        return out
    }

    var hasWildcards: Bool { plainText == nil }

    func wrapped(leading: Bool, trailing: Bool) -> SigmaString {
        var t = tokens
        if leading, t.first != .star { t.insert(.star, at: 0) }
        if trailing, t.last != .star { t.append(.star) }
        return SigmaString(tokens: t)
    }

    /// Adjacent text joined, repeated stars collapsed.
    private static func merged(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        for token in tokens {
            switch (out.last, token) {
            case (.text(let a)?, .text(let b)): out[out.count - 1] = .text(a + b)
            case (.star?, .star): continue
            default: out.append(token)
            }
        }
        return out
    }
}
