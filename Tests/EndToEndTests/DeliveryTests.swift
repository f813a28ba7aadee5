import Foundation
import ParapetCore
import ParapetTesting
import Testing

/// Webhook deliveries with the real binary and a real receiver that verifies Standard Webhooks
/// signatures: routing (default and team routes), exactly-once under normal operation, opened and
/// resolved messages, dead letters and redelivery, Retry-After.
@Suite(.serialized) struct DeliveryTests {
    @Test func everyViolationReachesItsRoutesOnceSignedAndResolutionsFollow() async throws {
        let receiver = try WebhookReceiver()
        try await receiver.serve { base in
            // Given the example with a default route and the payments team's route (high and above)
            let example = try DeliveryExample(baseURL: base, secret: receiver.secret)
            defer { example.remove() }

            // When the daemon runs one cycle
            try await example.runOnce()

            // Then every opened violation reached the default route once, and the team route
            // only when it is the payments team's and high or critical
            let violations = try await example.violations()
            #expect(violations.count >= 4, "the example should open several violations")
            let expected = Set(violations.flatMap { violation in
                DeliveryExample.expectedPaths(of: violation).map {
                    MessageKey(path: $0, violation: violation.int("id") ?? -1, type: CloudEventType.opened)
                }
            })
            #expect(expected.contains { $0.path == "/payments" }, "the example should have a high payments violation")
            let teamViolations = Set(expected.filter { $0.path == "/payments" }.map(\.violation))
            #expect(expected.contains { !teamViolations.contains($0.violation) }, "the example should have a violation for the default route only")
            let requests = await receiver.requests
            #expect(requests.allSatisfy { $0.signatureVerified }, "\(requests.compactMap(\.signatureError))")
            #expect(requests.allSatisfy { $0.webhookID == $0.cloudEventID }, "webhook-id must be the CloudEvents id")
            let opened = requests.filter { $0.accepted && $0.type == CloudEventType.opened }.compactMap(MessageKey.init)
            #expect(Set(opened) == expected)
            #expect(opened.count == expected.count, "an opened message was sent twice")

            // And the StopLogging violation, resolved by the later StartLogging, sent resolved messages
            let stop = try #require(violations.first { $0["operation"] == "StopLogging" })
            #expect(stop["status"] == "resolved")
            let stopID = try #require(stop.int("id"))
            let resolved = requests.filter { $0.accepted && $0.type == CloudEventType.resolved }.compactMap(MessageKey.init)
            #expect(Set(resolved) == Set(DeliveryExample.expectedPaths(of: stop).map {
                MessageKey(path: $0, violation: stopID, type: CloudEventType.resolved)
            }))
            #expect(resolved.count == Set(resolved).count)

            // And the outbox has every delivery delivered, one per accepted request
            let deliveries = try await example.deliveries()
            #expect(deliveries.allSatisfy { $0["state"] == "delivered" }, "\(deliveries)")
            #expect(Set(deliveries.compactMap { $0["id"]?.stringValue }) == Set(requests.map(\.webhookID)))
            #expect(deliveries.count == requests.count)

            // When it runs again, nothing is sent again
            try await example.runOnce()
            #expect(await receiver.requests.count == requests.count)

            // When an operator resolves an open violation by hand
            let open = try #require(violations.first { $0["status"] == "open" && DeliveryExample.expectedPaths(of: $0).count == 2 }
                ?? violations.first { $0["status"] == "open" })
            let openID = try #require(open.int("id"))
            let resolve = try await CommandRunner.parapet(
                ["violations", "resolve", String(openID), "--config", example.config, "--note", "fixed by hand", "--by", "tester"])
            #expect(resolve.status == 0, "\(resolve.stderr)")
            try await example.runOnce()

            // Then its routes get one resolved message each, with the note
            let later = await receiver.requests.dropFirst(requests.count)
            let manual = later.filter(\.accepted).compactMap(MessageKey.init)
            #expect(manual.sorted { $0.path < $1.path } == DeliveryExample.expectedPaths(of: open).map {
                MessageKey(path: $0, violation: openID, type: CloudEventType.resolved)
            })
            #expect(later.allSatisfy { $0.data?.value(atPath: "violation.status") == "resolved" })
            #expect(later.allSatisfy { $0.data?.value(atPath: "violation.status_note") == "fixed by hand" })
        }
    }

    @Test func aRefusedDeliveryIsADeadLetterUntilRedelivered() async throws {
        // Given a team receiver that refuses everything with 400
        let receiver = try WebhookReceiver { $0.path == "/payments" ? .refuse : .accept }
        try await receiver.serve { base in
            let example = try DeliveryExample(baseURL: base, secret: receiver.secret)
            defer { example.remove() }

            // When the daemon runs one cycle
            try await example.runOnce()

            // Then each refused delivery was tried once and is a dead letter with the error
            let dead = try await example.deliveries(dead: true)
            #expect(!dead.isEmpty)
            #expect(dead.allSatisfy { $0["route"] == "team:payments" && $0["state"] == "dead" }, "\(dead)")
            #expect(dead.allSatisfy { $0["last_error"]?.stringValue?.contains("400") == true }, "\(dead)")
            let deadIDs = dead.compactMap { $0["id"]?.stringValue }
            for id in deadIDs { #expect(await receiver.attempts(for: id) == 1, "dead letter \(id) retried") }
            let others = try await example.deliveries().filter { $0["state"] != "dead" }
            #expect(others.allSatisfy { $0["state"] == "delivered" })

            // When the receiver is fixed and one dead letter is redelivered
            await receiver.setScript(WebhookScripts.always(.accept))
            let first = try #require(deadIDs.first)
            let redeliver = try await CommandRunner.parapet(["deliveries", "redeliver", first, "--config", example.config])
            #expect(redeliver.status == 0, "\(redeliver.stderr)")
            try await example.runOnce()

            // Then it arrives, with the same id, and the others stay dead
            #expect(await receiver.acceptedCountByID[first] == 1)
            #expect(try await example.deliveries(dead: true).count == deadIDs.count - 1)

            // When every dead letter is redelivered
            let all = try await CommandRunner.parapet(["deliveries", "redeliver", "--all-dead", "--config", example.config])
            #expect(all.status == 0, "\(all.stderr)")
            try await example.runOnce()

            // Then each arrives exactly once and nothing is left dead or pending
            let accepted = await receiver.acceptedCountByID
            for id in deadIDs { #expect(accepted[id] == 1, "dead letter \(id) accepted \(accepted[id] ?? 0) times") }
            #expect(try await example.deliveries().allSatisfy { $0["state"] == "delivered" })
            #expect(await receiver.requests.allSatisfy { $0.signatureVerified })
        }
    }

    @Test func aRetryAfterIsHonoured() async throws {
        // Given a receiver that answers 429 with Retry-After: 3600
        let receiver = try WebhookReceiver(script: WebhookScripts.always(.fail(429, retryAfter: 3600)))
        try await receiver.serve { base in
            let example = try DeliveryExample(baseURL: base, secret: receiver.secret)
            defer { example.remove() }

            // When the daemon runs one cycle
            let before = Date()
            try await example.runOnce()

            // Then every delivery is pending with the error, next attempt not before the hour is up
            let deliveries = try await example.deliveries()
            #expect(!deliveries.isEmpty)
            for delivery in deliveries {
                #expect(delivery["state"] == "pending")
                #expect(delivery.int("attempts") == 1)
                #expect(delivery["last_error"]?.stringValue?.contains("429") == true, "\(delivery)")
                let next = try #require(delivery["next_attempt_at"]?.stringValue.flatMap(ISO8601.date(from:)))
                #expect(next.timeIntervalSince(before) >= 3500, "next attempt \(next) ignores Retry-After")
            }

            // And another cycle does not send them early
            let sent = await receiver.requests.count
            try await example.runOnce()
            #expect(await receiver.requests.count == sent)
        }
    }
}
