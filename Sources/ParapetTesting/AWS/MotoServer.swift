import Foundation
import ParapetCore

#if canImport(Glibc)
import Glibc
#endif

/// A `moto_server` subprocess on 127.0.0.1 (S3, STS, IAM, Organizations), with request-signature
/// checking after the first `noAuthCount` actions. Missing `moto_server` is a test failure.
public final class MotoServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: URL
    public let port: Int
    private let process: Process
    private let logFile: URL

    /// moto_server is missing or did not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    private init(process: Process, port: Int, logFile: URL) {
        self.process = process
        self.port = port
        self.logFile = logFile
        self.endpoint = URL(string: "http://127.0.0.1:\(port)")!
    }

    /// Runs `body` with a fresh server and always stops it afterwards.
    public static func with<T: Sendable>(noAuthCount: Int, _ body: (MotoServer) async throws -> T) async throws -> T {
        let server = try await start(noAuthCount: noAuthCount)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The `moto_server` on PATH; a clear error when there is none.
    public static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/moto_server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw StartError(description: "moto_server is not installed or not on PATH — install it with `pip install 'moto[server]'`"
                         + " (the AWS emulator tests need it; CI installs it)")
    }

    /// Starts a server; signature checking begins after `noAuthCount` actions.
    public static func start(noAuthCount: Int) async throws -> MotoServer {
        let executable = try executable()
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // Port 0: the kernel picks a free port as moto binds it, and moto logs which one
        // (a port found free a moment before could be taken by a parallel test meanwhile).
        process.arguments = ["-H", "127.0.0.1", "-p", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = String(noAuthCount)
        for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"] { environment[key] = nil }
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let port: Int
        do {
            port = try await boundPort(of: process, log: logFile)
        } catch {
            if process.isRunning { process.terminate() }
            try? FileManager.default.removeItem(at: logFile)
            throw error
        }
        let server = MotoServer(process: process, port: port, logFile: logFile)
        do {
            try await server.waitUntilReady()
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    /// The port moto logs (`Running on http://127.0.0.1:PORT`) once it has bound one (at most 30 s).
    private static func boundPort(of process: Process, log: URL) async throws -> Int {
        let marker = "Running on http://127.0.0.1:"
        for _ in 0..<300 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker) {
                let digits = text[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
                if let port = Int(digits), port > 0, text[range.upperBound...].dropFirst(digits.count).first?.isNewline == true {
                    return port
                }
            }
            guard process.isRunning else {
                throw StartError(description: "moto_server exited at start-up: \(String(text.suffix(2000)))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw StartError(description: "moto_server did not say which port it listens on within 30 s: \(String(text.suffix(2000)))")
    }

    /// Polls the moto dashboard API until it answers (at most 30 s).
    private func waitUntilReady() async throws {
        let http = URLSessionHTTPClient()
        let probe = ParapetCore.HTTPRequest(method: "GET", url: endpoint.appendingPathComponent("moto-api/data.json"), timeout: 2)
        for _ in 0..<300 {
            guard process.isRunning else {
                throw StartError(description: "moto_server exited at start-up: \(logTail())")
            }
            if let response = try? await http.send(probe), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw StartError(description: "moto_server did not answer on port \(port) within 30 s: \(logTail())")
    }

    /// Switches moto's signature checking off for every later request (`/moto-api/reset-auth`).
    /// moto 5.2's S3 verifier rejects any query value holding `/` (boto3's own ListObjectsV2 with
    /// a prefix included), so listing S3 folders cannot run with checking on.
    public func stopCheckingSignatures() async throws {
        let request = ParapetCore.HTTPRequest(method: "POST", url: endpoint.appendingPathComponent("moto-api/reset-auth"), headers: [("Content-Type", "text/plain")],
                                              body: Data("1000000000".utf8), timeout: 10)
        let response = try await URLSessionHTTPClient().send(request)
        guard response.status == 200 else {
            throw StartError(description: "moto /moto-api/reset-auth answered HTTP \(response.status)")
        }
    }

    /// Terminates the process and waits for it to exit.
    public func stop() async {
        if process.isRunning {
            process.terminate()
            for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    /// The end of moto's log, for failure messages.
    public func logTail() -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}
