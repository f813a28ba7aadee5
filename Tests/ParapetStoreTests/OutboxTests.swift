import Foundation
import ParapetCore
import ParapetStore
import Testing

@Suite("Delivery outbox")
struct OutboxTests {
    @Test("a delivery goes due → retry → dead → redelivered → delivered")
    func lifecycle() throws {
        // Given a violation with one route
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                             now: Fixtures.t0, groupWindow: 0) { events in
            events.map { Fixtures.finding(.violation, for: $0, routes: ["payments"]) }
        }

        // When it is due, it carries everything a notification needs
        let due = try store.dueDeliveries(now: Fixtures.t0, limit: 10)
        let pending = try #require(due.first)
        #expect(due.count == 1)
        let notification = pending.notification
        #expect(notification.id == pending.delivery.id && notification.kind == .opened)
        #expect(notification.subject == "111122223333" && notification.time == Fixtures.t0)
        #expect(notification.data["policy"]?["id"] == "parapet-aws-cloudtrail-tamper")
        #expect(notification.data["violation"]?["status"] == "open")
        #expect(pending.delivery.route == "payments")

        // When the receiver fails, it is retried later, not before
        let id = pending.delivery.id
        try store.markRetry(id: id, error: "HTTP 503", nextAttemptAt: Fixtures.t0.addingTimeInterval(30))
        #expect(try store.dueDeliveries(now: Fixtures.t0.addingTimeInterval(29), limit: 10).isEmpty)
        #expect(try store.dueDeliveries(now: Fixtures.t0.addingTimeInterval(30), limit: 10).map(\.delivery.id) == [id])


        // When it keeps failing it becomes a dead letter
        try store.markDead(id: id, error: "HTTP 410 Gone")
        let dead = try #require(try store.deliveries(dead: true).first)
        #expect(dead.state == .dead && dead.attempts == 2 && dead.lastError == "HTTP 410 Gone")
        #expect(try store.dueDeliveries(now: Fixtures.t0.addingTimeInterval(3600), limit: 10).isEmpty)
        #expect(try store.deliveries(dead: false).isEmpty)

        // When an operator redelivers it, it is due again with the same id and a fresh count
        #expect(try store.redeliverAllDead(now: Fixtures.t0.addingTimeInterval(7200)) == 1)
        let again = try #require(try store.dueDeliveries(now: Fixtures.t0.addingTimeInterval(7200), limit: 10).first)
        #expect(again.delivery.id == id && again.delivery.attempts == 0)
        try store.markDelivered(id: id, now: Fixtures.t0.addingTimeInterval(7201))
        let delivered = try #require(try store.deliveries(dead: nil).first)
        #expect(delivered.state == .delivered && delivered.deliveredAt == Fixtures.t0.addingTimeInterval(7201))
        #expect(try store.counts().deliveriesByState == [.pending: 0, .delivered: 1, .dead: 0])
    }

    @Test("a retry scheduled while the clock was ahead is due once the clock is set back")
    func retriesSurviveAClockSetBack() throws {
        // Given a pending delivery
        let path = Fixtures.databasePath()
        defer { Fixtures.removeDatabase(at: path) }
        let store = try Store(path: path)
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                             now: Fixtures.t0, groupWindow: 0) { events in
            events.map { Fixtures.finding(.violation, for: $0, routes: ["payments"]) }
        }
        let id = try #require(try store.dueDeliveries(now: Fixtures.t0, limit: 10).first).delivery.id

        // When its retry was scheduled while the wall clock was a day ahead, and the clock is right again
        try store.markRetry(id: id, error: "HTTP 503", nextAttemptAt: Fixtures.t0.addingTimeInterval(86_400 + 30))

        // Then it is due now (no retry is ever scheduled further ahead than the horizon), not in a day
        #expect(try store.dueDeliveries(now: Fixtures.t0, limit: 10, horizon: 3_660).map(\.delivery.id) == [id])
        #expect(try store.dueDeliveries(now: Fixtures.t0, limit: 10).isEmpty)
        // And a retry within the horizon still waits for its time
        try store.markRetry(id: id, error: "HTTP 503", nextAttemptAt: Fixtures.t0.addingTimeInterval(1_800))
        #expect(try store.dueDeliveries(now: Fixtures.t0, limit: 10, horizon: 3_660).isEmpty)
        #expect(try store.dueDeliveries(now: Fixtures.t0.addingTimeInterval(1_800), limit: 10, horizon: 3_660).map(\.delivery.id) == [id])
    }

    @Test("redelivering one dead letter, and unknown ids")
    func redeliverOne() throws {
        let store = try Store.inMemory()
        _ = try store.ingest(sourceID: Fixtures.source, provider: .aws, page: Fixtures.page([Fixtures.event("e1")], cursor: "c1"),
                             now: Fixtures.t0, groupWindow: 0, evaluate: Fixtures.trailPolicy)
        let ids = try store.dueDeliveries(now: Fixtures.t0, limit: 10).map(\.delivery.id)
        #expect(ids.count == 2)
        for id in ids { try store.markDead(id: id, error: "HTTP 404") }
        try store.redeliver(id: ids[0], now: Fixtures.t0)
        #expect(try store.dueDeliveries(now: Fixtures.t0, limit: 10).map(\.delivery.id) == [ids[0]])
        #expect(try store.deliveries(dead: true).map(\.id) == [ids[1]])
        let error = try #require(throws: StoreError.self) { try store.markDelivered(id: "nope", now: Fixtures.t0) }
        #expect(error.code == .unknownID)
    }

    @Test("due deliveries respect the limit, oldest first")
    func limit() throws {
        let store = try Store.inMemory()
        for i in 0..<3 {
            _ = try store.ingest(sourceID: Fixtures.source, provider: .aws,
                                 page: Fixtures.page([Fixtures.event("e\(i)", at: Double(i) * 7200)], cursor: "c\(i)"),
                                 now: Fixtures.t0.addingTimeInterval(Double(i)), groupWindow: 0, evaluate: Fixtures.trailPolicy)
        }
        let due = try store.dueDeliveries(now: Fixtures.t0.addingTimeInterval(10), limit: 3)
        #expect(due.count == 3)
        #expect(due.map(\.delivery.createdAt) == [Fixtures.t0, Fixtures.t0, Fixtures.t0.addingTimeInterval(1)])
    }
}
