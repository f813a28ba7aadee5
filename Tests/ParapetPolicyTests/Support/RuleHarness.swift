import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

/// Builds one-rule policy sets from a `detection` block and checks documents against them.
struct RuleHarness {
    let policy: Policy

    /// `detection` is the YAML of the detection map, indented by 4 spaces per level below `detection:`.
    init(product: String = "aws", service: String? = "cloudtrail", detection: String, parapet: String? = nil,
         expansions: [String: [String]] = [:], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var text = "title: test rule\nid: test-rule\nlevel: high\nlogsource:\n    product: \(product)\n"
        if let service { text += "    service: \(service)\n" }
        text += "detection:\n" + detection.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }.joined(separator: "\n") + "\n"
        if let parapet {
            text += "parapet:\n" + parapet.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        let result = PolicyLoader(expansions: expansions).load(text: text, file: "rule.yml")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.rendered))\n\(text)", sourceLocation: sourceLocation)
        policy = try #require(result.policySet.policies.first, sourceLocation: sourceLocation)
    }

    /// True when the detection matches the document.
    func matches(_ document: JSONValue) -> Bool {
        policy.detection.matches(document)
    }

    /// Parses JSON text and matches it.
    func matches(json: String) throws -> Bool {
        matches(try JSONValue(parsing: json))
    }
}

/// Loads policy text and returns its diagnostics.
func diagnostics(of text: String, file: String = "policy.yml", now: Date = Date()) -> [Diagnostic] {
    PolicyLoader(now: now).load(text: text, file: file).diagnostics
}
