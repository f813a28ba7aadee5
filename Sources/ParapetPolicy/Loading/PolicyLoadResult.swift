/// The policies that compiled, and every problem found on the way.
public struct PolicyLoadResult: Sendable {
    /// The policies without errors.
    public var policySet: PolicySet
    /// Every diagnostic, in file order.
    public var diagnostics: [Diagnostic]
    /// The files that were read.
    public var files: [String]

    /// True when any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }

    /// Creates a result.
    public init(policySet: PolicySet, diagnostics: [Diagnostic], files: [String] = []) {
        self.policySet = policySet
        self.diagnostics = diagnostics
        self.files = files
    }
}
