import Testing
@testable import ParapetPolicy

/// The two lookup structures of the rule index must find exactly what the plain definitions
/// find: a case-insensitive dictionary of lowercased literals, and trying every pattern.
@Suite("Rule index tables: folded literal keys and pattern buckets")
struct IndexTablesTests {
    @Test("a literal is found whatever the case of the event's text, and only then")
    func foldedKeys() {
        // Given literals as the index stores them (lowercased)
        let table = FoldedKeyTable(["createuser": [1], "deletebucket": [2, 5], "": [7], "größe": [9]])
        // Then lookups fold ASCII capitals and lowercase other text as `lowercased()` does
        #expect(table.policies(for: "CreateUser") == [1])
        #expect(table.policies(for: "DELETEBUCKET") == [2, 5])
        #expect(table.policies(for: "") == [7])
        #expect(table.policies(for: "GRÖSSE") == nil)
        #expect(table.policies(for: "GRÖßE") == [9])
        #expect(table.policies(for: "CreateUsers") == nil)
        #expect(table.policies(for: "CreateUse") == nil)
        #expect(FoldedKeyTable([:]).policies(for: "x") == nil)
    }

    @Test("many literals: every one is found and near misses are not")
    func manyKeys() {
        var values: [String: [Int]] = [:]
        for i in 0..<500 { values["operation.\(i).name"] = [i] }
        let table = FoldedKeyTable(values)
        for i in 0..<500 {
            #expect(table.policies(for: "Operation.\(i).NAME") == [i])
            #expect(table.policies(for: "operation.\(i).nam") == nil)
        }
    }

    @Test("a candidate set gives each position once, in order, inline and past 512")
    func candidateSet() {
        for capacity in [1, 64, 175, 512, 513, 1_500] {
            // Given positions inserted out of order, some twice
            var set = CandidateSet(capacity: capacity)
            var inserted: Set<Int> = []
            var random = SystemRandomNumberGenerator()
            for _ in 0..<(capacity * 2) {
                let position = Int.random(in: 0..<capacity, using: &random)
                set.insert(position)
                inserted.insert(position)
            }
            set.insert(capacity - 1)
            inserted.insert(capacity - 1)
            // Then iterating gives exactly those, sorted, each once
            #expect(Array(set) == inserted.sorted(), "capacity \(capacity)")
            #expect(set.count == inserted.count)
        }
        // And an empty set gives nothing
        #expect(Array(CandidateSet(capacity: 600)).isEmpty)
    }

    @Test("folding eight bytes at a time lowercases exactly the ASCII capitals, as byte by byte")
    func foldsCapitalsByWords() {
        // Given every byte value at every position of texts of every length up to 40
        var texts: [[UInt8]] = (0..<40).map { length in (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) } }
        texts.append(Array(0...255))
        texts.append(Array("Microsoft.Authorization/roleAssignments/WRITE — ÉTÉ @[`{".utf8))
        for text in texts {
            // When folded in place
            var folded = text
            folded.withUnsafeMutableBufferPointer { Bytes.foldASCIICapitals($0) }
            // Then it equals folding each byte
            #expect(folded == text.map { Bytes.fold($0, true) }, "\(text)")
        }
    }

    @Test("pattern buckets report the same matches as trying every pattern")
    func bucketsAgreeWithPatterns() {
        // Given patterns of every shape, cased and not, ASCII and not
        let sources: [(String, Bool)] = [
            ("*.delete", false), ("*.Delete", true), ("AccessDenied*", false), ("compute.firewalls.*", false),
            ("google.iam.admin.v*.CreateServiceAccountKey", false), ("*admin*", false), ("a?c", false),
            ("*ÉTÉ", false), ("ab*", false), ("*xy", false), ("Microsoft.Authorization/*", false),
            ("exact.value", true),
        ]
        let patterns = sources.enumerated().map { (pattern: StringPattern(SigmaString(parsing: $0.element.0), cased: $0.element.1), policy: $0.offset) }
        let buckets = PatternBuckets(patterns)
        let texts = [
            "storage.buckets.delete", "storage.buckets.DELETE", "x.Delete", "AccessDeniedException", "accessdenied",
            "compute.firewalls.insert", "google.iam.admin.v1.CreateServiceAccountKey", "SetAdminPolicy", "abc", "aXc",
            "l'été", "L'ÉTÉ", "ab", "a", "", "xy", "zxy", "microsoft.authorization/roleAssignments/write",
            "exact.value", "EXACT.VALUE", "ÅccessDenied",
        ]
        for text in texts {
            // When the buckets are asked
            var found: [Int] = []
            buckets.forEachMatch(text) { found.append($0) }
            // Then they report exactly the patterns that match
            let expected = patterns.filter { $0.pattern.matches(text) }.map(\.policy)
            #expect(found.sorted() == expected, "\(text)")
        }
    }

    @Test("the keyword byte search finds a needle anywhere, including at either end, and nothing else")
    func byteSearch() {
        func contains(_ hay: String, _ needle: String) -> Bool {
            Array(hay.utf8).withUnsafeBytes { h in Array(needle.utf8).withUnsafeBytes { FieldTest.contains(h, $0) } }
        }
        #expect(contains("abc", "abc"))
        #expect(contains("xxabc", "abc"))
        #expect(contains("abcxx", "abc"))
        #expect(contains("aababc", "abc"))
        #expect(!contains("ab", "abc"))
        #expect(!contains("", "a"))
        #expect(!contains("abdabe", "abc"))
        #expect(contains("a\u{0}b\u{0}abc\u{0}", "abc"))
    }
}
