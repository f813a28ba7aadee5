import ParapetCore

/// One event's document with every field path resolved at most once per evaluation, shared by
/// every rule, exception and index lookup that reads it. Rules for the normalised fields
/// (`product: any`) read the common ones straight from the `AuditEvent`; the normalised JSON
/// document is built only when something needs more (keywords, `time`, unknown paths).
final class EventFields {
    /// The values at one path, as `FieldPath.first` delivers them (list elements one by one).
    enum Values {
        case unresolved
        case none
        case one(JSONValue)
        case many([JSONValue])
    }

    private let event: AuditEvent?
    private let isNormalized: Bool
    private var built: JSONValue?
    private var cache: [Values]

    /// A raw document (a provider record or an already built normalised document).
    init(document: JSONValue, slots: Int = FieldPath.slotCount) {
        event = nil
        isNormalized = false
        built = document
        cache = Array(repeating: .unresolved, count: slots)
    }

    /// The normalised fields of `event`, built lazily.
    init(normalizedOf event: AuditEvent, slots: Int) {
        self.event = event
        isNormalized = true
        built = nil
        cache = Array(repeating: .unresolved, count: slots)
    }

    /// The whole document (built on first use for normalised fields).
    var document: JSONValue {
        if let built { return built }
        let document = event?.normalized ?? .null
        built = document
        return document
    }

    /// Calls `body` with each value at `path` until it returns true; true if it did.
    @discardableResult
    func first(_ path: FieldPath, where body: (JSONValue) -> Bool) -> Bool {
        let slot = path.slot
        guard slot < cache.count else { return path.first(in: document, where: body) }
        if case .unresolved = cache[slot] { cache[slot] = resolve(path) }
        switch cache[slot] {
        case .unresolved, .none: return false
        case .one(let value): return body(value)
        case .many(let values):
            for value in values where body(value) { return true }
            return false
        }
    }

    private func resolve(_ path: FieldPath) -> Values {
        if isNormalized, let field = path.normalizedField, let event {
            guard let value = field.value(of: event) else { return .none }
            if case .array(let elements) = value, !elements.isEmpty { return .many(elements) }
            return .one(value)
        }
        var first: JSONValue?
        var rest: [JSONValue] = []
        path.first(in: document) { value in
            if first == nil { first = value } else { rest.append(value) }
            return false
        }
        guard let first else { return .none }
        if rest.isEmpty { return .one(first) }
        return .many([first] + rest)
    }
}
