import Foundation
import ParapetCore
import ParapetProviders
import Testing

@Suite("GCP audit source against a fake Cloud Logging")
struct GCPAuditSourceTests {
    static let allLogs = ["activity", "system_event", "data_access", "policy"]
    static let tenYears: TimeInterval = 10 * 365 * 86_400

    static func settings(logs: [String] = allLogs, pageSize: Int = 7, maxPages: Int = 2) -> GCPAuditSource.Configuration {
        GCPAuditSource.Configuration(project: "payments-prod", logs: logs, overlap: 600, backfill: tenYears, pageSize: pageSize,
                                     maxPagesPerPoll: maxPages, requestsPerSecond: 1000, burst: 1000)
    }

    static func isAudit(_ record: CloudSamples.Record, logs: [String] = allLogs) -> Bool {
        let name = record.json["logName"]?.stringValue?.removingPercentEncoding ?? ""
        return logs.contains { name.hasSuffix("/logs/cloudaudit.googleapis.com/" + $0) }
    }

    @Test("every record is read once over several polls and pages; the overlap re-reads are counted; a restart reads nothing new")
    func readsEveryRecordOnce() async throws {
        try await GCPHarness.run { gcp in
            // Given the sample entries, and a first poll time just after one of them
            let records = GCPHarness.samples.filter { Self.isAudit($0) }.sorted { $0.time < $1.time }
            #expect(records.count == 78)
            let firstNow = Date(timeIntervalSince1970: (records[records.count / 2].time.timeIntervalSince1970 + 300).rounded())
            let overlapped = records.filter { $0.time >= firstNow.addingTimeInterval(-600) && $0.time < firstNow }
            #expect(overlapped.count >= 1)
            let source = gcp.source(Self.settings())

            // When it polls until caught up, twice, the second time after all the entries
            gcp.clock.now = firstNow
            let first = try await gcp.drain(source, from: nil)
            gcp.clock.now = records.last!.time.addingTimeInterval(86_400)
            let second = try await gcp.drain(source, from: first.cursor)

            // Then every entry came back, once, plus the overlap re-reads; with one token
            #expect(first.pages.count > 1)
            #expect(second.pages.count > 1)
            let read = (first.pages + second.pages).flatMap(\.rawKeys).counted
            #expect(Set(read.keys) == Set(records.map(\.key)))
            let reread = read.filter { $0.value > 1 }
            #expect(reread.count == overlapped.count)
            #expect(reread.values.allSatisfy { $0 == 2 })
            #expect(Set(reread.keys) == Set(overlapped.map(\.key)))
            #expect(await gcp.fake.tokenRequests == 1)

            // When the daemon restarts (new source, new token provider) with the stored cursor
            gcp.clock.now = gcp.clock.now.addingTimeInterval(60)
            let restarted = try await gcp.drain(gcp.source(Self.settings()), from: second.cursor)

            // Then nothing it returns is new
            let again = restarted.pages.flatMap(\.rawKeys)
            #expect(again.allSatisfy { read[$0] != nil })
            #expect(restarted.pages.last?.hasMore == false)
        }
    }

    @Test("a restart in the middle of a window resumes with the stored page token")
    func resumesWithPageToken() async throws {
        try await GCPHarness.run { gcp in
            let records = GCPHarness.samples.filter { Self.isAudit($0) }
            gcp.clock.now = records.map(\.time).max()!.addingTimeInterval(60)
            let first = try await gcp.source(Self.settings(maxPages: 1)).poll(after: nil)
            #expect(first.hasMore)
            #expect(first.cursor?.rawValue.contains("pageToken") == true)

            let rest = try await gcp.drain(gcp.source(Self.settings(maxPages: 1)), from: first.cursor)

            let requests = await gcp.fake.listRequests
            #expect(requests[1]["pageToken"] != nil)
            let read = ([first] + rest.pages).flatMap(\.rawKeys)
            #expect(read.count == records.count)
            #expect(Set(read) == Set(records.map(\.key)))
        }
    }

    @Test("by default only the activity and system_event audit logs are read, oldest first")
    func defaultLogs() async throws {
        try await GCPHarness.run { gcp in
            gcp.clock.now = GCPHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            var settings = GCPAuditSource.Configuration(project: "payments-prod", backfill: Self.tenYears, requestsPerSecond: 1000, burst: 1000)
            settings.pageSize = 1000
            let page = try await gcp.source(settings).poll(after: nil)

            let request = try #require(await gcp.fake.listRequests.first)
            #expect(request["resourceNames"] == ["projects/payments-prod"])
            #expect(request["orderBy"] == "timestamp asc")
            #expect(request["pageSize"] == 1000)
            let filter = try #require(request["filter"]?.stringValue)
            #expect(filter.hasPrefix(#"(log_id("cloudaudit.googleapis.com/activity") OR log_id("cloudaudit.googleapis.com/system_event")) AND timestamp>=""#))
            #expect(page.rawKeys.count == GCPHarness.samples.filter { Self.isAudit($0, logs: ["activity", "system_event"]) }.count)
            #expect(page.rawKeys.count == 51)
            let times = page.events.map(\.time)
            #expect(times == times.sorted())
            #expect(page.hasMore == false)
            // The request budget is the project's bucket
            #expect(await gcp.buckets.bucket(for: "gcp/payments-prod", rate: 1, burst: 1).rate == 1000)
        }
    }

    @Test("an entry that cannot be normalised is quarantined; the rest of the page is kept")
    func quarantinesBadEntries() async throws {
        try await GCPHarness.run { gcp in
            let good = GCPHarness.samples[0].json.serialized()
            await gcp.fake.script([.json(#"{"entries":[\#(good),42,{"insertId":"only-an-id"}]}"#)])
            let page = try await gcp.source(Self.settings()).poll(after: nil)
            #expect(page.events.count == 1)
            #expect(page.quarantined.count == 2)
            #expect(page.quarantined.allSatisfy { $0.sourceID == "gcp/payments-prod/audit" && $0.location.contains("page 1 entry") })
            #expect(page.quarantined.first?.raw == Data("42".utf8))
        }
    }

    @Test("a page that is not JSON fails the poll")
    func nonJSONPage() async throws {
        try await GCPHarness.run { gcp in
            await gcp.fake.script([FakeResponse(status: 200, headers: ["Content-Type": "text/html"], body: Data("<html>oops</html>".utf8))])
            let error = await #expect(throws: CloudSourceError.self) { try await gcp.source(Self.settings()).poll(after: nil) }
            #expect(error?.code == .malformedResponse)
            #expect(error?.description.contains("gcp/payments-prod/audit") == true)
        }
    }

    @Test("a stored page token the API no longer accepts restarts the window")
    func stalePageToken() async throws {
        try await GCPHarness.run { gcp in
            let now = GCPHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            gcp.clock.now = now
            let stale = Cursor(#"{"from":"2015-01-01T00:00:00.000Z","pageToken":"expired","to":"\#(ISO8601.string(from: now))","v":1}"#)
            let page = try await gcp.source(Self.settings(maxPages: 100)).poll(after: stale)
            #expect(page.rawKeys.count == 78)
            #expect(page.hasMore == false)
        }
    }
}
