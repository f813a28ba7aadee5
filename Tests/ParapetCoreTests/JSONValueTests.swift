import Foundation
import Testing
@testable import ParapetCore

@Suite struct JSONValueTests {
    @Test func parsesNestedDocumentsAndEscapes() throws {
        let value = try JSONValue(parsing: #"{"a":{"b":[1,2.5,true,null,"x\"y\u00e9\ud83d\ude00"]},"n":-12}"#)
        #expect(value.value(atPath: "a.b") == .array([1, 2.5, true, nil, "x\"yé😀"]))
        #expect(value["n"] == .number(-12))
    }

    @Test func dottedKeysAreFoundByTheLongestPrefix() throws {
        let value = try JSONValue(parsing: #"{"labels":{"authorization.k8s.io/decision":"allow"}}"#)
        #expect(value.value(atPath: "labels.authorization.k8s.io/decision") == "allow")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "1 2", "{\"a\":01x}"])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func serializesWithSortedKeysAndRoundTrips() throws {
        let value: JSONValue = ["b": 1, "a": ["x", nil, false], "c": "line\nbreak"]
        let text = value.serialized()
        #expect(text == #"{"a":["x",null,false],"b":1,"c":"line\nbreak"}"#)
        #expect(try JSONValue(parsing: text) == value)
    }

    @Test(arguments: [[], [""], ["arn:aws:s3:::bucket"], ["a\"b", "back\\slash", "tab\tnew\nline\u{01}", "ünï ☃ 😀", "a/b"]])
    func aListOfStringsSerialisesAsTheArrayOfThoseStrings(_ strings: [String]) throws {
        // Given a list of strings (empty, empty strings, escapes, control characters, non-ASCII)
        let text = JSONValue.serialized(strings: strings)

        // Then it is the text of the JSON array of them, and reads back as the same strings
        #expect(text == JSONValue.array(strings.map(JSONValue.string)).serialized())
        #expect(try JSONValue(parsing: text) == .array(strings.map(JSONValue.string)))
    }

    @Test func escapesQuotesBackslashesAndControlCharactersOnly() throws {
        let value: JSONValue = ["k\"ey": "a\"b\\c\u{01}\u{1f}\t\r\né😀/"]
        let text = value.serialized()
        #expect(text == #"{"k\"ey":"a\"b\\c\u0001\u001f\t\r\né😀/"}"#)
        #expect(try JSONValue(parsing: text) == value)
    }

    @Test func parsesFromEveryEntryPointAlike() throws {
        let text = #"{"a":[{"b":{"c":1}},{"d":[]}],"e":{}}"#
        let expected = try JSONValue(parsing: text)
        #expect(try JSONValue(parsing: Data(text.utf8)) == expected)
        #expect(try JSONValue(parsingBytes: Array(text.utf8)) == expected)
        #expect(try JSONValue(parsingBytes: text.utf8[...]) == expected)
        #expect(expected.value(atPath: "e") == .object([:]))
    }
}

@Suite struct ISO8601Tests {
    @Test(arguments: [
        ("2024-09-11T09:28:28Z", 1_726_046_908.0),
        ("2024-09-11T09:28:28.500Z", 1_726_046_908.5),
        ("2024-09-11T11:28:28+02:00", 1_726_046_908.0),
        ("2024-09-11T09:28:28.123456789Z", 1_726_046_908.123456789),
    ])
    func parsesProviderTimestamps(text: String, epoch: Double) throws {
        let date = try #require(ISO8601.date(from: text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.000_01)
    }

    @Test(arguments: ["2024-13-01T00:00:00Z", "yesterday", "2024-09-11", "2024-09-11T09:28:28Zjunk"])
    func rejectsWhatIsNotATimestamp(_ text: String) {
        #expect(ISO8601.date(from: text) == nil)
    }
}

@Suite struct DurationTextTests {
    @Test func parsesConfigurationDurations() {
        #expect(DurationText.parse("60s") == 60)
        #expect(DurationText.parse("15m") == 900)
        #expect(DurationText.parse("24h") == 86400)
        #expect(DurationText.parse("90d") == TimeInterval(7_776_000))
        #expect(DurationText.parse("1h30m") == 5400)
        #expect(DurationText.parse("500ms") == 0.5)
        #expect(DurationText.parse("10") == nil)
        #expect(DurationText.parse("10x") == nil)
    }
}
