import Foundation
import ParapetCore
import ParapetTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon as systemd runs it: READY on the notify socket, the HTTP endpoints, SIGHUP reload
/// with good and bad policies, SIGTERM exiting 0.
@Suite(.serialized) struct DaemonProcessTests {
    @Test func startsReportsReloadsAndStopsCleanly() async throws {
        // Given the example with an HTTP port and a notify socket
        let example = try FirstRunTests.makeExample()
        defer { example.remove() }
        var config = try String(contentsOf: example.file("parapet.yaml"), encoding: .utf8)
        // Port 0: the kernel picks one no other test holds; the daemon logs which.
        config = config.replacingOccurrences(of: "http: { listen: off }", with: "http: { listen: 127.0.0.1:0 }")
        config = config.replacingOccurrences(of: "interval: 60s", with: "interval: 2s")
        try example.write("parapet.yaml", config)
        let notify = try NotifySocket()
        let daemon = try DaemonProcess(
            arguments: ["run", "--config", example.file("parapet.yaml").path, "--log-format", "json"],
            environment: ["NOTIFY_SOCKET": notify.path])
        defer { daemon.stop() }

        // Then it tells systemd it is ready
        var messages: [String] = []
        for _ in 0..<15 {
            if let message = notify.receive() { messages.append(message) }
            if messages.contains(where: { $0.contains("READY=1") }) { break }
        }
        #expect(messages.contains { $0.contains("READY=1") }, "log: \(daemon.log)")

        // And serves its endpoints
        let port = try #require(try await daemon.httpPort(timeout: 30), "log: \(daemon.log)")
        let client = URLSessionHTTPClient()
        func get(_ path: String) async throws -> HTTPResponse {
            try await client.send(HTTPRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeout: 5))
        }
        var health: HTTPResponse?
        for _ in 0..<50 {
            health = try? await get("/healthz")
            if health?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(health?.status == 200)
        #expect(try await get("/readyz").status == 200)
        // the first cycle ingests the example
        var violations: [JSONValue] = []
        for _ in 0..<100 {
            let response = try await get("/api/v1/violations")
            violations = try JSONValue(parsing: response.body).arrayValue ?? []
            if violations.count >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(violations.count >= 3)
        // Every source is listed once it has been polled; the violations may come before the
        // last source's first poll is recorded.
        var sources: [JSONValue] = []
        for _ in 0..<100 {
            sources = try JSONValue(parsing: try await get("/api/v1/sources").body).arrayValue ?? []
            if sources.count >= 4 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(sources.count == 4)
        let metrics = String(decoding: try await get("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("parapet_events_ingested_total"))
        #expect(metrics.contains("parapet_source_lag_seconds"))
        #expect(metrics.contains("parapet_deliveries{state=\"delivered\"}"))
        let firstID = try #require(violations.first?["id"]?.numberValue)
        let one = try await get("/api/v1/violations/\(Int(firstID))")
        #expect(one.status == 200)
        #expect(try JSONValue(parsing: one.body)["raw_event"] != nil)
        #expect(try await get("/api/v1/violations/999999").status == 404)

        // When a broken policy appears and the daemon is told to reload
        try example.write("policies/broken.yaml", "title: broken\nid: broken\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  selection: { eventName|startwith: Stop }\n  condition: selection\n")
        daemon.signal(SIGHUP)
        // Then the reload is rejected and the daemon keeps running
        #expect(try await daemon.waitForLog("reload rejected", timeout: 20), "log: \(daemon.log)")
        #expect(daemon.isRunning)
        #expect(try await get("/healthz").status == 200)

        // When the policy is fixed
        try example.write("policies/broken.yaml", "title: fixed\nid: fixed\nlogsource: { product: aws, service: cloudtrail }\ndetection:\n  selection: { eventName|startswith: Stop }\n  condition: selection\n")
        daemon.signal(SIGHUP)
        #expect(try await daemon.waitForLog("configuration reloaded", timeout: 20), "log: \(daemon.log)")

        // When systemd stops it
        daemon.signal(SIGTERM)
        let status = try await daemon.waitForExit(timeout: 30)
        #expect(status == 0, "log: \(daemon.log)")
        var rest: [String] = []
        while let message = notify.receive() { rest.append(message) }
        #expect(rest.contains { $0.contains("STOPPING=1") })
        #expect(rest.contains { $0.contains("RELOADING=1") })
    }
}
