import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Placeholders without values")
struct PlaceholderTests {
    @Test("a placeholder without values is a warning; that policy is left out and the others load")
    func missingPlaceholderDisablesOnePolicy() throws {
        // Given a file whose first policy uses %allowed_regions% and no configured values
        let result = PolicyLoader().load(paths: [TestPaths.fixture("lint/placeholder.yml")])
        // Then loading has no error, one warning naming the policy and the configuration key
        #expect(!result.hasErrors)
        let lines = result.diagnostics.map { "\($0.line):\($0.column): \($0.severity.rawValue): \($0.message)" }
        #expect(lines == [
            "7:23: warning: placeholder '%allowed_regions%' has no values; policy test-region-deny is disabled until "
                + "`placeholders.allowed_regions` is set in the configuration",
        ])
        // And only the other policy is in the set, so the disabled one matches nothing
        #expect(result.policySet.policies.map(\.id) == ["test-trail-stopped"])
        let event = AuditEvent(provider: .aws, feed: .cloudtrail, eventID: "1", time: Date(), account: "1",
                               operation: "StopLogging",
                               raw: ["eventName": "StopLogging", "awsRegion": "ap-south-1"])
        let matched = result.policySet.evaluate(event, context: .unknown(for: event), now: Date()).map(\.policy.id)
        #expect(matched == ["test-trail-stopped"])
    }

    @Test("with values configured the same policy loads and matches")
    func configuredPlaceholderLoads() throws {
        let result = PolicyLoader(expansions: ["allowed_regions": ["eu-west-1"]])
            .load(paths: [TestPaths.fixture("lint/placeholder.yml")])
        #expect(result.diagnostics.isEmpty)
        let event = AuditEvent(provider: .aws, feed: .cloudtrail, eventID: "1", time: Date(), account: "1",
                               operation: "RunInstances", raw: ["eventName": "RunInstances", "awsRegion": "ap-south-1"])
        let matched = result.policySet.evaluate(event, context: .unknown(for: event), now: Date()).map(\.policy.id)
        #expect(matched == ["test-region-deny"])
    }
}
