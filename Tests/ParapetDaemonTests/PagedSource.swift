import Foundation
import ParapetCore

/// A source of fixed pages: its cursor is the index of the next page, and it remembers which
/// cursors it was polled after (the drain reads ahead, so a poll is not a stored page).
final class PagedSource: ActivitySource, @unchecked Sendable {
    let id: String
    let provider = Provider.aws
    private let pages: [[AuditEvent]]
    private let lock = NSLock()
    private var polled: [String?] = []

    /// Pages of events, each event named by its id (`StopLogging` events of account 111122223333).
    init(id: String = "aws/111122223333/paged", pages: [[String]]) {
        self.id = id
        self.pages = pages.map { $0.map(Self.event) }
    }

    /// The cursors it was polled after, in order (nil: the first poll).
    var polledAfter: [String?] { lock.withLock { polled } }

    func poll(after cursor: Cursor?) async throws -> ActivityPage {
        lock.withLock { polled.append(cursor?.rawValue) }
        let index = cursor.flatMap { Int($0.rawValue) } ?? 0
        guard index < pages.count else { return ActivityPage(cursor: nil) }
        return ActivityPage(events: pages[index], cursor: Cursor("\(index + 1)"), hasMore: index + 1 < pages.count)
    }

    static func event(_ id: String) -> AuditEvent {
        var event = AuditEvent(
            provider: .aws, feed: .cloudtrail, eventID: id, time: Date(timeIntervalSince1970: 1_800_000_000), account: "111122223333",
            region: "eu-west-1", operation: "StopLogging", serviceName: "cloudtrail.amazonaws.com",
            actor: .init(uid: "arn:aws:iam::111122223333:user/a", type: "IAMUser", name: "a"),
            resources: ["arn:aws:cloudtrail:eu-west-1:111122223333:trail/\(id)"],
            raw: ["eventID": .string(id), "eventName": "StopLogging", "eventSource": "cloudtrail.amazonaws.com",
                  "requestParameters": ["name": .string(id)]])
        event.rawText = event.raw.serialized()
        return event
    }
}
