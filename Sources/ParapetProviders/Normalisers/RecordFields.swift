import Foundation
import ParapetCore

/// Typed, error-reporting access to the fields of one raw record. Every error names the
/// field's dotted path so that a quarantined record says what was wrong with it.
final class RecordFields {
    let record: JSONValue
    private let root: JSONObject
    /// The object at the parent path of the last nested lookup: normalisers read several
    /// members of one object in a row (`userIdentity.arn`, `userIdentity.type`, …).
    private var cachedParent: String?
    private var cachedMembers: JSONObject?

    init(_ record: JSONValue) {
        self.record = record
        root = record.objectValue ?? [:]
    }

    /// The value at `path`, treating JSON null as absent.
    func value(_ path: FieldPath) -> JSONValue? {
        guard let value = lookup(path), !value.isNull else { return nil }
        return value
    }

    /// A non-empty string at `path`, or nil (absent, null, empty or not a string).
    func string(_ path: FieldPath) -> String? {
        guard case .string(let text)? = lookup(path), !text.isEmpty else { return nil }
        return text
    }

    /// A scalar at `path` as text (numbers and booleans rendered), or nil.
    func text(_ path: FieldPath) -> String? {
        guard let text = lookup(path)?.scalarText, !text.isEmpty else { return nil }
        return text
    }

    /// A required non-empty string; throws "missing field 'x'" or "field 'x' is not a string".
    func requiredString(_ path: FieldPath) throws -> String {
        guard let value = lookup(path), !value.isNull else { throw NormaliseError("missing field '\(path.text)'") }
        guard case .string(let text) = value else {
            throw NormaliseError("field '\(path.text)' is not a string: \(RecordFields.preview(value))")
        }
        guard !text.isEmpty else { throw NormaliseError("field '\(path.text)' is empty") }
        return text
    }

    /// A required RFC 3339 timestamp at `path`.
    func requiredTime(_ path: FieldPath) throws -> Date {
        let text = try requiredString(path)
        guard let date = ISO8601.date(from: text) else {
            throw NormaliseError("field '\(path.text)' is not a timestamp: '\(RecordFields.clip(text))'")
        }
        return date
    }

    func bool(_ path: FieldPath) -> Bool? {
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
    private func lookup(_ path: FieldPath) -> JSONValue? {
        if path.parents.isEmpty { return root[path.key] }
        if cachedParent != path.parentText {
            cachedParent = path.parentText
            cachedMembers = object(at: path.parents)
        }
        return cachedMembers?[path.key]
    }

    /// The object at the path `segments` below the root, or nil.
    private func object(at segments: [JSONObjectKey]) -> JSONObject? {
        var members = root
        for segment in segments {
            guard case .object(let next)? = members[segment] else { return nil }
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
