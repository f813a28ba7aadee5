import Foundation
import ParapetCore
import ParapetPolicy
import Testing

/// The built-in guardrail packs under `policies/`: they load without errors, every policy is
/// tested with at least one violation and one near miss, and every test passes.
@Suite("Built-in policy packs")
struct BuiltInPacksTests {
    /// `policies/` at the package root.
    static let policiesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies").path

    /// Values for the packs' placeholders, as a deployment would configure them.
    static let placeholders = ["allowed_regions": ["eu-west-1", "eu-central-1", "europe-west1", "westeurope", "West Europe"]]

    static func load() -> PolicyLoadResult {
        PolicyLoader(expansions: placeholders).load(paths: [policiesDirectory])
    }

    @Test("every pack loads without errors or warnings")
    func loadsCleanly() {
        // Given the shipped packs, when they are loaded with the documented placeholders
        let result = Self.load()
        // Then nothing is reported and every pack contributes policies
        let problems = result.diagnostics.map { "\($0.file):\($0.line): \($0.message)" }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        let folders = Set(result.policySet.policies.map { policy in
            URL(fileURLWithPath: policy.file).deletingLastPathComponent().lastPathComponent
        })
        #expect(folders.isSuperset(of: ["control-tower", "cis", "gcp", "azure", "cross-cloud"]))
    }

    @Test("policy ids follow the pack naming and carry governance metadata")
    func metadata() {
        let policies = Self.load().policySet.policies
        #expect(policies.count >= 50)
        for policy in policies {
            let prefix = "parapet-\(policy.feed?.provider.rawValue ?? "any")-"
            #expect(policy.id.hasPrefix(prefix), "\(policy.id) should start with \(prefix)")
            #expect(URL(fileURLWithPath: policy.file).deletingPathExtension().lastPathComponent == policy.id,
                    "\(policy.file) should be named after \(policy.id)")
            #expect(!policy.controls.isEmpty, "\(policy.id) names no control")
            #expect((policy.remediation ?? "").count > 40, "\(policy.id) needs remediation a team can follow")
            #expect(policy.description != nil, "\(policy.id) has no description")
        }
    }

    @Test("every policy has a violating test and a near miss")
    func coverage() {
        for policy in Self.load().policySet.policies {
            let expectations = Set(policy.tests.map(\.expect))
            #expect(expectations.contains(.violation), "\(policy.id) has no `expect: violation` test")
            #expect(expectations.contains(.none), "\(policy.id) has no `expect: none` test")
        }
    }

    @Test("every policy test passes")
    func testsPass() {
        let results = PolicyTestRunner().run(Self.load())
        #expect(results.count >= 150)
        for result in results where !result.passed {
            Issue.record("\(result.file):\(result.line): \(result.policyID) — \(result.name): \(result.message)")
        }
    }
}
