import Foundation
import Logging
import ParapetCore

/// The Activity Log of one Azure subscription through the Activity Logs List REST API
/// (2015-04-01): a time window per poll (re-reading `overlap` behind the cursor), paged by
/// following `nextLink` only on the configured management host (kept in the cursor so a restart
/// resumes). The store dedups by `eventDataId`.
public struct AzureActivitySource: ActivitySource {
    public let id: String
    public var provider: Provider { .azure }
    public let configuration: Configuration
    let azure: AzureConfiguration
    let tokens: AzureTokenProvider
    let runtime: CloudRuntime
    var now: @Sendable () -> Date { runtime.now }
    var logger: Logger { runtime.logger }

    public init(configuration: Configuration, azure: AzureConfiguration, tokens: AzureTokenProvider, runtime: CloudRuntime) {
        self.id = "azure/\(configuration.subscription)/activity"
        self.configuration = configuration
        self.azure = azure
        self.tokens = tokens
        self.runtime = runtime
    }

    public func poll(after cursor: Cursor?) async throws -> ActivityPage {
        var window = nextWindow(after: cursor)
        let sender = await runtime.sender(
            subject: id, bucketKey: "azure/\(configuration.subscription)", rate: configuration.requestsPerSecond, burst: configuration.burst,
            retry: azure.retry,
            token: { [tokens] force in try await tokens.token(forceRefresh: force) },
            invalidate: { [tokens] token in await tokens.invalidate(token) })
        var page = ActivityPage(cursor: nil)
        var pages = 0
        var restarted = false
        var lowOnReads = false
        let operation = "Activity Logs List for subscription \(configuration.subscription)"
        while true {
            let url = try window.nextLink.map { try AzureLinkGuard.check($0, against: azure.endpoints.management, subject: id) }
                ?? firstPage(window)
            let response = try await sender.send(HTTPRequest(url: url, headers: [("Accept", "application/json")], timeout: azure.timeout))
            if response.status == 400, window.nextLink != nil, !restarted {
                logger.info("nextLink refused; reading the window again", metadata: ["parapet.source": "\(id)"])
                restarted = true
                window.nextLink = nil
                continue
            }
            guard response.status == 200 else {
                throw CloudSourceError.http(response, subject: id, operation: operation, hints: Self.hints)
            }
            let list = try AzureEventsPage(response.body, subject: id, operation: operation)
            if let link = list.nextLink { _ = try AzureLinkGuard.check(link, against: azure.endpoints.management, subject: id) }
            pages += 1
            list.collect(into: &page, sourceID: id, location: "activity log \(ISO8601.string(from: window.from))…\(ISO8601.string(from: window.to)) page \(pages)")
            window.nextLink = list.nextLink
            if let remaining = response.header("x-ms-ratelimit-remaining-subscription-reads").flatMap({ Int($0) }),
               remaining < configuration.minRemainingReads {
                logger.info("few subscription reads left; pausing paging", metadata: ["parapet.source": "\(id)", "parapet.remaining": "\(remaining)"])
                lowOnReads = true
            }
            if window.nextLink == nil || pages >= configuration.maxPagesPerPoll || lowOnReads { break }
        }
        page.cursor = window.cursor
        page.hasMore = window.nextLink != nil && !lowOnReads
        return page
    }

    /// The window to read: the stored one while it is being paged, else a new one from
    /// `to - overlap` (or the backfill horizon) to now.
    func nextWindow(after cursor: Cursor?) -> AzureActivityCursor {
        let end = now()
        guard let cursor else { return AzureActivityCursor(from: end.addingTimeInterval(-configuration.backfill), to: end) }
        guard let stored = AzureActivityCursor(cursor) else {
            logger.warning("unreadable cursor; starting again from the backfill horizon", metadata: ["parapet.source": "\(id)"])
            return AzureActivityCursor(from: end.addingTimeInterval(-configuration.backfill), to: end)
        }
        if stored.nextLink != nil { return stored }
        return AzureActivityCursor(from: min(stored.to.addingTimeInterval(-configuration.overlap), end), to: end)
    }

    /// `…/eventtypes/management/values?api-version=2015-04-01&$filter=eventTimestamp ge '…' and eventTimestamp le '…'`
    func firstPage(_ window: AzureActivityCursor) -> URL {
        let subscription = configuration.subscription.addingPercentEncoding(withAllowedCharacters: OAuthForm.unreserved) ?? configuration.subscription
        let path = "/subscriptions/\(subscription)/providers/Microsoft.Insights/eventtypes/management/values"
        var components = URLComponents(url: azure.endpoints.management.appendingAPIPath(path), resolvingAgainstBaseURL: false)!
        let filter = "eventTimestamp ge '\(ISO8601.string(from: window.from))' and eventTimestamp le '\(ISO8601.string(from: window.to))'"
        components.queryItems = [URLQueryItem(name: "api-version", value: "2015-04-01"), URLQueryItem(name: "$filter", value: filter)]
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    static let hints: [Int: String] = [
        403: "grant the principal the Reader role (or Monitoring Reader) on the subscription",
        404: "check the subscription id",
    ]
}
