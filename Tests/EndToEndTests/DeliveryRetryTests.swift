import Foundation
import ParapetCore
import ParapetTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The long-running daemon against a receiver that is down, then fails, then accepts: every
/// delivery arrives on a later attempt, exactly once.
///
/// Slow by design: the retry policy's first backoff is 10 s (jittered to 5–10 s) and the second
/// 20 s (10–20 s), and no configuration key shortens it (`delivery.retry_initial` would).
@Suite(.serialized) struct DeliveryRetryTests {
    @Test(.timeLimit(.minutes(2)))
    func aReceiverDownThenFailingGetsEveryDeliveryOnALaterAttempt() async throws {
        // Given a receiver that is not up yet, and will fail each delivery's first request with 500
        // Held bound but not listening until the receiver comes up: connections are refused, and
        // no other test can take the port meanwhile.
        let refusing = try RefusingPort()
        defer { refusing.release() }
        let port = refusing.port
        let receiver = try WebhookReceiver(script: WebhookScripts.failingFirst(1, with: .fail(500)))
        let example = try DeliveryExample(baseURL: URL(string: "http://127.0.0.1:\(port)")!, secret: receiver.secret, poll: "1s")
        defer { example.remove() }

        // When the daemon runs
        let daemon = try DaemonProcess(arguments: ["run", "--config", example.config, "--log-format", "json"])
        defer { daemon.stop() }

        // Then, while the receiver is down, the deliveries wait with the connection error
        var waiting: [JSONValue] = []
        for _ in 0..<100 {
            // The database appears with the daemon's first cycle: until then the CLI fails.
            let listed = try await CommandRunner.parapet(["deliveries", "--config", example.config, "--format", "json"])
            waiting = listed.status == 0 ? try listed.stdoutLines.map { try JSONValue(parsing: $0) } : []
            if !waiting.isEmpty, waiting.allSatisfy({ ($0.int("attempts") ?? 0) >= 1 }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(!waiting.isEmpty, "no deliveries queued; log: \(daemon.log)")
        #expect(waiting.allSatisfy { $0["state"] == "pending" && $0["last_error"]?.stringValue?.isEmpty == false }, "\(waiting)")
        let ids = Set(waiting.compactMap { $0["id"]?.stringValue })

        // When the receiver comes up (failing each delivery's first request with 500)
        refusing.release()
        let final = try await receiver.serve(port: port) { _ in
            var rows: [JSONValue] = []
            for _ in 0..<120 {
                rows = try await example.deliveries()
                if rows.count >= ids.count, rows.allSatisfy({ $0["state"] == "delivered" }) { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            return rows
        }

        // Then every delivery arrived on a later attempt, exactly once, signed
        #expect(final.allSatisfy { $0["state"] == "delivered" }, "\(final); log: \(daemon.log.suffix(4000))")
        #expect(final.allSatisfy { ($0.int("attempts") ?? 0) >= 3 }, "\(final)")
        let accepted = await receiver.acceptedCountByID
        for id in ids {
            #expect(accepted[id] == 1, "delivery \(id) accepted \(accepted[id] ?? 0) times")
            #expect(await receiver.attempts(for: id) >= 2, "delivery \(id) was not refused once by the receiver")
        }
        #expect(await receiver.requests.allSatisfy { $0.signatureVerified })

        // And the daemon stops cleanly
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: 30) == 0)
    }
}
