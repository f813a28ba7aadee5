import ParapetCore

/// A compiled guardrail: a Sigma rule plus its `parapet:` governance metadata.
public struct Policy: Sendable, Identifiable {
    public var id: String
    public var title: String
    public var description: String?
    public var status: String?
    public var author: String?
    public var tags: [String]
    public var references: [String]
    public var falsePositives: [String]
    /// Sigma's `level`.
    public var severity: Severity
    public var logSource: LogSource
    /// The feed the rule reads; nil for `product: any` (the normalised OCSF-shaped fields).
    public var feed: Feed?
    public var controls: [String]
    public var remediation: String?
    public var scope: PolicyScope
    public var exceptions: [PolicyException]
    /// True when the policy has `resolves_on`: a later matching event closes its open violations.
    public var hasResolution: Bool { resolvesOn != nil }
    /// The field naming the resource a violation is grouped by (nil: the feed's default).
    public var resourceField: String?
    public var tests: [PolicyTest]
    /// The file the policy was loaded from, and where its document starts.
    public var file: String
    public var line: Int

    let detection: Detection
    let resolvesOn: Selection?
    let resourceSources: [FieldSource]?
}
