import Foundation
import Logging
import ParapetCore
import Testing
@testable import ParapetProviders

@Suite("GCP audit windows and filter")
struct GCPLoggingFilterTests {
    @Test("the filter names each audit log and bounds the window, upper bound exclusive")
    func filter() {
        let text = GCPLoggingFilter.auditLogs(["activity", "policy"], from: Date(timeIntervalSince1970: 1_732_000_000),
                                              to: Date(timeIntervalSince1970: 1_732_003_600))
        #expect(text == #"(log_id("cloudaudit.googleapis.com/activity") OR log_id("cloudaudit.googleapis.com/policy")) AND timestamp>="2024-11-19T07:06:40.000Z" AND timestamp<"2024-11-19T08:06:40.000Z""#)
    }

    @Test("a new window starts an overlap behind the last one; a window being paged is kept")
    func windows() throws {
        let now = Date(timeIntervalSince1970: 1_732_010_000)
        let source = GCPAuditSource(
            configuration: .init(project: "p", overlap: 600, backfill: 86_400), gcp: GCPConfiguration(),
            tokens: GCPTokenProvider(configuration: GCPConfiguration(), http: URLSessionHTTPClient()),
            runtime: CloudRuntime(http: URLSessionHTTPClient(), buckets: .init(), now: { now }, logger: Logger(label: "test")))
        let first = source.nextWindow(after: nil)
        #expect(first == GCPAuditCursor(from: now.addingTimeInterval(-86_400), to: now))

        let done = GCPAuditCursor(from: now.addingTimeInterval(-7200), to: now.addingTimeInterval(-3600))
        #expect(source.nextWindow(after: done.cursor) == GCPAuditCursor(from: now.addingTimeInterval(-4200), to: now))

        let paging = GCPAuditCursor(from: now.addingTimeInterval(-7200), to: now.addingTimeInterval(-3600), pageToken: "t")
        #expect(source.nextWindow(after: paging.cursor) == paging)

        #expect(source.nextWindow(after: .init("not json")) == first)
    }
}
