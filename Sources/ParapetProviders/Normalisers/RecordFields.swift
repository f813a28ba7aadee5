import Foundation
import ParapetCore

/// Typed, error-reporting access to the fields of one raw record. Every error names the
/// field's dotted path so that a quarantined record says what was wrong with it.
final class RecordFields {
    let record: JSONValue
    /// The object at the parent path of the last dotted lookup: normalisers read several
    /// members of one object in a row (`userIdentity.arn`, `userIdentity.type`, …).
    private var cachedParent: Substring = ""
    private var cachedMembers: [String: JSONValue]?

    init(_ record: JSONValue) { self.record = record }

    /// The value at `path`, treating JSON null as absent.
    func value(_ path: String) -> JSONValue? {
        guard let value = lookup(path), !value.isNull else { return nil }
        return value
    }

    /// A non-empty string at `path`, or nil (absent, null, empty or not a string).
    func string(_ path: String) -> String? {
        guard case .string(let text)? = lookup(path), !text.isEmpty else { return nil }
        return text
    }

    /// A scalar at `path` as text (numbers and booleans rendered), or nil.
    func text(_ path: String) -> String? {
        guard let text = lookup(path)?.scalarText, !text.isEmpty else { return nil }
        return text
    }

    /// A required non-empty string; throws "missing field 'x'" or "field 'x' is not a string".
    func requiredString(_ path: String) throws -> String {
        guard let value = lookup(path), !value.isNull else { throw NormaliseError("missing field '\(path)'") }
        guard case .string(let text) = value else {
            throw NormaliseError("field '\(path)' is not a string: \(RecordFields.preview(value))")
        }
        guard !text.isEmpty else { throw NormaliseError("field '\(path)' is empty") }
        return text
    }

    /// A required RFC 3339 timestamp at `path`.
    func requiredTime(_ path: String) throws -> Date {
        let text = try requiredString(path)
        guard let date = ISO8601.date(from: text) else {
            throw NormaliseError("field '\(path)' is not a timestamp: '\(RecordFields.clip(text))'")
        }
        return date
    }

    func bool(_ path: String) -> Bool? {
        switch lookup(path) {
        case .bool(let flag)?: return flag
        case .string(let text)?:
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// Plain nested lookup (`a.b.c`), cheaper than `JSONValue.value(atPath:)` for known paths.
    private func lookup(_ path: String) -> JSONValue? {
        guard case .object(let root) = record else { return nil }
        let utf8 = path.utf8
        guard let lastDot = utf8.lastIndex(of: UInt8(ascii: ".")) else { return root[path] }
        let parent = path[..<lastDot]
        let members: [String: JSONValue]
        if let cachedMembers, cachedParent == parent {
            members = cachedMembers
        } else {
            guard let found = object(at: parent, in: root) else { return nil }
            cachedParent = parent
            cachedMembers = found
            members = found
        }
        return members[String(path[utf8.index(after: lastDot)...])]
    }

    /// The object at a dotted path below `root`, or nil.
    private func object(at path: Substring, in root: [String: JSONValue]) -> [String: JSONValue]? {
        var members = root
        for segment in path.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard case .object(let next)? = members[String(Substring(segment))] else { return nil }
            members = next
        }
        return members
    }

    /// A short rendering of a value for an error message (never the whole record).
    static func preview(_ value: JSONValue) -> String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        case .null: return "null"
        default: return clip(value.scalarText ?? "")
        }
    }

    static func clip(_ text: String, limit: Int = 80) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
