import Foundation
import ParapetTesting
import Testing
@testable import ParapetDaemon

#if canImport(Glibc)
import Glibc
#endif

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
