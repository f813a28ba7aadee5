import Foundation
import ParapetCore

/// The Logging query for a window of audit logs:
/// `(log_id("cloudaudit.googleapis.com/activity") OR …) AND timestamp>="…" AND timestamp<"…"`.
enum GCPLoggingFilter {
    static func auditLogs(_ logs: [String], from: Date, to: Date) -> String {
        let ids = logs.map { "log_id(\"cloudaudit.googleapis.com/\($0)\")" }.joined(separator: " OR ")
        return "(\(ids)) AND timestamp>=\"\(ISO8601.string(from: from))\" AND timestamp<\"\(ISO8601.string(from: to))\""
    }
}
