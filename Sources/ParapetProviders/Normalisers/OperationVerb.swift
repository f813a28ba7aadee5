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
        if let verdict = segment.utf8.withContiguousStorageIfAvailable({ isReadOnly(verb: $0) }) {
            return verdict ?? slowIsReadOnly(segment)
        }
        return Array(segment.utf8).withUnsafeBufferPointer { isReadOnly(verb: $0) } ?? slowIsReadOnly(segment)
    }

    /// `isReadOnly` on an ASCII verb's UTF-8, compared in place; `.some(nil)` when the verb says
    /// neither, nil when it is not ASCII (Unicode case rules then apply).
    private static func isReadOnly(verb: UnsafeBufferPointer<UInt8>) -> Bool?? {
        guard verb.allSatisfy({ $0 < 0x80 }) else { return nil }
        // "Settings" would otherwise look like "set"; require the verb prefix to end at a word
        // boundary: the segment ends there, or its next byte is not a lower-case letter.
        func starts(with prefix: [UInt8]) -> Bool {
            guard verb.count >= prefix.count else { return false }
            for i in prefix.indices {
                let byte = verb[i]
                if (byte >= 65 && byte <= 90 ? byte | 0x20 : byte) != prefix[i] { return false }
            }
            guard verb.count > prefix.count else { return true }
            let next = verb[prefix.count]
            return !(next >= 97 && next <= 122)
        }
        for prefix in readPrefixBytes where starts(with: prefix) { return .some(true) }
        for prefix in writePrefixBytes where starts(with: prefix) { return .some(false) }
        return .some(nil)
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
