/// Team rules over an organisational path (a GCP folder path, an Azure management-group path),
/// matched with the AWS OU glob (`OUPathGlob`: `*` one segment, `**` any number, a pattern may
/// leave out the root segment). The most specific pattern wins; among equals, the one that
/// sorts first.
public struct PathTeamRules: Sendable, Hashable {
    let rules: [Rule]

    struct Rule: Sendable, Hashable {
        let glob: OUPathGlob
        let team: String
    }

    /// `glob → team`.
    public init(_ teams: [String: String]) {
        rules = teams.map { Rule(glob: OUPathGlob($0.key), team: $0.value) }
            .sorted { $0.glob.specificity != $1.glob.specificity ? $0.glob.specificity > $1.glob.specificity
                : $0.glob.pattern < $1.glob.pattern }
    }

    public var isEmpty: Bool { rules.isEmpty }

    /// The team of the most specific pattern matching `path`, if any.
    public func team(for path: String) -> String? {
        rules.first { $0.glob.matches(path) }?.team
    }

    /// Why `pattern` cannot be a path glob, or nil when it can: `*` and `**` must be whole
    /// segments (`engineering/*`, not `eng*`), and the pattern must have a segment.
    public static func problem(in pattern: String) -> String? {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true)
        if segments.isEmpty { return "a path glob needs at least one segment (e.g. 'engineering/**')" }
        if let bad = segments.first(where: { $0.contains("*") && $0 != "*" && $0 != "**" }) {
            return "'\(bad)': '*' and '**' must be whole path segments ('engineering/*', 'engineering/**')"
        }
        return nil
    }
}
