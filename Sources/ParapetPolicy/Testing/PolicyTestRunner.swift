import Foundation
import ParapetCore

/// Runs every policy's `parapet.tests` against the policy alone (like `opa test`).
public struct PolicyTestRunner: Sendable {
    /// The time exceptions are checked against.
    public var now: Date

    /// Creates a runner.
    public init(now: Date = Date()) {
        self.now = now
    }

    /// Runs the tests of every policy in the set.
    public func run(_ set: PolicySet) -> [PolicyTestResult] {
        set.policies.flatMap { policy in policy.tests.map { run($0, of: policy) } }
    }

    /// Runs the tests of every policy that loaded.
    public func run(_ result: PolicyLoadResult) -> [PolicyTestResult] {
        run(result.policySet)
    }

    /// Runs one test.
    public func run(_ test: PolicyTest, of policy: Policy) -> PolicyTestResult {
        var context: AccountContext?
        if let c = test.context {
            let provider = policy.feed?.provider ?? .aws
            context = AccountContext(account: Account(provider: provider, id: c.account ?? "", team: c.team, ou: c.ou),
                                     region: c.region)
        }
        let outcomes = PolicySet.outcomes(of: policy, document: test.event, event: nil, context: context,
                                          eventRegion: nil, now: now)
        let actual: PolicyTest.Expectation
        if outcomes.contains(where: { $0.kind == .violation }) {
            actual = .violation
        } else if outcomes.contains(where: { if case .suppressed = $0.kind { true } else { false } }) {
            actual = .suppressed
        } else if outcomes.contains(where: { $0.kind == .resolution }) {
            actual = .resolution
        } else {
            actual = .none
        }
        return PolicyTestResult(policyID: policy.id, name: test.name, file: test.location.file, line: test.location.line,
                                expected: test.expect, actual: actual)
    }
}
