import Foundation
import ParapetCore
import ParapetTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A full disk with the real binary: the daemon's state directory is a small tmpfs (in a private
/// user + mount namespace, so neither root nor the host's mounts are involved) that is filled to
/// ENOSPC just before thousands of records arrive. Every write fails with SQLITE_FULL; the daemon
/// must stay up, say so, keep retrying without advancing a cursor, and once space returns end
/// with exactly what an uninterrupted run stores, in a database that passes `integrity_check`.
@Suite(.serialized) struct FaultFullDiskTests {
    @Test(.timeLimit(.minutes(3)))
    func aFullDiskIsLoggedRetriedAndRecoveredWithoutLoss() async throws {
        let logs = DurabilityLogs(filesPerAccount: 3, recordsPerFile: 300, seed: 0x5EED_0003)
        // Given an uninterrupted run of the input, delivering to a receiver
        let reference = try WebhookReceiver()
        let expected = try await reference.serve { base in
            let example = try DurabilityExample(logs: logs, baseURL: base, secret: reference.secret)
            defer { example.remove() }
            let result = try await CommandRunner.parapet(["run", "--config", example.config, "--once"])
            try #require(result.status == 0, "\(result.stderr)")
            return try await DurabilitySnapshot.take(config: example.config)
        }
        try #require(expected.events.count == 4 * 3 * 300)

        let receiver = try WebhookReceiver()
        try await receiver.serve { base in
            // Port 0: the kernel picks one no other test holds; the daemon logs which.
            let example = try DurabilityExample(logs: logs, baseURL: base, secret: receiver.secret, staged: true, httpPort: 0)
            defer { example.remove() }
            // And the daemon's state directory on a 64 MiB tmpfs of its own
            let state = example.directory.file("state")
            let disk: TmpfsNamespace
            do {
                disk = try await TmpfsNamespace(mountPoint: state, sizeBytes: 64 << 20)
            } catch {
                Issue.record("the full-disk test cannot run here: \(error)")
                return
            }
            defer { disk.remove() }
            let daemon = try DaemonProcess(arguments: example.daemonArguments, launcher: disk.launcher)
            defer { daemon.stop() }
            try #require(try await daemon.waitForLog("parapet started", timeout: 30), "log: \(daemon.log)")
            let http = FaultHTTP(port: try #require(try await daemon.httpPort(timeout: 30), "log: \(daemon.log)"))
            try #require(try await http.waitForReady(), "log: \(daemon.log.suffix(2000))")

            // When the disk fills up completely
            let fill = try await disk.shell("cat /dev/zero > '\(state.path)/filler'")
            try #require(fill.stderr.contains("No space left on device"), "filling the tmpfs: \(fill.stderr)")
            #expect(try await disk.freeBytes() == 0)
            // and 3,600 records arrive
            try example.releaseLogs()

            // Then every attempt to store them fails with SQLITE_FULL, said clearly in the log
            try #require(try await daemon.waitForLog("database or disk is full", timeout: 30), "log: \(daemon.log.suffix(3000))")
            let failure = try #require(FaultLog.lines(daemon.log).first { $0.text.contains("database or disk is full") })
            #expect(failure["message"] == "database write failed", "\(failure.text)")
            #expect(failure.text.contains("SQLITE_FULL"), "\(failure.text)")
            // And the daemon keeps retrying every source (within a poll interval, not its
            // 15 s–1 h backoff: three failures each) and stays up
            var failures: [String: Int] = [:]
            for _ in 0..<200 where failures.count < 4 || failures.values.contains(where: { $0 < 3 }) {
                try await Task.sleep(for: .milliseconds(100))
                failures = FaultLog.lines(daemon.log).filter { $0["message"] == "database write failed" }
                    .reduce(into: [:]) { $0[$1["parapet.source"] ?? "?", default: 0] += 1 }
            }
            #expect(failures.count == 4 && failures.values.allSatisfy { $0 >= 3 }, "failed writes per source: \(failures)")
            #expect(daemon.isRunning, "log: \(daemon.log.suffix(3000))")
            // And the endpoint reports it: not ready, poll errors counted
            let readiness = try await http.get("/readyz")
            #expect(readiness.status == 503 && readiness.text.contains("disk is full"), "\(readiness.status) \(readiness.text)")
            let errors = try await http.metric("parapet_poll_errors_total")
            #expect(errors >= 12, "parapet_poll_errors_total \(errors)")
            // And nothing of the failed pages was committed, so no cursor moved past them
            let duringOutage = try await DurabilitySnapshot.take(config: example.config, launcher: disk.launcher)
            #expect(duringOutage.events.isEmpty, "\(duringOutage.events.count) events committed on a full disk")

            // When space returns
            let freed = try await disk.shell("rm '\(state.path)/filler'")
            try #require(freed.status == 0, "\(freed.stderr)")

            // Then it recovers by itself and stores exactly what the uninterrupted run stored
            var snapshot = try await DurabilitySnapshot.take(config: example.config, launcher: disk.launcher)
            for _ in 0..<60 where snapshot != expected {
                try await Task.sleep(for: .milliseconds(500))
                snapshot = try await DurabilitySnapshot.take(config: example.config, launcher: disk.launcher)
            }
            #expect(snapshot == expected, "\(snapshot.differences(from: expected))\nlog: \(daemon.log.suffix(3000))")
            #expect(try await http.get("/readyz").status == 200)
            // And every delivery reached the receiver
            let accepted = await receiver.acceptedCountByID
            #expect(snapshot.deliveryRoutes.keys.allSatisfy { accepted[$0] != nil })

            // And it stops cleanly, leaving a sound database
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit(timeout: 30) == 0)
            let check = try await disk.run("/usr/bin/sqlite3", [state.appendingPathComponent("parapet.db").path, "PRAGMA integrity_check"])
            #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(check.stdout)\(check.stderr)")
        }
    }
}
