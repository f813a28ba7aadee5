import Foundation

extension GCPAuditSource {
    /// One project's Cloud Audit Logs feed (or a folder's or organisation's, via `resourceNames`).
    public struct Configuration: Sendable, Hashable {
        /// The project id; the source id is `gcp/PROJECT/audit`.
        public var project: String
        /// The parents to read from; default `projects/PROJECT`. `folders/X` or `organizations/Y`
        /// read the audit logs written at that level.
        public var resourceNames: [String]
        /// Which audit logs: `activity`, `system_event`, `data_access`, `policy`.
        public var logs: [String]
        /// How far behind the cursor each new window starts again (late entries; the store dedups).
        public var overlap: TimeInterval
        /// How far back the first poll reads.
        public var backfill: TimeInterval
        /// Entries per `entries.list` call (Cloud Logging allows up to 1000).
        public var pageSize: Int
        /// `entries.list` calls per poll at most (one page is one call).
        public var maxPagesPerPoll: Int
        /// The per-project request budget (`gcp/PROJECT` bucket): Cloud Logging allows about
        /// 60 `entries.list` calls per minute per project.
        public var requestsPerSecond: Double
        public var burst: Double

        public init(project: String, resourceNames: [String]? = nil, logs: [String] = ["activity", "system_event"],
                    overlap: TimeInterval = 600, backfill: TimeInterval = 86_400, pageSize: Int = 1000,
                    maxPagesPerPoll: Int = 5, requestsPerSecond: Double = 1, burst: Double = 5) {
            self.project = project
            self.resourceNames = resourceNames ?? ["projects/\(project)"]
            self.logs = logs
            self.overlap = overlap
            self.backfill = backfill
            self.pageSize = min(1000, max(1, pageSize))
            self.maxPagesPerPoll = max(1, maxPagesPerPoll)
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }

        /// The audit log names this source knows.
        public static let knownLogs = ["activity", "system_event", "data_access", "policy"]
    }
}
