/// A glob over OU paths: `*` is one path segment, `**` any number of segments (none
/// included). `Root/Workloads/Payments/**` matches `Root/Workloads/Payments` and everything
/// below it. A pattern that does not start with the root's name is matched below the root
/// (`Workloads/**` is `Root/Workloads/**`).
public struct OUPathGlob: Sendable, Hashable {
    public let pattern: String
    let segments: [Substring]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.segments = pattern.split(separator: "/", omittingEmptySubsequences: true)
    }

    /// Literal segments: the more, the more specific the pattern.
    public var specificity: Int { segments.filter { $0 != "*" && $0 != "**" }.count }

    /// True when `path` (`Root/Workloads/Prod`) is matched.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if Self.match(segments[...], parts[...]) { return true }
        return parts.count > 1 && Self.match(segments[...], parts.dropFirst())
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            for skip in 0...path.count where match(rest, path.dropFirst(skip)) { return true }
            return false
        }
        guard let first = path.first, head == "*" || head == first else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}
