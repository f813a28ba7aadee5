import Foundation
import ParapetCore

/// Where a record sits in an exported file.
public struct RecordLocation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// 1-based line number (JSON lines, and the line a one-line document sits on).
    public var line: Int?
    /// 0-based index within the array that held the record (`Records`, `records`, `value`, …).
    public var index: Int?

    public init(path: String, line: Int? = nil, index: Int? = nil) {
        self.path = path
        self.line = line
        self.index = index
    }

    /// `file.jsonl:12`, `file.json#3`, `file.jsonl:12#3`.
    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        if let index { text += "#\(index)" }
        return text
    }
}

/// One record read from an export: normalised, or quarantined with the reason and its bytes.
public struct ExportRecord: Sendable {
    public enum Outcome: Sendable {
        case event(AuditEvent)
        case quarantined(reason: String, raw: Data)
    }

    public var location: RecordLocation
    public var outcome: Outcome

    public init(location: RecordLocation, outcome: Outcome) {
        self.location = location
        self.outcome = outcome
    }

    public var event: AuditEvent? {
        if case .event(let event) = outcome { return event }
        return nil
    }
}

/// How far into a file a reader has got: the decoded offset and number of the next line to read,
/// and how many records of that line (or, for a whole document, of the document) are done.
public struct ExportPosition: Sendable, Hashable, Codable {
    public var offset: UInt64
    public var line: Int
    public var index: Int

    public init(offset: UInt64 = 0, line: Int = 1, index: Int = 0) {
        self.offset = offset
        self.line = line
        self.index = index
    }

    public static let start = ExportPosition()
}
