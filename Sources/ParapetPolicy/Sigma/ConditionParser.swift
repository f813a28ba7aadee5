/// Parses Sigma conditions: `or` < `and` < `not` < `1 of`/`all of` < parentheses.
struct ConditionParser {
    struct SyntaxError: Error, Equatable {
        var message: String
        /// Offset in Unicode scalars from the start of the condition text.
        var offset: Int
    }

    private struct Token: Equatable {
        enum Kind: Equatable { case open, close, word(String) }
        var kind: Kind
        var offset: Int
    }

    static let maximumDepth = 64
    static let maximumTokens = 2000

    private var tokens: [Token] = []
    private var position = 0
    private var depth = 0
    private let length: Int

    static func parse(_ text: String) throws(SyntaxError) -> ConditionSyntax {
        var parser = ConditionParser(text)
        guard !parser.tokens.isEmpty else { throw SyntaxError(message: "the condition is empty", offset: 0) }
        guard parser.tokens.count <= maximumTokens else {
            throw SyntaxError(message: "the condition is longer than \(maximumTokens) words", offset: 0)
        }
        let result = try parser.parseOr()
        if parser.position < parser.tokens.count {
            let token = parser.tokens[parser.position]
            if token.kind == .word("|") {
                throw SyntaxError(message: "aggregations ('| count() …') are not supported in single-event rules",
                                  offset: token.offset)
            }
            throw SyntaxError(message: "unexpected \(ConditionParser.describe(token)) after a complete expression",
                              offset: token.offset)
        }
        return result
    }

    private init(_ text: String) {
        var tokens: [Token] = []
        var word = ""
        var wordStart = 0
        var offset = 0
        for scalar in text.unicodeScalars {
            if scalar == "(" || scalar == ")" || scalar.properties.isWhitespace {
                if !word.isEmpty { tokens.append(Token(kind: .word(word), offset: wordStart)); word = "" }
                if scalar == "(" { tokens.append(Token(kind: .open, offset: offset)) }
                if scalar == ")" { tokens.append(Token(kind: .close, offset: offset)) }
            } else {
                if word.isEmpty { wordStart = offset }
                word.unicodeScalars.append(scalar)
            }
            offset += 1
        }
        if !word.isEmpty { tokens.append(Token(kind: .word(word), offset: wordStart)) }
        self.tokens = tokens
        self.length = offset
    }

    private static func describe(_ token: Token) -> String {
        switch token.kind {
        case .open: "'('"
        case .close: "')'"
        case .word(let w): "'\(w)'"
        }
    }

    private func peekKeyword() -> String? {
        guard position < tokens.count, case .word(let w) = tokens[position].kind else { return nil }
        return w.lowercased()
    }

    private var endOffset: Int { length }

    private mutating func parseOr() throws(SyntaxError) -> ConditionSyntax {
        var left = try parseAnd()
        while peekKeyword() == "or" {
            position += 1
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(SyntaxError) -> ConditionSyntax {
        var left = try parseNot()
        while peekKeyword() == "and" {
            position += 1
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(SyntaxError) -> ConditionSyntax {
        if peekKeyword() == "not" {
            position += 1
            depth += 1
            defer { depth -= 1 }
            guard depth <= ConditionParser.maximumDepth else {
                throw SyntaxError(message: "the condition nests too deeply", offset: tokens[position - 1].offset)
            }
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(SyntaxError) -> ConditionSyntax {
        guard position < tokens.count else {
            throw SyntaxError(message: "the condition ends where a search identifier was expected", offset: endOffset)
        }
        let token = tokens[position]
        switch token.kind {
        case .open:
            position += 1
            depth += 1
            defer { depth -= 1 }
            guard depth <= ConditionParser.maximumDepth else {
                throw SyntaxError(message: "the condition nests too deeply", offset: token.offset)
            }
            let inner = try parseOr()
            guard position < tokens.count, tokens[position].kind == .close else {
                throw SyntaxError(message: "missing ')' to close the '(' at column offset \(token.offset + 1)",
                                  offset: position < tokens.count ? tokens[position].offset : endOffset)
            }
            position += 1
            return inner
        case .close:
            throw SyntaxError(message: "unexpected ')'", offset: token.offset)
        case .word(let word):
            let lower = word.lowercased()
            if ["and", "or"].contains(lower) {
                throw SyntaxError(message: "'\(word)' needs an expression on its left", offset: token.offset)
            }
            if lower == "of" || lower == "them" {
                throw SyntaxError(message: "'\(word)' must follow '1' or 'all' (as in '1 of selection*')",
                                  offset: token.offset)
            }
            position += 1
            if peekKeyword() == "of" {
                position += 1
                guard position < tokens.count, case .word(let pattern) = tokens[position].kind else {
                    throw SyntaxError(message: "'\(word) of' needs a search identifier pattern or 'them'",
                                      offset: position < tokens.count ? tokens[position].offset : endOffset)
                }
                let patternOffset = tokens[position].offset
                position += 1
                switch lower {
                case "1", "any": return .oneOf(pattern, offset: patternOffset)
                case "all": return .allOf(pattern, offset: patternOffset)
                default:
                    throw SyntaxError(message: "'\(word) of' is not supported: use '1 of' or 'all of'",
                                      offset: token.offset)
                }
            }
            if word.contains("|") {
                throw SyntaxError(message: "aggregations ('| count() …') are not supported in single-event rules",
                                  offset: token.offset)
            }
            return .identifier(word, offset: token.offset)
        }
    }
}
