import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Policy test runner")
struct PolicyTestRunnerTests {
    @Test("runs inline and fixture tests, with context for scope, and reports the ones that fail")
    func runsTests() throws {
        // Given the DESIGN.md example policy with nine tests, two of them wrong on purpose
        let loaded = PolicyLoader().load(paths: [TestPaths.fixture("runner")])
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.rendered))")

        // When the runner runs them
        let results = PolicyTestRunner().run(loaded)

        // Then the seven right ones pass and the two wrong ones fail with what happened
        #expect(results.count == 9)
        let failed = results.filter { !$0.passed }
        #expect(failed.map(\.name) == ["this test is wrong on purpose", "this one too"])
        #expect(failed[0].expected == .none && failed[0].actual == .violation)
        #expect(failed[0].message == "expected none, got violation")
        #expect(failed[1].actual == .none)
        #expect(results.allSatisfy { $0.policyID == "parapet-aws-cloudtrail-tamper" })
        #expect(results[0].file.hasSuffix("cloudtrail-tamper.yml") && results[0].line == 19)
    }

    @Test("an expired exception stops suppressing")
    func expiredException() throws {
        let loaded = PolicyLoader().load(paths: [TestPaths.fixture("runner")])
        let runner = PolicyTestRunner(now: PolicyDate.parse("2099-04-01")!)
        let results = runner.run(loaded)
        let breakGlass = try #require(results.first { $0.name == "break glass is suppressed" })
        #expect(!breakGlass.passed)
        #expect(breakGlass.actual == .violation)
        let lastDay = PolicyTestRunner(now: PolicyDate.parse("2099-03-31")!.addingTimeInterval(86399)).run(loaded)
        #expect(lastDay.first { $0.name == "break glass is suppressed" }?.passed == true)
    }
}
