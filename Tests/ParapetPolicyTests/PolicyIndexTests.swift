import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

/// The rule index sends an event only to rules that could match it; it must never hide a match.
@Suite("Rule index: literals and patterns as necessary conditions")
struct PolicyIndexTests {
    static func gcpEvent(_ method: String) -> AuditEvent {
        AuditEvent(provider: .gcp, feed: .gcpAudit, eventID: "i-\(method)", time: Date(timeIntervalSince1970: 1_700_000_000),
                   account: "p", operation: method, raw: ["protoPayload": ["methodName": .string(method)]])
    }

    static func set(_ rules: [(id: String, detection: String)]) -> PolicySet {
        let text = rules.map { rule in
            "title: \(rule.id)\nid: \(rule.id)\nlevel: high\nlogsource:\n    product: gcp\n    service: gcp.audit\ndetection:\n"
                + rule.detection.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        }.joined(separator: "---\n")
        let result = PolicyLoader().load(text: text, file: "rules.yml")
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics.map(\.rendered))")
        return result.policySet
    }

    static let rules = set([
        ("literal", "selection:\n    gcp.audit.method_name: storage.buckets.delete\ncondition: selection"),
        ("suffix", "selection:\n    gcp.audit.method_name|endswith: .Delete\ncondition: selection"),
        ("wildcard", "selection:\n    gcp.audit.method_name: 'google.iam.admin.v*.CreateServiceAccountKey'\ncondition: selection"),
        ("mixed-or", "a:\n    gcp.audit.method_name: SetIamPolicy\nb:\n    gcp.audit.method_name|startswith: compute.firewalls.\ncondition: a or b"),
        ("negated", "selection:\n    gcp.audit.method_name: storage.buckets.get\ncondition: not selection"),
    ])

    func matched(_ method: String) -> Set<String> {
        Set(Self.rules.evaluate(Self.gcpEvent(method), context: .unknown(for: Self.gcpEvent(method)), now: Date())
            .filter { $0.kind == .violation }.map(\.policy.id))
    }

    @Test("pattern rules are tested only when one of their patterns matches the method")
    func patternRulesAreIndexed() {
        // Only the negated rule can match everything; it is the one rule tested on every event.
        #expect(Self.rules.alwaysTested[.gcpAudit] == 1)
        #expect(Self.rules.candidateCount(for: Self.gcpEvent("compute.instances.list")) == 1)
        #expect(Self.rules.candidateCount(for: Self.gcpEvent("storage.buckets.delete")) == 3)  // literal, suffix (case-insensitive), negated
        #expect(Self.rules.candidateCount(for: Self.gcpEvent("compute.firewalls.insert")) == 2)
    }

    @Test("the index never hides a match: literals, suffixes, wildcards, OR of literal and prefix, NOT")
    func indexKeepsEveryMatch() {
        #expect(matched("storage.buckets.delete") == ["literal", "suffix", "negated"])
        #expect(matched("STORAGE.BUCKETS.DELETE") == ["literal", "suffix", "negated"])
        #expect(matched("google.iam.admin.v1.CreateServiceAccountKey") == ["wildcard", "negated"])
        #expect(matched("SetIamPolicy") == ["mixed-or", "negated"])
        #expect(matched("compute.firewalls.patch") == ["mixed-or", "negated"])
        #expect(matched("storage.buckets.get") == [])
        #expect(matched("compute.instances.list") == ["negated"])
    }

    @Test("with more than 512 rules (past the candidate set's inline part) every match is found, in rule order")
    func manyRulesKeepEveryMatch() {
        // Given 700 rules on distinct methods, and every fifth one also matching a shared suffix
        let rules = Self.set((0..<700).map { i in
            let detection = i % 5 == 0
                ? "a:\n    gcp.audit.method_name: m\(i).call\nb:\n    gcp.audit.method_name|endswith: .shared\ncondition: a or b"
                : "selection:\n    gcp.audit.method_name: m\(i).call\ncondition: selection"
            return (id: "rule-\(i)", detection: detection)
        })
        for i in [0, 1, 511, 512, 513, 639, 640, 699] {
            // When an event names one rule's method, only that rule matches
            let event = Self.gcpEvent("m\(i).call")
            let found = rules.evaluate(event, context: .unknown(for: event), now: Date()).map(\.policy.id)
            #expect(found == ["rule-\(i)"])
        }
        // And the shared suffix selects the 140 rules that accept it, in their order
        let shared = Self.gcpEvent("any.shared")
        let found = rules.evaluate(shared, context: .unknown(for: shared), now: Date()).map(\.policy.id)
        #expect(found == stride(from: 0, to: 700, by: 5).map { "rule-\($0)" })
        #expect(rules.candidateCount(for: shared) == 140)
    }

    @Test("a key with dots is found when the reader saw one (or does not know), and plain paths always")
    func dottedKeysFollowTheReader() {
        let rules = Self.set([
            ("dotted", "selection:\n    labels.authorization.k8s.io/decision: allow\ncondition: selection"),
            ("plain", "selection:\n    protoPayload.serviceName: k8s.io\ncondition: selection"),
        ])
        func matched(_ dottedKeys: Bool?, dotted: Bool) -> Set<String> {
            var event = Self.gcpEvent("io.k8s.core.v1.pods.create")
            event.raw = dotted
                ? ["protoPayload": ["serviceName": "k8s.io"], "labels": ["authorization.k8s.io/decision": "allow"]]
                : ["protoPayload": ["serviceName": "k8s.io"], "labels": ["authorization": ["k8s": ["io/decision": "allow"]]]]
            event.rawHasDottedKeys = dottedKeys
            return Set(rules.evaluate(event, context: .unknown(for: event), now: Date()).filter { $0.kind == .violation }.map(\.policy.id))
        }
        #expect(matched(true, dotted: true) == ["dotted", "plain"])
        #expect(matched(nil, dotted: true) == ["dotted", "plain"])
        #expect(matched(false, dotted: false) == ["dotted", "plain"])
        #expect(matched(nil, dotted: false) == ["dotted", "plain"])
    }
}
