import Foundation
import ParapetCore
import ParapetProviders
import Testing

@Suite("Azure activity source against a fake Azure Resource Manager")
struct AzureActivitySourceTests {
    @Test("every event is read once over several polls following nextLink; overlap re-reads are counted; a restart reads nothing new")
    func readsEveryEventOnce() async throws {
        try await AzureHarness.run { azure in
            // Given the sample events, and a first poll 5 minutes after one of them (overlap 15 minutes)
            let records = AzureHarness.samples.sorted { $0.time < $1.time }
            #expect(records.count == 8)
            await azure.fake.setPageSize(2)
            let firstNow = Date(timeIntervalSince1970: (records[4].time.timeIntervalSince1970 + 300).rounded())
            let overlapped = records.filter { $0.time >= firstNow.addingTimeInterval(-900) && $0.time <= firstNow }
            #expect(overlapped.count == 1)
            let source = azure.source(AzureHarness.settings(maxPages: 1))

            azure.clock.now = firstNow
            let first = try await azure.drain(source, from: nil)
            azure.clock.now = records.last!.time.addingTimeInterval(86_400)
            let second = try await azure.drain(source, from: first.cursor)

            #expect(first.pages.count == 3)
            #expect(second.pages.count == 2)
            let read = (first.pages + second.pages).flatMap(\.rawKeys).counted
            #expect(Set(read.keys) == Set(records.map(\.key)))
            #expect(read.filter { $0.value > 1 }.keys.sorted() == overlapped.map(\.key))
            #expect(read.values.reduce(0, +) == records.count + overlapped.count)
            #expect(await azure.fake.tokenRequests == 1)

            // The first request carries the documented query, encoded
            let request = try #require(await azure.fake.listRequests.first)
            #expect(request.query["api-version"] == "2015-04-01")
            #expect(request.query["$filter"]?.hasPrefix("eventTimestamp ge '") == true)
            #expect(request.query["$filter"]?.contains("' and eventTimestamp le '") == true)
            #expect(request.rawQuery?.contains(" ") == false)

            // A restart with the stored cursor reads nothing new
            azure.clock.now = azure.clock.now.addingTimeInterval(60)
            let restarted = try await azure.drain(azure.source(AzureHarness.settings()), from: second.cursor)
            #expect(restarted.pages.flatMap(\.rawKeys).allSatisfy { read[$0] != nil })
        }
    }

    @Test("a restart in the middle of a window resumes at the stored nextLink")
    func resumesWithNextLink() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.setPageSize(3)
            azure.clock.now = AzureHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            let first = try await azure.source(AzureHarness.settings(maxPages: 1)).poll(after: nil)
            #expect(first.hasMore)
            #expect(first.cursor?.rawValue.contains("nextLink") == true)

            let rest = try await azure.drain(azure.source(AzureHarness.settings(maxPages: 1)), from: first.cursor)

            let requests = await azure.fake.listRequests
            #expect(requests[1].query["$skipToken"] == "3")
            let read = ([first] + rest.pages).flatMap(\.rawKeys)
            #expect(read.count == 8)
            #expect(Set(read) == Set(AzureHarness.samples.map(\.key)))
        }
    }

    @Test("a nextLink to another host is refused and that host receives nothing")
    func refusesForeignNextLink() async throws {
        try await AzureHarness.run { azure in
            let stranger = RequestCounter()
            try await CloudFakeServer.run({ _ in await stranger.add(); return .json("{}") }) { strangerBase in
                await azure.fake.setPageSize(2)
                await azure.fake.setNextLinkBase(strangerBase.absoluteString)
                azure.clock.now = AzureHarness.samples.map(\.time).max()!.addingTimeInterval(60)

                let error = await #expect(throws: CloudSourceError.self) { try await azure.source().poll(after: nil) }

                #expect(error?.code == .untrustedLink)
                #expect(error?.message.contains("refusing to send credentials") == true)
                #expect(error?.message.contains(strangerBase.host!) == true)
                let received = await stranger.count
                #expect(received == 0)

                // A cursor carrying such a link is refused too
                let cursor = Cursor(#"{"from":"2015-01-01T00:00:00.000Z","nextLink":"\#(strangerBase.absoluteString)/subscriptions/x","to":"2019-01-01T00:00:00.000Z","v":1}"#)
                await #expect(throws: CloudSourceError.self) { try await azure.source().poll(after: cursor) }
                #expect(await stranger.count == 0)
            }
        }
    }

    @Test("few remaining subscription reads stop paging and do not ask for an immediate poll")
    func respectsRemainingReads() async throws {
        try await AzureHarness.run { azure in
            await azure.fake.setPageSize(2)
            await azure.fake.setRemainingReads(60)
            azure.clock.now = AzureHarness.samples.map(\.time).max()!.addingTimeInterval(60)
            let page = try await azure.source(AzureHarness.settings(maxPages: 5)).poll(after: nil)
            #expect(page.rawKeys.count == 2)
            #expect(page.hasMore == false)
            #expect(page.cursor?.rawValue.contains("nextLink") == true)
            #expect(await azure.fake.listRequests.count == 1)
            #expect(await azure.buckets.bucket(for: "azure/\(FakeAzure.subscription)", rate: 1, burst: 1).rate == 1000)
        }
    }
}

actor RequestCounter {
    private(set) var count = 0
    func add() { count += 1 }
}
