import Foundation
import ParapetCore

/// Reads exported logs from a file or a directory tree (CloudTrail S3 exports, JSON lines,
/// GCP/Azure exports; see `ExportReader`). Its cursor remembers each file's size, mtime, inode
/// and read position, so a restart reads only new files and lines appended to JSON-lines files;
/// a file that changed in any other way is read again (the store deduplicates events).
/// A file that cannot be read is quarantined for that file alone.
public struct FileSource: ActivitySource {
    public struct Configuration: Sendable, Hashable {
        /// A file, or a directory read recursively.
        public var path: String
        /// Forces the feed of every record (default: detected per record).
        public var feed: Feed?
        /// The account for records that name none.
        public var account: String?
        /// The provider the source reports (default: the feed's, else AWS).
        public var provider: Provider?
        /// The source id (default `file:<path>`).
        public var id: String?
        /// At most this many records (events and quarantined) per poll.
        public var maxRecordsPerPoll: Int
        /// An unterminated, unparseable last line of a file modified less than this long ago is
        /// left for the next poll (it may still be being written); after that it is quarantined.
        public var settleInterval: TimeInterval

        public init(path: String, feed: Feed? = nil, account: String? = nil, provider: Provider? = nil, id: String? = nil,
                    maxRecordsPerPoll: Int = 5_000, settleInterval: TimeInterval = 300) {
            self.path = path
            self.feed = feed
            self.account = account
            self.provider = provider
            self.id = id
            self.maxRecordsPerPoll = maxRecordsPerPoll
            self.settleInterval = settleInterval
        }
    }

    public let configuration: Configuration
    public var id: String { configuration.id ?? "file:\(configuration.path)" }
    public var provider: Provider { configuration.provider ?? configuration.feed?.provider ?? .aws }

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Reads up to `maxRecordsPerPoll` records not covered by `cursor`. Throws `FileSourceError`
    /// when the path is missing or the cursor is not one of this source's.
    public func poll(after cursor: Cursor?) async throws -> ActivityPage {
        let previous = try FileCursor(cursor)
        let files = try FileLister.list(configuration.path)
        var next = FileCursor()
        var page = PageBuilder(sourceID: id, budget: max(1, configuration.maxRecordsPerPoll))
        for path in files {
            let stored = previous.files[path]
            guard !page.isFull else {
                if let stored { next.files[path] = stored }
                continue
            }
            if let progress = read(path, stored: stored, into: &page) { next.files[path] = progress }
        }
        return ActivityPage(events: page.events, quarantined: page.quarantined, cursor: next.cursor, hasMore: page.isFull)
    }

    /// Reads one file from where `stored` left it; returns its new progress (nil: forget the file).
    func read(_ path: String, stored: FileCursor.Progress?, into page: inout PageBuilder) -> FileCursor.Progress? {
        guard let info = FileInfo(path: path) else {
            page.quarantine(RecordLocation(path: path), reason: "cannot read file: it disappeared before it could be read")
            return nil
        }
        var start = ExportPosition.start
        if let stored, stored.inode == info.inode {
            let unchanged = stored.size == info.size && stored.mtime == info.mtime
            if unchanged, stored.complete { return stored }
            if unchanged || (stored.appendable && info.size >= stored.size) { start = stored.position }
        }
        var progress = FileCursor.Progress(size: info.size, mtime: info.mtime, inode: info.inode, position: start,
                                           appendable: false, complete: false)
        let settling = Date().timeIntervalSince1970 - info.mtime < configuration.settleInterval
        let reader: ExportReader
        do {
            reader = try ExportReader(path: path, feed: configuration.feed, defaultAccount: configuration.account,
                                      from: start, holdBackPartialLastLine: settling)
        } catch {
            page.quarantine(RecordLocation(path: path), reason: error.reason)
            progress.complete = true
            return progress
        }
        do {
            while !page.isFull, let record = try reader.next() {
                page.add(record)
                progress.position = reader.position
            }
            progress.position = reader.position
            progress.complete = !page.isFull && !reader.heldBackPartialLine
            if page.isFull, try reader.next() == nil, !reader.heldBackPartialLine {
                // The budget ran out exactly at the end of the file.
                progress.complete = true
            }
        } catch {
            let location = RecordLocation(path: path, line: reader.layout == .jsonLines ? reader.position.line : nil)
            page.quarantine(location, reason: error.reason)
            progress.complete = true
        }
        progress.appendable = reader.layout == .jsonLines && !reader.isGzip
        return progress
    }
}

/// Collects one poll's events and quarantined records up to a budget.
struct PageBuilder {
    let sourceID: String
    var budget: Int
    var events: [AuditEvent] = []
    var quarantined: [QuarantinedRecord] = []

    init(sourceID: String, budget: Int) {
        self.sourceID = sourceID
        self.budget = budget
    }

    var isFull: Bool { budget <= 0 }

    mutating func add(_ record: ExportRecord) {
        budget -= 1
        switch record.outcome {
        case .event(let event): events.append(event)
        case .quarantined(let reason, let raw): quarantined.append(
            QuarantinedRecord(sourceID: sourceID, location: record.location.description, reason: reason, raw: raw))
        }
    }

    mutating func quarantine(_ location: RecordLocation, reason: String) {
        budget -= 1
        quarantined.append(QuarantinedRecord(sourceID: sourceID, location: location.description, reason: reason, raw: Data()))
    }
}

/// What identifies a file's state: size, modification time and inode.
struct FileInfo {
    var size: UInt64
    var mtime: Double
    var inode: UInt64

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        size = Self.number(attributes[.size])
        mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        inode = Self.number(attributes[.systemFileNumber])
    }

    private static func number(_ value: Any?) -> UInt64 {
        if let number = value as? NSNumber { return number.uint64Value }
        if let number = value as? UInt64 { return number }
        if let number = value as? Int { return UInt64(max(0, number)) }
        return 0
    }
}
