import Foundation
import ParapetCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The violation log: one CloudEvent per line (the same JSON as the webhook body, compact, keys
/// sorted), appended to a file or written to stdout (path `-`, for journald).
///
/// The file is created with mode 0640 (less if the umask says so) in a parent directory created
/// on demand. Each line goes out in a single write(2) on an `O_APPEND` descriptor, and the actor
/// serialises writers, so concurrent deliveries never interleave. `reopen()` is for log rotation
/// (call it on SIGHUP after the file was renamed). A failed write is `.retryable`; if a write was
/// cut short (disk full), the next line starts with a line break so the fragment stays on a line
/// of its own.
public actor LogNotifier: Notifier {
    /// Where the log goes.
    public struct Configuration: Sendable, Hashable {
        /// A file path, or `-` for stdout.
        public var path: String
        /// Names this Parapet in each event's `source` (`parapet/<instance>`).
        public var instance: String

        public init(path: String, instance: String = "default") {
            self.path = path
            self.instance = instance
        }

        var isStandardOutput: Bool { path == "-" }
    }

    public nonisolated let configuration: Configuration
    private var descriptor: Int32 = -1
    private var lineIsOpen = false

    /// Opens (creating if needed) the log file now, so a bad path is reported at start-up.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        self.descriptor = try LogNotifier.openLog(configuration)
    }

    deinit {
        if descriptor > STDERR_FILENO { systemClose(descriptor) }
    }

    /// Appends one line; a write error is `.retryable` (the outbox tries again later).
    public func deliver(_ notification: ParapetCore.Notification) async -> DeliveryResult {
        if descriptor < 0 {
            do {
                descriptor = try LogNotifier.openLog(configuration)
            } catch {
                return .retryable(reason: "\(error)", retryAfter: nil)
            }
        }
        var line = lineIsOpen ? "\n" : ""
        line += CloudEventFormat.document(for: notification, instance: configuration.instance).serialized()
        line += "\n"
        let bytes = Array(line.utf8)
        var written: Int
        repeat {
            written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        } while written < 0 && errno == EINTR
        if written < 0 {
            return .retryable(reason: "cannot write violation log \(configuration.path): \(LogNotifier.describe(errno))",
                              retryAfter: nil)
        }
        if written < bytes.count {
            lineIsOpen = written > 0 || lineIsOpen
            return .retryable(reason: "cannot write violation log \(configuration.path): wrote \(written) of "
                + "\(bytes.count) bytes (disk full?)", retryAfter: nil)
        }
        lineIsOpen = false
        return .delivered
    }

    /// Closes and reopens the file by its path (after rotation); nothing for stdout.
    public func reopen() throws {
        guard !configuration.isStandardOutput else { return }
        close()
        descriptor = try LogNotifier.openLog(configuration)
    }

    /// Closes the file; the next delivery opens it again.
    public func close() {
        if descriptor > STDERR_FILENO { systemClose(descriptor) }
        descriptor = -1
        lineIsOpen = false
    }

    private static func openLog(_ configuration: Configuration) throws -> Int32 {
        if configuration.isStandardOutput { return STDOUT_FILENO }
        let path = configuration.path
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } catch {
            throw NotifierError(code: .logUnwritable, subject: path,
                                detail: "cannot create directory \(parent.path): \(error.localizedDescription)")
        }
        let fd = systemOpen(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw NotifierError(code: .logUnwritable, subject: path, detail: describe(errno)) }
        return fd
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOSPC: "no space left on device"
        case EACCES: "permission denied (the daemon's user must be able to write it)"
        case ENOENT: "no such file or directory"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}

// The C calls, out of reach of the actor's own `close()`.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemClose(_ fd: Int32) { _ = close(fd) }
