/// What a policy made of one event.
public struct PolicyMatch: Sendable {
    public enum Kind: Sendable, Hashable {
        /// The guardrail is broken.
        case violation
        /// The guardrail is broken but an active exception covers it.
        case suppressed(exceptionReason: String, owner: String?, ticket: String?)
        /// The event matches `resolves_on`: it closes open violations of the same policy and resource.
        case resolution
    }

    public var policy: Policy
    public var kind: Kind
    /// The resource the violation is grouped by (ARN, bucket name, resource name or id).
    public var resource: String

    /// Creates a match.
    public init(policy: Policy, kind: Kind, resource: String) {
        self.policy = policy
        self.kind = kind
        self.resource = resource
    }
}
