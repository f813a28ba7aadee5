/// Sigma's `level`, used as the violation's severity.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable, Hashable {
    case informational, low, medium, high, critical

    var rank: Int {
        switch self {
        case .informational: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
