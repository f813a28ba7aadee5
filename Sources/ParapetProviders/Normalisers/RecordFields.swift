import Foundation
import ParapetCore

/// Typed, error-reporting access to the fields of one raw record. Every error names the
/// field's dotted path so that a quarantined record says what was wrong with it.
struct RecordFields {
    let record: JSONValue

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
        guard case .object(var members) = record else { return nil }
        let utf8 = path.utf8
        var start = utf8.startIndex
        while let dot = utf8[start...].firstIndex(of: UInt8(ascii: ".")) {
            guard case .object(let next)? = members[String(path[start..<dot])] else { return nil }
            members = next
            start = utf8.index(after: dot)
        }
        return start == utf8.startIndex ? members[path] : members[String(path[start...])]
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
