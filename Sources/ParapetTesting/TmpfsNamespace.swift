import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted on `mountPoint` inside a private user + mount namespace (`unshare -rm`),
/// so a test can fill a real filesystem to ENOSPC without root and without touching the host's
/// mounts. Only processes started through `launcher` (nsenter) see the tmpfs; everywhere else the
/// directory stays empty. The namespace, and the tmpfs with it, disappear when `remove()` ends the
/// holder process (or at the latest after `lifetime` seconds if the test process dies first).
public final class TmpfsNamespace: @unchecked Sendable {
    public let mountPoint: URL
    public let sizeBytes: Int
    private let holder = Process()
    private let output: URL

    /// Mounts a tmpfs of `sizeBytes` on `mountPoint` (created if missing); throws with the reason
    /// when user namespaces or mounting are not available here.
    public init(mountPoint: URL, sizeBytes: Int, lifetime: Int = 900) async throws {
        self.mountPoint = mountPoint
        self.sizeBytes = sizeBytes
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        output = FileManager.default.temporaryDirectory.appendingPathComponent("parapet-ns-\(UUID().uuidString.prefix(8)).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        holder.arguments = ["--map-root-user", "--mount", "--propagation", "private", "/bin/sh", "-c",
                            "mount -t tmpfs -o size=\(sizeBytes),mode=0755 parapet-test \"$0\" && echo mounted && exec sleep \(lifetime)",
                            mountPoint.path]
        holder.standardOutput = handle
        holder.standardError = handle
        holder.standardInput = FileHandle.nullDevice
        try holder.run()
        let deadline = Date().addingTimeInterval(10)
        while !text.contains("mounted") {
            if !holder.isRunning || Date() > deadline {
                let reason = text
                remove()
                throw TmpfsNamespaceError(reason: reason.isEmpty ? "unshare did not answer" : reason)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// The command prefix that runs a program inside the namespace (sees the tmpfs).
    public var launcher: [String] {
        ["/usr/bin/nsenter", "--target", "\(holder.processIdentifier)", "--user", "--mount", "--preserve-credentials", "--"]
    }

    /// Runs `executable` inside the namespace to completion.
    public func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120) async throws -> CommandResult {
        let prefix = launcher
        return try await CommandRunner.run(URL(fileURLWithPath: prefix[0]), Array(prefix.dropFirst()) + [executable] + arguments,
                                           timeout: timeout)
    }

    /// Runs a shell script inside the namespace.
    public func shell(_ script: String) async throws -> CommandResult {
        try await run("/bin/sh", ["-c", script])
    }

    /// Bytes still free on the tmpfs.
    public func freeBytes() async throws -> Int {
        let result = try await run("/bin/df", ["--output=avail", "-B1", mountPoint.path])
        return Int(result.stdoutLines.last?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
    }

    /// Ends the namespace: unmounts the tmpfs and stops the holder. Safe to call twice.
    public func remove() {
        if holder.isRunning {
            let prefix = launcher
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: prefix[0])
            umount.arguments = Array(prefix.dropFirst()) + ["/bin/umount", "--lazy", mountPoint.path]
            umount.standardOutput = FileHandle.nullDevice
            umount.standardError = FileHandle.nullDevice
            if (try? umount.run()) != nil { umount.waitUntilExit() }
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: output)
    }
}

/// The tmpfs could not be mounted (no user namespaces, or mounting refused).
public struct TmpfsNamespaceError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String {
        "cannot mount a tmpfs in a private user+mount namespace (unshare -rm): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
            + " — this test needs unprivileged user namespaces (sysctl user.max_user_namespaces > 0) or root"
    }
}
