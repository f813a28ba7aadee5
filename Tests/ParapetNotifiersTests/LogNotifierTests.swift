import Foundation
import ParapetCore
import Testing

@testable import ParapetNotifiers

@Suite struct LogNotifierTests {
    func lines(_ url: URL) throws -> [JSONValue] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test func eachViolationIsOneCloudEventLine() async throws {
        // Given a log in a directory that does not exist yet
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = directory.appendingPathComponent("log/violations.jsonl")
        let log = try LogNotifier(configuration: .init(path: file.path, instance: "test"))
        // When two notifications are logged
        #expect(await log.deliver(Fixtures.notification(id: "dlv_1")) == .delivered)
        #expect(await log.deliver(Fixtures.notification(id: "dlv_2", kind: .resolved)) == .delivered)
        // Then there are two lines, each the webhook's CloudEvent
        let lines = try lines(file)
        #expect(lines.count == 2)
        #expect(lines[0] == CloudEventFormat.document(for: Fixtures.notification(id: "dlv_1"), instance: "test"))
        #expect(lines[1]["type"] == "dev.parapet.violation.resolved")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o027 } == 0)  // at most 0640
    }

    @Test func concurrentDeliveriesNeverInterleave() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = directory.appendingPathComponent("violations.jsonl")
        let log = try LogNotifier(configuration: .init(path: file.path))
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask { _ = await log.deliver(Fixtures.notification(id: "dlv_\(i)")) }
            }
        }
        let ids = try lines(file).compactMap { $0["id"]?.stringValue }
        #expect(Set(ids) == Set((0..<200).map { "dlv_\($0)" }))
        #expect(ids.count == 200)
    }

    @Test func reopenAfterRotationWritesToTheNewFile() async throws {
        // Given a log with one line, renamed away by logrotate
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let file = directory.appendingPathComponent("violations.jsonl")
        let rotated = directory.appendingPathComponent("violations.jsonl.1")
        let log = try LogNotifier(configuration: .init(path: file.path))
        _ = await log.deliver(Fixtures.notification(id: "before"))
        try FileManager.default.moveItem(at: file, to: rotated)
        _ = await log.deliver(Fixtures.notification(id: "late"))
        // When the log is reopened (SIGHUP) and another line is written
        try await log.reopen()
        _ = await log.deliver(Fixtures.notification(id: "after"))
        // Then lines before reopen went to the old file, the new line to a new file
        #expect(try lines(rotated).compactMap { $0["id"]?.stringValue } == ["before", "late"])
        #expect(try lines(file).compactMap { $0["id"]?.stringValue } == ["after"])
    }

    @Test func aFullDiskIsRetryable() async throws {
        // Given a log that writes to /dev/full (every write fails with ENOSPC)
        let log = try LogNotifier(configuration: .init(path: "/dev/full"))
        let result = await log.deliver(Fixtures.notification())
        #expect(result == .retryable(reason: "cannot write violation log /dev/full: no space left on device", retryAfter: nil))
    }

    @Test func anUnwritablePathFailsAtStartWithTheReason() throws {
        // Given a path whose parent is a regular file
        let directory = try Fixtures.temporaryDirectory()
        defer { Fixtures.remove(directory) }
        let blocker = directory.appendingPathComponent("not-a-dir")
        try Data("x".utf8).write(to: blocker)
        #expect {
            try LogNotifier(configuration: .init(path: blocker.appendingPathComponent("violations.jsonl").path))
        } throws: { error in
            (error as? NotifierError)?.code == .logUnwritable
                && "\(error)".hasPrefix("cannot write violation log \(blocker.path)/violations.jsonl: cannot create directory")
        }
    }
}
