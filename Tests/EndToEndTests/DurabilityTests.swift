import Foundation
import ParapetCore
import ParapetTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// "Nothing lost, nothing doubled" with the real binary: the daemon is killed with SIGKILL at
/// seeded random moments while it ingests a few thousand records and delivers dozens of
/// violations to a slow receiver, restarted each time, and must end with exactly what an
/// uninterrupted run of the same input stores.
@Suite(.serialized) struct DurabilityTests {
    static let kills = 5
    /// The delivery service's concurrency: at most this many requests are in flight at a kill.
    static let deliveryConcurrency = 8

    @Test(.timeLimit(.minutes(3)))
    func killedDuringIngestionAndDeliveryItEndsLikeAnUninterruptedRun() async throws {
        let logs = DurabilityLogs()
        // Given an uninterrupted run of the input, delivering to a prompt receiver
        let reference = try WebhookReceiver()
        let expected = try await reference.serve { base in
            let example = try DurabilityExample(logs: logs, baseURL: base, secret: reference.secret)
            defer { example.remove() }
            let result = try await CommandRunner.parapet(["run", "--config", example.config, "--once"])
            try #require(result.status == 0, "\(result.stderr)")
            return try await DurabilitySnapshot.take(config: example.config)
        }
        try #require(expected.violations.count >= 30, "the generated input should open dozens of violations")
        try #require(expected.deliveries.allSatisfy { $0.hasSuffix("|delivered") })

        // And a slow receiver (100–300 ms an answer)
        let receiver = try WebhookReceiver { attempt in
            .stall(.milliseconds(100 + attempt.webhookID.utf8.reduce(0) { ($0 + Int($1)) % 200 }))
        }
        var random = SeededRandom(seed: 0xC0FFEE)
        let pauses = (0..<Self.kills).map { _ in Int.random(in: 300...3000, using: &random) }
        let (snapshot, kills, log) = try await receiver.serve { base in
            let example = try DurabilityExample(logs: logs, baseURL: base, secret: receiver.secret)
            defer { example.remove() }

            // When the daemon is killed at random moments and restarted each time
            var kills = 0
            for pause in pauses {
                let daemon = try DaemonProcess(arguments: example.daemonArguments)
                defer { daemon.stop() }
                try await Task.sleep(for: .milliseconds(pause))
                if daemon.isRunning {
                    daemon.signal(SIGKILL)
                    _ = try await daemon.waitForExit(timeout: 10)
                    kills += 1
                }
            }
            // and finally left to finish
            let daemon = try DaemonProcess(arguments: example.daemonArguments)
            defer { daemon.stop() }
            var snapshot = try await DurabilitySnapshot.take(config: example.config)
            for _ in 0..<120 where snapshot != expected {
                try await Task.sleep(for: .milliseconds(500))
                snapshot = try await DurabilitySnapshot.take(config: example.config)
            }
            daemon.signal(SIGTERM)
            let status = try await daemon.waitForExit(timeout: 30)
            #expect(status == 0)
            return (snapshot, kills, daemon.log)
        }

        // Then it stored exactly the events, violations and deliveries of the uninterrupted run
        #expect(kills == Self.kills, "the daemon exited before it was killed; log: \(log.suffix(2000))")
        #expect(snapshot == expected, "\(snapshot.differences(from: expected))\nlog: \(log.suffix(2000))")

        // And every delivery reached the receiver, duplicates only for requests in flight at a kill
        let accepted = await receiver.acceptedCountByID
        let webhookDeliveries = snapshot.deliveryRoutes.keys
        let missing = webhookDeliveries.filter { accepted[$0] == nil }
        #expect(missing.isEmpty, "\(missing.count) deliveries never received")
        #expect(Set(accepted.keys).isSubset(of: Set(webhookDeliveries)), "the receiver got deliveries the outbox does not have")
        let duplicates = accepted.values.reduce(0) { $0 + max(0, $1 - 1) }
        #expect(await receiver.requests.allSatisfy { $0.signatureVerified })
        print("durability: \(kills) kills, \(snapshot.events.count) events, \(snapshot.violations.count) violations, "
            + "\(webhookDeliveries.count) deliveries, \(await receiver.requests.count) requests, \(duplicates) duplicates")
        // A delivery is sent twice only when a kill fell between the receiver's answer and the
        // outbox update: at most the deliveries in flight at each kill.
        #expect(duplicates <= kills * Self.deliveryConcurrency,
                "\(duplicates) duplicate deliveries after \(kills) kills (at most \(Self.deliveryConcurrency) in flight at each)")
    }

    @Test(.timeLimit(.minutes(2)))
    func killedDuringIngestionItStoresWhatAnUninterruptedRunStores() async throws {
        let logs = DurabilityLogs(filesPerAccount: 4, recordsPerFile: 300, seed: 0x5EED_0002)
        // Given an uninterrupted run of the input (no webhooks)
        let reference = try DurabilityExample(logs: logs, baseURL: nil, secret: nil)
        defer { reference.remove() }
        let result = try await CommandRunner.parapet(["run", "--config", reference.config, "--once"])
        try #require(result.status == 0, "\(result.stderr)")
        let expected = try await DurabilitySnapshot.take(config: reference.config)
        try #require(expected.events.count == 4 * 4 * 300)

        // When another copy's daemon is killed again and again early in its ingestion
        let example = try DurabilityExample(logs: logs, baseURL: nil, secret: nil)
        defer { example.remove() }
        var random = SeededRandom(seed: 0xBADC0DE)
        var kills = 0
        var storedAtKills: [Int] = []
        for _ in 0..<Self.kills {
            let daemon = try DaemonProcess(arguments: example.daemonArguments)
            defer { daemon.stop() }
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...1200, using: &random)))
            if daemon.isRunning {
                daemon.signal(SIGKILL)
                _ = try await daemon.waitForExit(timeout: 10)
                kills += 1
                let stored = try await CommandRunner.parapet(["events", "--config", example.config, "--format", "csv", "--limit", "100000"])
                storedAtKills.append(max(0, stored.stdoutLines.count - 1))
            }
        }
        print("durability (ingestion): \(kills) kills with \(storedAtKills) of \(expected.events.count) events stored")
        let daemon = try DaemonProcess(arguments: example.daemonArguments)
        defer { daemon.stop() }
        var snapshot = try await DurabilitySnapshot.take(config: example.config)
        for _ in 0..<60 where snapshot != expected {
            try await Task.sleep(for: .seconds(1))
            snapshot = try await DurabilitySnapshot.take(config: example.config)
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: 30) == 0)

        // Then the events and violations are exactly the uninterrupted run's
        #expect(kills == Self.kills)
        #expect(snapshot == expected, "\(snapshot.differences(from: expected))\nlog: \(daemon.log.suffix(2000))")
    }
}
