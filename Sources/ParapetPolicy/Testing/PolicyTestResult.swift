/// The outcome of one policy test.
public struct PolicyTestResult: Sendable, Hashable, Codable {
    public var policyID: String
    public var name: String
    public var file: String
    public var line: Int
    public var expected: PolicyTest.Expectation
    /// What the policy actually made of the event.
    public var actual: PolicyTest.Expectation
    public var passed: Bool { expected == actual }

    /// Why it failed, in a sentence.
    public var message: String {
        passed ? "ok" : "expected \(expected.rawValue), got \(actual.rawValue)"
    }
}
