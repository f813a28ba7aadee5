import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("SigmaHQ cloud rules load")
struct SigmaHQRulesLoadTests {
    @Test("every SigmaHQ rule for the three feeds loads without errors: 57 CloudTrail, 35 Azure, 16 GCP")
    func loadsAll() {
        // Given the SigmaHQ cloud rules
        // When they are loaded as policies
        let result = PolicyLoader().load(paths: [TestPaths.sigmaRules.path])

        // Then nothing is an error and every rule is in the set, on its feed
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.rendered).joined(separator: "\n"))")
        let byFeed = Dictionary(grouping: result.policySet.policies, by: \.feed).mapValues(\.count)
        #expect(byFeed[.cloudtrail] == 57)
        #expect(byFeed[.azureActivity] == 35)
        #expect(byFeed[.gcpAudit] == 16)
        #expect(result.files.count == 108)
    }
}
