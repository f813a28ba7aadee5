import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

/// The evaluation shortcuts (plain entries tested on UTF-8 in place, flat conditions, the
/// keyword haystack built from the document, provider exclusion of `product: any` rules) must
/// decide exactly as the general matching does.
@Suite("Evaluation shortcuts decide as the general matching")
struct EvaluationFastPathTests {
    @Test("a plain entry matches strings, numbers and booleans by their text, inside lists and objects, never null")
    func plainEntryOnEveryKindOfValue() throws {
        let rule = try RuleHarness(detection: "sel:\n    m: ['5', 'TRUE', abc]\ncondition: sel")
        #expect(try rule.matches(json: #"{"m":5}"#))
        #expect(try rule.matches(json: #"{"m":5.0}"#))
        #expect(try rule.matches(json: #"{"m":true}"#))
        #expect(try rule.matches(json: #"{"m":"ABC"}"#))
        #expect(try rule.matches(json: #"{"m":["x",{"deep":"abc"}]}"#))
        #expect(try rule.matches(json: #"{"m":{"a":{"b":"Abc"}}}"#))
        #expect(try !rule.matches(json: #"{"m":null}"#))
        #expect(try !rule.matches(json: #"{"m":false}"#))
        #expect(try !rule.matches(json: #"{"m":"abcd"}"#))
        #expect(try !rule.matches(json: #"{"n":"abc"}"#))
    }

    @Test("a plain entry keeps prefix, suffix, substring, cased and non-ASCII semantics")
    func plainEntryPatterns() throws {
        let shapes = try RuleHarness(detection: """
            sel:
                - m|startswith: Get
                - n|endswith: .Delete
                - o|contains: Secret
                - p|cased: Exact
                - q|contains: 'STRASSE ÄRGER'
            condition: sel
            """)
        #expect(try shapes.matches(json: #"{"m":"getObject"}"#))
        #expect(try shapes.matches(json: #"{"n":"storage.buckets.delete"}"#))
        #expect(try shapes.matches(json: #"{"o":"my-SECRET-value"}"#))
        #expect(try shapes.matches(json: #"{"p":"Exact"}"#))
        #expect(try !shapes.matches(json: #"{"p":"exact"}"#))
        #expect(try shapes.matches(json: #"{"q":"die strasse ärger"}"#))
        #expect(try !shapes.matches(json: #"{"m":"forget"}"#))
    }

    @Test("nested conditions: and, or, not and 1 of, in any depth")
    func flatConditions() throws {
        let rule = try RuleHarness(detection: """
            a:
                x: 1
            b:
                y: 2
            c:
                z: 3
            condition: (a or not b) and not (c and not a)
            """)
        #expect(try rule.matches(json: #"{"x":1}"#))
        #expect(try rule.matches(json: #"{}"#))
        #expect(try !rule.matches(json: #"{"y":2}"#))
        #expect(try !rule.matches(json: #"{"z":3}"#))
        #expect(try rule.matches(json: #"{"x":1,"y":2,"z":3}"#))
        #expect(try !rule.matches(json: #"{"y":2,"z":3}"#))
    }

    @Test("keywords find text in numbers and booleans of the document too")
    func keywordHaystack() throws {
        let rule = try RuleHarness(detection: "keywords:\n    - '404'\n    - 'TRUE'\ncondition: keywords")
        #expect(try rule.matches(json: #"{"a":{"b":[1,404]}}"#))
        #expect(try rule.matches(json: #"{"a":true}"#))
        #expect(try !rule.matches(json: #"{"a":false,"b":40,"c":null}"#))
    }

    static func event(_ provider: Provider, feed: Feed, region: String) -> AuditEvent {
        AuditEvent(provider: provider, feed: feed, eventID: "e-\(provider)", time: Date(timeIntervalSince1970: 1_700_000_000),
                   account: "a", region: region, operation: "Create", outcome: .success, readOnly: false, raw: [:])
    }

    @Test("a product-any rule that says 'not cloud.provider: aws' is not tested on AWS events, and still matches others")
    func providerExclusion() throws {
        let text = """
            title: outside regions
            id: outside
            level: high
            logsource:
                product: any
            detection:
                writes:
                    read_only: false
                aws:
                    cloud.provider: AWS
                condition: writes and not aws
            """
        let set = PolicyLoader().load(text: text, file: "rule.yml").policySet
        let aws = Self.event(.aws, feed: .cloudtrail, region: "us-east-1")
        let gcp = Self.event(.gcp, feed: .gcpAudit, region: "europe-west1")
        #expect(set.candidateCount(for: aws) == 0)
        #expect(set.candidateCount(for: gcp) == 1)
        #expect(set.evaluate(gcp, context: .unknown(for: gcp), now: Date()).map(\.policy.id) == ["outside"])
        #expect(set.evaluate(aws, context: .unknown(for: aws), now: Date()).isEmpty)
    }
}
