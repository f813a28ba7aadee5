import ParapetCore

/// One entry of `parapet.tests`: an event and what the policy must make of it.
public struct PolicyTest: Sendable {
    public enum Expectation: String, Sendable, Hashable, Codable, CaseIterable {
        case violation, none, suppressed, resolution
    }

    /// The account the test event pretends to come from (`context:`); nil = scope not checked.
    public struct Context: Sendable, Hashable {
        public var account: String?
        public var team: String?
        public var ou: String?
        public var region: String?

        /// Creates a test context.
        public init(account: String? = nil, team: String? = nil, ou: String? = nil, region: String? = nil) {
            self.account = account
            self.team = team
            self.ou = ou
            self.region = region
        }
    }

    public var name: String
    /// The event record (raw for a feed, normalised fields for `product: any`).
    public var event: JSONValue
    public var expect: Expectation
    public var context: Context?
    /// Where the test is written.
    public var location: PolicyLocation
}
