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

    /// True for a read verb, false for a write verb, nil when the verb says neither.
    static func isReadOnly(_ operation: String) -> Bool? {
        let verb = lastSegment(of: operation).lowercased()
        if verb.isEmpty { return nil }
        // "Settings" would otherwise look like "set"; require the verb prefix to end at a word boundary.
        for prefix in readPrefixes where hasVerbPrefix(verb, prefix, original: operation) { return true }
        for prefix in writePrefixes where hasVerbPrefix(verb, prefix, original: operation) { return false }
        return nil
    }

    /// The text after the last `.`, `/` or `-` (`CloudResourceManagerV3Service-SearchOrganizations` → `SearchOrganizations`).
    static func lastSegment(of operation: String) -> Substring {
        guard let separator = operation.lastIndex(where: { $0 == "." || $0 == "/" || $0 == "-" }) else {
            return Substring(operation)
        }
        return operation[operation.index(after: separator)...]
    }

    /// `verb` starts with `prefix` and the prefix is a whole word: the verb ends there, or the next
    /// character of the original segment is upper-case or a non-letter (`ListKeys`, `setIamPolicy`, `get_x`).
    private static func hasVerbPrefix(_ verb: String, _ prefix: String, original: String) -> Bool {
        guard verb.hasPrefix(prefix) else { return false }
        let segment = lastSegment(of: original)
        guard segment.count > prefix.count else { return true }
        let next = segment[segment.index(segment.startIndex, offsetBy: prefix.count)]
        return next.isUppercase || !next.isLetter
    }
}
