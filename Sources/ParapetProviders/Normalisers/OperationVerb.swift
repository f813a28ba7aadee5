/// Classifies an API operation name as read-only or mutating from its verb, for feeds that do
/// not say so themselves (GCP methods, CloudTrail records older than eventVersion 1.05).
///
/// The verb is the last segment of the name (`v1.compute.instances.insert` → `insert`,
/// `google.iam.admin.v1.ListServiceAccounts` → `ListServiceAccounts`, `DescribeInstances`), matched
/// case-insensitively by prefix. Names whose verb is in neither list are undecided (nil).
enum OperationVerb {
    static let readPrefixes: [String] = [
        "get", "list", "describe", "search", "lookup", "query", "read", "check", "test", "watch",
        "batchget", "head", "view", "fetch", "aggregatedlist", "select", "scan", "validate", "estimate",
    ]
    static let writePrefixes: [String] = [
        "create", "insert", "delete", "update", "patch", "set", "add", "remove", "put", "write", "modify",
        "move", "undelete", "enable", "disable", "attach", "detach", "start", "stop", "reset", "resize",
        "deploy", "cancel", "rotate", "import", "publish", "approve", "replace", "apply", "execute", "run",
        "terminate", "reboot", "restore", "revoke", "grant", "authorize", "associate", "disassociate",
        "register", "deregister", "tag", "untag", "upload", "copy", "purge", "destroy", "suspend", "resume",
        "change", "assign", "unassign", "invite", "accept", "reject", "leave", "join", "send", "mutate",
        "batchcreate", "batchdelete", "batchupdate", "undeploy", "upgrade", "rollback", "migrate",
    ]

    private static let readPrefixBytes = readPrefixes.map { Array($0.utf8) }
    private static let writePrefixBytes = writePrefixes.map { Array($0.utf8) }

    /// True for a read verb, false for a write verb, nil when the verb says neither.
    static func isReadOnly(_ operation: String) -> Bool? {
        let segment = lastSegment(of: operation)
        if segment.isEmpty { return nil }
        // "Settings" would otherwise look like "set"; require the verb prefix to end at a word
        // boundary: the segment ends there, or its next byte is not a lower-case letter.
        let original = Array(segment.utf8)
        guard original.allSatisfy({ $0 < 0x80 }) else { return slowIsReadOnly(segment) }
        let lowered = original.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        func starts(with prefix: [UInt8]) -> Bool {
            guard lowered.count >= prefix.count else { return false }
            for i in prefix.indices where lowered[i] != prefix[i] { return false }
            guard lowered.count > prefix.count else { return true }
            let next = original[prefix.count]
            return !(next >= 97 && next <= 122)
        }
        for prefix in readPrefixBytes where starts(with: prefix) { return true }
        for prefix in writePrefixBytes where starts(with: prefix) { return false }
        return nil
    }

    /// `isReadOnly` for a verb with non-ASCII characters (rare): Unicode case rules.
    private static func slowIsReadOnly(_ segment: Substring) -> Bool? {
        let verb = segment.lowercased()
        func starts(with prefix: String) -> Bool {
            guard verb.hasPrefix(prefix) else { return false }
            guard segment.count > prefix.count else { return true }
            let next = segment[segment.index(segment.startIndex, offsetBy: prefix.count)]
            return next.isUppercase || !next.isLetter
        }
        for prefix in readPrefixes where starts(with: prefix) { return true }
        for prefix in writePrefixes where starts(with: prefix) { return false }
        return nil
    }

    /// The text after the last `.`, `/` or `-` (`CloudResourceManagerV3Service-SearchOrganizations` → `SearchOrganizations`).
    static func lastSegment(of operation: String) -> Substring {
        let utf8 = operation.utf8
        guard let separator = utf8.lastIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") })
        else { return Substring(operation) }
        return operation[utf8.index(after: separator)...]
    }
}
