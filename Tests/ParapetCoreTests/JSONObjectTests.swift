import Foundation
import Testing
@testable import ParapetCore

@Suite struct JSONObjectTests {
    /// Keys `key0`, `key1`, … as an object of `count` members, member `keyN` holding N.
    static func numbered(_ count: Int) -> JSONObject {
        JSONObject(uniquing: (0..<count).map { ("key\($0)", JSONValue.number(Double($0))) })
    }

    @Test(arguments: [3, 8, 9, 40, 1_000])
    func findsEveryPresentKeyAndNoAbsentOne(_ count: Int) {
        // Given an object of `count` members (scanned when small, indexed when large)
        let object = Self.numbered(count)

        // Then every key finds its own value, and keys that are not there find nothing
        #expect(object.count == count)
        for i in 0..<count { #expect(object["key\(i)"] == .number(Double(i)), "key\(i)") }
        for absent in ["key\(count)", "key", "", "Key0", "key0 ", "key-1"] { #expect(object[absent] == nil, "\(absent)") }
    }

    @Test(arguments: [3, 40])
    func memberPointersReadTheSameValuesAsTheSubscript(_ filler: Int) throws {
        // Given a document whose members hold every kind of value (strings short and long,
        // numbers, booleans, null, lists, objects), scanned when small and indexed when large
        var text = #"{"short":"a","long":"a string longer than fifteen bytes","n":-1.5,"t":true,"z":null,"#
        text += #""list":[1,"two",{"three":3}],"obj":{"inner":"x","deeper":{"leaf":"found it, a long leaf value"}},"ключ":"не ASCII""#
        for i in 0..<filler { text += ",\"f\(i)\":\(i)" }
        text += "}"
        let document = try JSONValue(parsing: text)
        let object = try #require(document.objectValue)

        // Then `member(_:in:)` points at exactly the value the subscript returns, for every member
        withUnsafePointer(to: document) { root in
            for (key, value) in object {
                let found = JSONValue.member(JSONObjectKey(key), in: root)
                #expect(found?.pointee == value, "\(key)")
            }
            // and nested lookups walk in place; absent keys and non-objects find nothing
            let deeper = JSONValue.member(JSONObjectKey("obj"), in: root).flatMap { JSONValue.member(JSONObjectKey("deeper"), in: $0) }
            #expect(deeper.flatMap { JSONValue.member(JSONObjectKey("leaf"), in: $0) }?.pointee == "found it, a long leaf value")
            #expect(JSONValue.member(JSONObjectKey("absent"), in: root) == nil)
            let short = JSONValue.member(JSONObjectKey("short"), in: root)
            #expect(short.flatMap { JSONValue.member(JSONObjectKey("a"), in: $0) } == nil)
        }
        // and the document is intact after all that reading in place
        #expect(try JSONValue(parsing: text) == document)
    }

    @Test(arguments: [3, 40])
    func memberValuesInPlaceAreTheValuesInOrder(_ filler: Int) throws {
        // Given an object of every kind of value, scanned when small and indexed when large
        var text = #"{"s":"a string longer than fifteen bytes","n":2,"l":[1,{"x":"y"}],"o":{"k":"v"},"z":null"#
        for i in 0..<filler { text += ",\"f\(i)\":\(i)" }
        text += "}"
        let document = try JSONValue(parsing: text)
        let object = try #require(document.objectValue)
        // Then the values seen in place are the object's values, in document order
        var seen: [JSONValue] = []
        let stopped = withUnsafePointer(to: document) { root in
            JSONValue.firstMember(in: root) { seen.append($0.pointee); return false }
        }
        #expect(!stopped)
        #expect(seen == Array(object.values))
        // and the walk stops at the first member the body accepts
        var visited = 0
        let found = withUnsafePointer(to: document) { root in
            JSONValue.firstMember(in: root) { visited += 1; return $0.pointee == 2 }
        }
        #expect(found && visited == 2)
        // and anything but an object has no members
        for value: JSONValue in ["text", 1, [1, 2], .null, [:]] {
            #expect(!withUnsafePointer(to: value) { root in JSONValue.firstMember(in: root) { _ in true } })
        }
    }

    @Test(arguments: [3, 40])
    func tellsApartKeysWithSharedPrefixesAndNonASCIIKeys(_ filler: Int) throws {
        // Given keys that share long prefixes, differ in their last byte or only in length, and
        // non-ASCII keys, parsed among `filler` other members
        let special = ["userIdentity", "userIdentity.arn", "userIdentityX", "userIdentitY", "a", "ab", "abc", "abcd",
                       "0123456789abcdef", "0123456789abcdeg", "ключ", "clé", "日本語のキー", "emoji😀"]
        var text = "{"
        for (offset, key) in special.enumerated() { text += "\"\(key)\":\(offset)," }
        for i in 0..<filler { text += "\"f\(i)\":true," }
        text += "\"last\":null}"
        let object = try #require(try JSONValue(parsing: text).objectValue)

        // Then each finds its own value
        for (offset, key) in special.enumerated() { #expect(object[key] == .number(Double(offset)), "\(key)") }
        #expect(object["last"] == .null)
        #expect(object["ключи"] == nil)
        #expect(object["userIdentity.ar"] == nil)
    }

    @Test(arguments: [2, 40])
    func findsKeysWhoseHashesCollide(_ filler: Int) {
        // Given two keys with the same 31-bit hash in one object
        #expect(JSONKeyHash.of("key49156") == JSONKeyHash.of("key56189"))
        var object = JSONObject(uniquing: (0..<filler).map { ("f\($0)", JSONValue.bool(true)) })
        object["key49156"] = "first"
        object["key56189"] = "second"

        // Then each still finds its own value, and replacing one leaves the other
        #expect(object["key49156"] == "first")
        #expect(object["key56189"] == "second")
        object["key56189"] = "changed"
        #expect(object["key49156"] == "first")
        #expect(object.count == filler + 2)
    }

    @Test func keysAreComparedByCanonicalEquivalenceAsDictionaryDoes() {
        // Given keys that are equal Swift strings written with different scalars
        let kelvin = "\u{212A}ey"  // KELVIN SIGN, canonically "K"
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let object: JSONObject = [kelvin: 1, composed: 2]

        // Then lookups find them as a Dictionary would, and re-setting one does not add a member
        let dictionary: [String: JSONValue] = [kelvin: 1, composed: 2]
        #expect(object["Key"] == dictionary["Key"])
        #expect(object["Key"] == 1)
        #expect(object[decomposed] == 2)
        var updated = object
        updated["Key"] = 3
        #expect(updated.count == 2)
        #expect(updated[kelvin] == 3)
    }

    @Test func aRepeatedKeyKeepsItsLastValueAtItsFirstPlace() throws {
        // Given a document with a repeated key, in a small and in a large object
        let small = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        var large = "{\"dup\":\"first\","
        for i in 0..<30 { large += "\"k\(i)\":\(i)," }
        large += "\"dup\":\"last\"}"
        let big = try #require(try JSONValue(parsing: large).objectValue)

        // Then the last value wins and the key keeps its first position
        #expect(small == ["a": 3, "b": 2])
        #expect(small.objectValue.map { Array($0.keys) } == ["a", "b"])
        #expect(big.count == 31)
        #expect(big["dup"] == "last")
        #expect(big.first?.key == "dup")
        #expect(JSONObject(dictionaryLiteral: ("x", 1), ("x", 2))["x"] == 2)
    }

    @Test func equalityAndHashingIgnoreOrder() throws {
        // Given the same members in two orders, and objects that differ in one value or one key
        let forward = try JSONValue(parsing: #"{"a":1,"b":{"c":[1,2],"d":null},"e":"x"}"#)
        let backward = try JSONValue(parsing: #"{"e":"x","b":{"d":null,"c":[1,2]},"a":1}"#)
        let otherValue = try JSONValue(parsing: #"{"e":"x","b":{"d":null,"c":[2,1]},"a":1}"#)
        let otherKey = try JSONValue(parsing: #"{"e":"x","b":{"d":null,"c":[1,2]},"A":1}"#)
        let fewer = try JSONValue(parsing: #"{"e":"x","b":{"d":null,"c":[1,2]}}"#)

        // Then equality and hashes follow the members, not their order
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(Set([forward, backward]).count == 1)
        #expect(forward != otherValue)
        #expect(forward != otherKey)
        #expect(forward != fewer && fewer != forward)
        #expect(Self.numbered(40) == JSONObject(Self.numbered(40).dictionary))
    }

    @Test func iteratesInDocumentOrder() throws {
        // Given a document whose keys are not sorted
        let keys = ["zeta", "alpha", "mu", "beta", "omega", "k0", "k1", "k2", "k3", "k4", "k5"]
        let text = "{" + keys.enumerated().map { "\"\($1)\":\($0)" }.joined(separator: ",") + "}"
        let object = try #require(try JSONValue(parsing: text).objectValue)

        // Then members, keys and values come in the document's order
        #expect(Array(object.keys) == keys)
        #expect(Array(object.values) == keys.indices.map { JSONValue.number(Double($0)) })
        #expect(object.map(\.key) == keys)
    }

    @Test func roundTripsThroughTheParserAndCodable() throws {
        // Given a nested document
        let text = #"{"b":{"y":[1,{"q":"é"}],"x":true},"a":null,"c":-2.5}"#
        let value = try JSONValue(parsing: text)

        // Then serialising and re-parsing gives it back, and JSONEncoder writes what it wrote for a Dictionary
        #expect(value.serialized() == #"{"a":null,"b":{"x":true,"y":[1,{"q":"é"}]},"c":-2.5}"#)
        #expect(try JSONValue(parsing: value.serialized()) == value)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let encoded = try encoder.encode(value)
        let dictionary = try #require(value.objectValue?.dictionary)
        #expect(encoded == (try encoder.encode(dictionary)))
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"a":null,"b":{"x":true,"y":[1,{"q":"é"}]},"c":-2.5}"#)
        #expect(try JSONDecoder().decode(JSONValue.self, from: encoded) == value)
        #expect(try JSONDecoder().decode(JSONObject.self, from: encoded) == value.objectValue)
    }

    @Test func mutationAppendsReplacesRemovesAndCopiesOnWrite() {
        // Given an object built member by member past the size where it starts indexing
        var object = JSONObject()
        for i in 0..<100 { object["k\(i)"] = .number(Double(i)) }
        let copy = object

        // When a member is replaced, one removed and one added
        object["k5"] = "five"
        object["k50"] = nil
        object["new"] = true

        // Then the object shows the changes in place, and the earlier copy is unchanged
        #expect(object.count == 100)
        #expect(object["k5"] == "five")
        #expect(object["k50"] == nil)
        #expect(object["k99"] == 99)
        #expect(Array(object.keys.prefix(6)) == ["k0", "k1", "k2", "k3", "k4", "k5"])
        #expect(object.keys.last == "new")
        #expect(copy.count == 100)
        #expect(copy["k5"] == 5)
        #expect(copy["k50"] == 50)
        #expect(copy["new"] == nil)
        #expect(object.removeValue(forKey: "absent") == nil)
    }

    @Test func describesItselfLikeADictionary() {
        // Given an empty and a two-member object
        let empty = JSONObject()
        let object: JSONObject = ["a": "x", "b": 1]

        // Then they print as a Dictionary would, in member order
        #expect(empty.description == "[:]")
        #expect(empty.isEmpty)
        #expect(object.description == #"["a": ParapetCore.JSONValue.string("x"), "b": ParapetCore.JSONValue.number(1.0)]"#)
    }
}
