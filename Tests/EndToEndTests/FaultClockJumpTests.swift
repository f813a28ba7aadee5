import Foundation
import ParapetCore
import ParapetTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The wall clock jumping under the real binary: the daemon runs with a preloaded shim that
/// shifts its wall clock (never its monotonic clock), which the test sets back an hour and then
/// forward a day while new files keep arriving. The daemon must keep polling through both jumps,
/// never move a cursor backwards, and store exactly what an uninterrupted run stores. Webhooks
/// signed while its clock was off are refused by the receiver (timestamp tolerance), kept as dead
/// letters, and delivered once the clock is right and the operator redelivers them.
@Suite(.serialized) struct FaultClockJumpTests {
    @Test(.timeLimit(.minutes(2)))
    func wallClockJumpsBackAndForwardLoseAndDoubleNothing() async throws {
        let logs = DurabilityLogs(filesPerAccount: 3, recordsPerFile: 200, seed: 0x5EED_0005)
        let perPart = DurabilityLogs.accounts.count * logs.recordsPerFile
        // Given an uninterrupted run of the input, delivering to a receiver
        let reference = try WebhookReceiver()
        let expected = try await reference.serve { base in
            let example = try DurabilityExample(logs: logs, baseURL: base, secret: reference.secret)
            defer { example.remove() }
            let result = try await CommandRunner.parapet(["run", "--config", example.config, "--once"])
            try #require(result.status == 0, "\(result.stderr)")
            return try await DurabilitySnapshot.take(config: example.config)
        }

        let receiver = try WebhookReceiver()
        try await receiver.serve { base in
            let example = try DurabilityExample(logs: logs, baseURL: base, secret: receiver.secret, staged: true)
            defer { example.remove() }
            let database = example.directory.file("state/parapet.db").path
            // And a daemon whose wall clock the test controls
            let clock = try await WallClockShim.build(in: example.directory.url)
            let daemon = try DaemonProcess(arguments: example.daemonArguments, environment: clock.environment)
            defer { daemon.stop() }
            try #require(try await daemon.waitForLog("parapet started", timeout: 30), "log: \(daemon.log)")
            var cursors = FaultCursors()

            // When the first file of every account arrives at the right time
            try example.releaseLogs { $0 == "part-0.jsonl" }
            try #require(try await cursors.follow(database, until: perPart), "log: \(daemon.log.suffix(2000))")

            // And the wall clock is set back an hour, and the second file arrives
            try clock.setOffset(-3600)
            try await Task.sleep(for: .milliseconds(200))
            try example.releaseLogs { $0 == "part-1.jsonl" }
            // Then the daemon keeps polling (its schedule is monotonic) and stores it
            try #require(try await cursors.follow(database, until: 2 * perPart),
                         "the daemon stopped storing after the clock went back an hour; log: \(daemon.log.suffix(2000))")
            // (and its wall clock really was an hour back: the sources' last polls say so)
            #expect(try await Self.waitForPollClock(&cursors, database, near: -3600), "\(cursors.pollClockOffsets().map { "\($0)" } ?? "none")")

            // When the wall clock leaps a day ahead, and the last file arrives
            try clock.setOffset(86400)
            try await Task.sleep(for: .milliseconds(200))
            try example.releaseLogs { $0 == "part-2.jsonl" }
            // Then it is stored too
            try #require(try await cursors.follow(database, until: 3 * perPart),
                         "the daemon stopped storing after the clock leapt a day; log: \(daemon.log.suffix(2000))")
            #expect(try await Self.waitForPollClock(&cursors, database, near: 86400), "\(cursors.pollClockOffsets().map { "\($0)" } ?? "none")")

            // And no cursor ever moved backwards
            #expect(cursors.regressions.isEmpty, "\(cursors.regressions.prefix(5))")
            #expect(cursors.samples > 10)
            // And the receiver refused the webhooks signed while the clock was off (their
            // timestamps fall outside its 5-minute tolerance): those are dead letters
            let refused = await receiver.requests.filter { !$0.signatureVerified }
            #expect(!refused.isEmpty && refused.allSatisfy { $0.status == 401 }, "\(refused.count) refused")
            #expect(refused.allSatisfy { ($0.signatureError ?? "").contains("timestamp too") }, "\(refused.compactMap(\.signatureError).prefix(3))")
            let dead = try await CLIJSON.lines(["deliveries", "--config", example.config, "--dead", "--format", "json", "--limit", "100000"])
            #expect(!dead.isEmpty)

            // When the clock is right again and the operator redelivers the dead letters
            try clock.setOffset(0)
            try await Task.sleep(for: .milliseconds(200))
            let redeliver = try await CommandRunner.parapet(["deliveries", "redeliver", "--all-dead", "--config", example.config])
            #expect(redeliver.status == 0, "\(redeliver.stderr)")

            // Then events, violations and deliveries are exactly the uninterrupted run's
            var snapshot = try await DurabilitySnapshot.take(config: example.config)
            for _ in 0..<60 where snapshot != expected {
                try await Task.sleep(for: .milliseconds(250))
                snapshot = try await DurabilitySnapshot.take(config: example.config)
            }
            #expect(snapshot == expected, "\(snapshot.differences(from: expected))\nlog: \(daemon.log.suffix(2000))")
            let accepted = await receiver.acceptedCountByID
            #expect(snapshot.deliveryRoutes.keys.allSatisfy { accepted[$0] != nil }, "some deliveries never reached the receiver")
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit(timeout: 30) == 0)
        }
    }

    /// Waits (up to 10 s) until every source's last poll was stamped `offset` seconds away from
    /// real time (within a minute): proof that the shim moved the daemon's wall clock.
    static func waitForPollClock(_ cursors: inout FaultCursors, _ database: String, near offset: Double) async throws -> Bool {
        for _ in 0..<50 {
            try await cursors.sample(database)
            if let range = cursors.pollClockOffsets(), range.lowerBound > offset - 60, range.upperBound < offset + 60 { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
