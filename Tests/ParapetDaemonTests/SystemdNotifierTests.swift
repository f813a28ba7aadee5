import Foundation
import Testing
@testable import ParapetDaemon

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's notify socket.
final class NotifySocket {
    let path: String
    let fd: Int32

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    deinit {
        close(fd)
        unlink(path)
    }
}

@Suite struct SystemdNotifierTests {
    @Test func speaksTheNotifyProtocolOnTheSocket() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path])
        notifier.ready(status: "polling 3 sources")
        #expect(socket.receive() == "READY=1\nSTATUS=polling 3 sources")
        notifier.watchdog()
        #expect(socket.receive() == "WATCHDOG=1")
        notifier.reloading()
        let reloading = try #require(socket.receive())
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        notifier.stopping()
        #expect(socket.receive() == "STOPPING=1")
    }

    @Test func withoutNotifySocketItIsSilent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.send(["READY=1"]) == false)
    }

    @Test func theWatchdogIntervalIsHalfOfWatchdogUsec() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/tmp/x", "WATCHDOG_USEC": "10000000"])
        #expect(notifier.watchdogInterval == .seconds(5))
        let other = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/tmp/x", "WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "1"])
        #expect(other.watchdogInterval == nil, "the watchdog is for another process")
    }
}
