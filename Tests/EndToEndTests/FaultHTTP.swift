import Foundation
import ParapetCore

/// The daemon's HTTP endpoint on 127.0.0.1:`port`, as the fault tests read it.
struct FaultHTTP {
    let port: Int
    let client = URLSessionHTTPClient()

    struct Answer {
        var status: Int
        var text: String
    }

    func get(_ path: String) async throws -> Answer {
        let response = try await client.send(HTTPRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeout: 5))
        return Answer(status: response.status, text: String(decoding: response.body, as: UTF8.self))
    }

    /// Waits (up to `timeout` seconds) for `/readyz` to answer 200.
    func waitForReady(timeout: TimeInterval = 20) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let answer = try? await get("/readyz"), answer.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The sum of a metric's samples over all its labels in `/metrics` (0 when absent).
    func metric(_ name: String) async throws -> Double {
        try await get("/metrics").text.split(separator: "\n").reduce(0) { sum, line in
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " "),
                let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { return sum }
            return sum + value
        }
    }
}
