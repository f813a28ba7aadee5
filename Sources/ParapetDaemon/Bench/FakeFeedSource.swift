import Foundation
import ParapetCore

/// An in-process stand-in for a cloud feed: the first poll waits a little (as a network call
/// would) and returns a small page of generated events; later polls return nothing new.
struct FakeFeedSource: ActivitySource {
    let id: String
    let provider: Provider
    let generator: EventGenerator
    let seed: UInt64
    let pageSize: Int
    let delay: Duration

    func poll(after cursor: Cursor?) async throws -> ActivityPage {
        try await Task.sleep(for: delay)
        guard cursor == nil else { return ActivityPage(cursor: cursor) }
        var stream = generator.stream(seed: seed)
        var events: [AuditEvent] = []
        var quarantined: [QuarantinedRecord] = []
        for index in 0..<pageSize {
            do {
                events.append(try stream.nextEvent())
            } catch {
                quarantined.append(QuarantinedRecord(sourceID: id, location: "page 1#\(index)", reason: "\(error)", raw: Data()))
            }
        }
        return ActivityPage(events: events, quarantined: quarantined, cursor: Cursor("1"))
    }
}
