import Foundation
import Logging
import ParapetCore

/// Cloud Audit Logs of one GCP project through Cloud Logging `entries.list`: a time window per
/// poll (re-reading `overlap` behind the cursor), paged with `pageToken` (kept in the cursor so
/// a restart resumes), oldest first. The store dedups by `insertId`.
public struct GCPAuditSource: ActivitySource {
    public let id: String
    public var provider: Provider { .gcp }
    public let configuration: Configuration
    let gcp: GCPConfiguration
    let tokens: GCPTokenProvider
    let runtime: CloudRuntime
    var now: @Sendable () -> Date { runtime.now }
    var logger: Logger { runtime.logger }

    public init(configuration: Configuration, gcp: GCPConfiguration, tokens: GCPTokenProvider, runtime: CloudRuntime) {
        self.id = "gcp/\(configuration.project)/audit"
        self.configuration = configuration
        self.gcp = gcp
        self.tokens = tokens
        self.runtime = runtime
    }

    public func poll(after cursor: Cursor?) async throws -> ActivityPage {
        try validate()
        var window = nextWindow(after: cursor)
        let sender = await runtime.sender(
            subject: id, bucketKey: "gcp/\(configuration.project)", rate: configuration.requestsPerSecond, burst: configuration.burst,
            retry: gcp.retry,
            token: { [tokens] force in try await tokens.token(forceRefresh: force) },
            invalidate: { [tokens] token in await tokens.invalidate(token) })
        var page = ActivityPage(cursor: nil)
        var pages = 0
        var restarted = false
        while true {
            let list: GCPEntriesPage
            do {
                list = try await fetch(window, sender: sender)
            } catch let error as CloudSourceError where error.status == 400 && window.pageToken != nil && !restarted {
                logger.info("page token refused; reading the window again", metadata: ["parapet.source": "\(id)"])
                restarted = true
                window.pageToken = nil
                continue
            }
            pages += 1
            list.collect(into: &page, sourceID: id, location: "entries.list \(ISO8601.string(from: window.from))…\(ISO8601.string(from: window.to)) page \(pages)")
            window.pageToken = list.nextPageToken
            if window.pageToken == nil || pages >= configuration.maxPagesPerPoll { break }
        }
        page.cursor = window.cursor
        page.hasMore = window.pageToken != nil
        return page
    }

    /// The window to read: the stored one while it is being paged, else a new one from
    /// `to - overlap` (or the backfill horizon) to now.
    func nextWindow(after cursor: Cursor?) -> GCPAuditCursor {
        let end = now()
        guard let cursor else { return GCPAuditCursor(from: end.addingTimeInterval(-configuration.backfill), to: end) }
        guard let stored = GCPAuditCursor(cursor) else {
            logger.warning("unreadable cursor; starting again from the backfill horizon", metadata: ["parapet.source": "\(id)"])
            return GCPAuditCursor(from: end.addingTimeInterval(-configuration.backfill), to: end)
        }
        if stored.pageToken != nil { return stored }
        return GCPAuditCursor(from: min(stored.to.addingTimeInterval(-configuration.overlap), end), to: end)
    }

    private func validate() throws {
        let unknown = configuration.logs.filter { !Configuration.knownLogs.contains($0) }
        guard configuration.logs.isEmpty == false, unknown.isEmpty else {
            throw CloudSourceError(.configuration, subject: id,
                                   message: "unknown audit log(s) \(unknown) (known: \(Configuration.knownLogs.joined(separator: ", ")))")
        }
    }

    private func fetch(_ window: GCPAuditCursor, sender: CloudRequestSender) async throws -> GCPEntriesPage {
        var body: JSONObject = [
            "resourceNames": .array(configuration.resourceNames.map { .string($0) }),
            "filter": .string(GCPLoggingFilter.auditLogs(configuration.logs, from: window.from, to: window.to)),
            "orderBy": "timestamp asc",
            "pageSize": .number(Double(configuration.pageSize)),
        ]
        if let token = window.pageToken { body["pageToken"] = .string(token) }
        let request = HTTPRequest(method: "POST", url: gcp.endpoints.logging.appendingAPIPath("/v2/entries:list"),
                                  headers: [("Content-Type", "application/json")],
                                  body: Data(JSONValue.object(body).serialized().utf8), timeout: gcp.timeout)
        let response = try await sender.send(request)
        guard response.status == 200 else {
            throw CloudSourceError.http(response, subject: id, operation: "entries.list for \(configuration.resourceNames.joined(separator: ", "))",
                                        hints: Self.hints)
        }
        return try GCPEntriesPage(response.body, subject: id)
    }

    static let hints: [Int: String] = [
        403: "enable the Cloud Logging API in the project and grant the principal roles/logging.viewer (roles/logging.privateLogViewer for data_access)",
        404: "check the project id and resource names",
    ]
}
