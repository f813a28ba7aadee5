import Foundation
import ParapetCore

#if canImport(Glibc)
import Glibc
#endif

/// The `parapet` binary started as a long-running process, with its stderr captured to a file.
public final class DaemonProcess: @unchecked Sendable {
    public let process = Process()
    public let logFile: URL

    /// Starts `parapet` with `arguments`; a `launcher` (e.g. `TmpfsNamespace.launcher`) is put in
    /// front of it, and must exec the binary so `pid` and signals reach the daemon itself.
    public init(arguments: [String], environment: [String: String] = [:], launcher: [String] = []) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("parapet-daemon-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        if let first = launcher.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(launcher.dropFirst()) + [PackagePaths.parapetBinary.path] + arguments
        } else {
            process.executableURL = PackagePaths.parapetBinary
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardError = handle
        process.standardOutput = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for exit up to `timeout` seconds; returns the status, or nil if still running.
    public func waitForExit(timeout: TimeInterval) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The port of the daemon's HTTP endpoint, read from its JSON log ("http endpoint listening",
    /// `parapet.port`): configure `listen: 127.0.0.1:0` and the kernel picks a port no other test
    /// holds. Nil when the line does not appear within `timeout`.
    public func httpPort(timeout: TimeInterval) async throws -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            for line in log.split(separator: "\n") where line.contains("http endpoint listening") {
                if let entry = try? JSONValue(parsing: String(line)), let port = entry["parapet.port"]?.stringValue.flatMap(Int.init) {
                    return port
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Waits until the log contains `text`.
    public func waitForLog(_ text: String, timeout: TimeInterval) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Kills it (SIGKILL) if still running and removes the log.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logFile)
    }
}
