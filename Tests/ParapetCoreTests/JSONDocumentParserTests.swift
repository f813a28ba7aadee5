import Foundation
import Testing
@testable import ParapetCore

/// The reusable parser (word-at-a-time scanning, buffers kept between documents) must read exactly what the one-shot parser reads.
@Suite struct JSONDocumentParserTests {
    static let documents = [
        #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/Admin/alice"},"n":[1,-2,3.5,1e3,-0]}"#,
        #"{"escaped":"tab\there \"quoted\" back\\slash \/ \b\f\n\r","unicode":"caf\u00e9 \u4e2d \ud83d\ude00","raw":"café 中 😀"}"#,
        #"{"lone":"\ud800x","low":"\udc00","pair-broken":"\ud83d\u0041","nul":"a\u0000b"}"#,
        #"[{"a":{"a":{"a":[[],[{}],{"b":null}]}}},true,false,null,"exactly-eight","1234567","12345678901234567890123456789012","123456789012345678901234567890123"]"#,
        #"{"big":123456789012345678901,"max18":999999999999999999,"neg":-999999999999999999,"frac":0.1,"exp":-2.5E-3}"#,
        #"{"dup":1,"dup":2}"#,
    ]

    @Test(arguments: documents)
    func readsWhatTheOneShotParserReads(_ text: String) throws {
        // Given a parser that has already read every document once
        var parser = JSONDocumentParser()
        for document in Self.documents { _ = try parser.parse(Array(document.utf8)) }
        // When it reads the document again
        let parsed = try parser.parse(Array(text.utf8))
        // Then it equals a fresh parse and Foundation's reading
        #expect(parsed == (try JSONValue(parsing: text)))
        // (Foundation rejects lone surrogates, which the parser turns into U+FFFD, and keeps the
        // first of repeated keys, where the parser keeps the last.)
        if !text.contains("lone"), !text.contains("dup") {
            #expect(parsed == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))))
        }
    }

    @Test func decodesEscapesSurrogatesAndNumbers() throws {
        var parser = JSONDocumentParser()
        let value = try parser.parse(Array(Self.documents[1].utf8))
        #expect(value["escaped"] == "tab\there \"quoted\" back\\slash / \u{08}\u{0C}\n\r")
        #expect(value["unicode"] == "café 中 😀")
        #expect(value["unicode"] == value["raw"])
        let lone = try parser.parse(Array(Self.documents[2].utf8))
        #expect(lone["lone"] == "\u{FFFD}x")
        #expect(lone["low"] == "\u{FFFD}")
        #expect(lone["pair-broken"] == "\u{FFFD}")
        #expect(lone["nul"] == "a\u{0}b")
        let numbers = try parser.parse(Array(Self.documents[4].utf8))
        #expect(numbers["big"] == .number(123456789012345678901))
        #expect(numbers["max18"] == .number(999999999999999999))
        #expect(numbers["neg"] == .number(-999999999999999999))
        #expect(numbers["frac"] == .number(0.1))
        #expect(numbers["exp"] == .number(-0.0025))
        #expect(try parser.parse(Array(Self.documents[5].utf8))["dup"] == 2)
    }

    @Test func similarStringsStayDistinct() throws {
        // Given strings of equal length that differ in the middle
        var parser = JSONDocumentParser()
        let a = try parser.parse(Array(#"["abcdefgh-1-12345678","abcdefgh-2-12345678"]"#.utf8))
        // Then each keeps its own text
        #expect(a == ["abcdefgh-1-12345678", "abcdefgh-2-12345678"])
        var many: [JSONValue] = []
        for i in 0..<10_000 { many.append(.string("key-\(i)")) }
        let text = "[" + many.map { "\"\($0.stringValue!)\"" }.joined(separator: ",") + "]"
        #expect(try parser.parse(Array(text.utf8)) == .array(many))
        #expect(try parser.parse(Array(text.utf8)) == .array(many))
    }

    @Test func acceptsDeepNestingUpToTheLimit() throws {
        var parser = JSONDocumentParser()
        let deep = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        #expect(throws: Never.self) { try parser.parse(Array(deep.utf8)) }
        let tooDeep = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let error = try #require(throws: JSONParseError.self) { try parser.parse(Array(tooDeep.utf8)) }
        #expect(error.offset == 511)
        #expect(error.reason == "nesting too deep")
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("{", 1, "expected a string key"),
        ("[1,]", 3, "unexpected character ']'"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("tru", 0, "unexpected end of input"),
        ("\"unterminated", 13, "unterminated string"),
        ("\"a long string without its closing quote", 40, "unterminated string"),
        ("\"ends in a backslash\\", 21, "unterminated string"),
        ("1 2", 2, "unexpected data after the JSON value"),
        ("{\"a\":01x}", 7, "expected ',' or '}'"),
        ("\"control \u{01} in a long string\"", 9, "control character in string"),
        ("\"escape then control \\n\u{02}\"", 23, "control character in string"),
        ("\"bad escape \\x\"", 14, "invalid escape sequence"),
        ("\"bad hex \\u12G4\"", 13, "invalid hex digit in \\u escape"),
        ("\"short \\u12", 9, "truncated \\u escape"),
        ("[1.2.3]", 1, "invalid number '1.2.3'"),
        ("-", 1, "invalid number"),
        ("{\"a\":[1,2}", 9, "expected ',' or ']'"),
    ])
    func reportsMalformedInputWithItsOffset(_ text: String, offset: Int, reason: String) throws {
        // The reusable parser and the one-shot parser report the same error at the same byte.
        var parser = JSONDocumentParser()
        let reused = try #require(throws: JSONParseError.self) { try parser.parse(Array(text.utf8)) }
        let oneShot = try #require(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(reused.offset == offset)
        #expect(reused.reason == reason)
        #expect(oneShot.offset == offset && oneShot.reason == reason)
        // And the parser is still usable afterwards.
        #expect(try parser.parse(Array(#"{"ok":true}"#.utf8)) == ["ok": true])
    }

    @Test func reportsWhetherAnyKeyHasADot() throws {
        var parser = JSONDocumentParser()
        _ = try parser.parse(Array(#"{"a":{"b":"x.y"},"list":[{"c.d":1}]}"#.utf8))
        #expect(parser.lastDocumentHasDottedKeys)
        _ = try parser.parse(Array(#"{"a":{"b":"x.y","n":1.5},"list":[{"c":"d.e"}]}"#.utf8))
        #expect(!parser.lastDocumentHasDottedKeys)
        _ = try parser.parse(Array(#"{"labels":{"k8s\u002eio/x":"y"}}"#.utf8))
        #expect(parser.lastDocumentHasDottedKeys)
        // A failed parse leaves the conservative answer.
        #expect(throws: JSONParseError.self) { try parser.parse(Array(#"{"a":"#.utf8)) }
        #expect(parser.lastDocumentHasDottedKeys)
    }
}
