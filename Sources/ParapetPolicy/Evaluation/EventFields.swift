import ParapetCore

/// One event's document with every field path resolved at most once per evaluation, shared by
/// every rule, exception and index lookup that reads it. Rules for the normalised fields
/// (`product: any`) read the common ones straight from the `AuditEvent`; the normalised JSON
/// document is built only when something needs more (keywords, `time`, unknown paths).
final class EventFields {
    /// The event whose normalised fields these are, behind a reference whose fields are read in
    /// place (see `EventBox.value`).
    private let normalizedEvent: EventBox?
    private let isNormalized: Bool
    /// False when the reader saw no object key with a dot in the document.
    private let dottedKeys: Bool
    private var built: JSONValue?
    /// Per slot: -1 unresolved, else `start << 20 | count` into `values`.
    private var ranges: [Int]
    private var values: [JSONValue] = []
    private var scalars: [JSONValue]?
    private var haystack: [UInt8]?

    /// A raw document (a provider record or an already built normalised document);
    /// `dottedKeys` false when no object key in it contains a dot.
    init(document: JSONValue, slots: Int = FieldPath.slotCount, dottedKeys: Bool = true) {
        normalizedEvent = nil
        isNormalized = false
        self.dottedKeys = dottedKeys
        built = document
        ranges = Array(repeating: -1, count: slots)
        values.reserveCapacity(32)
    }

    /// The normalised fields of `event`, built lazily.
    init(normalizedOf event: AuditEvent, slots: Int) {
        normalizedEvent = EventBox(event)
        isNormalized = true
        dottedKeys = true
        built = nil
        ranges = Array(repeating: -1, count: slots)
        values.reserveCapacity(16)
    }

    /// The whole document (built on first use for normalised fields).
    var document: JSONValue {
        if let built { return built }
        let document = normalizedEvent?.event.normalized ?? .null
        built = document
        return document
    }

    /// Every scalar (string, number, bool) anywhere in the document, collected once.
    var allScalars: [JSONValue] {
        if let scalars { return scalars }
        var found: [JSONValue] = []
        _ = FieldTest.anyScalar(in: document) { found.append($0); return false }
        scalars = found
        return found
    }

    /// The text of every scalar in the document (as `scalarText`) with ASCII capitals folded,
    /// each followed by a zero byte: a lowercase ASCII-folded needle without zero bytes is found
    /// here exactly when some scalar contains it case-insensitively.
    var foldedScalarHaystack: [UInt8] {
        if let haystack { return haystack }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048)
        for scalar in allScalars {
            if let text = scalar.scalarText {
                for byte in text.utf8 { bytes.append(byte &- 65 < 26 ? byte | 0x20 : byte) }
            }
            bytes.append(0)
        }
        haystack = bytes
        return bytes
    }

    /// Calls `body` with each value at `path` until it returns true; true if it did.
    @discardableResult
    func first(_ path: FieldPath, where body: (JSONValue) -> Bool) -> Bool {
        let slot = path.slot
        guard slot < ranges.count else { return path.first(in: document, dottedKeys: dottedKeys, where: body) }
        var range = ranges[slot]
        if range < 0 {
            range = resolve(path)
            ranges[slot] = range
        }
        var index = range >> 20
        let end = index + range & 0xFFFFF
        while index < end {
            if body(values[index]) { return true }
            index += 1
        }
        return false
    }

    /// Appends the values at `path` to `values`; returns their range.
    private func resolve(_ path: FieldPath) -> Int {
        let start = values.count
        if isNormalized, let field = path.normalizedField, let box = normalizedEvent {
            if let value = box.value(field) {
                if case .array(let elements) = value, !elements.isEmpty { values += elements } else { values.append(value) }
            }
        } else {
            path.first(in: document, dottedKeys: dottedKeys) { value in
                values.append(value)
                return false
            }
        }
        return start << 20 | min(values.count - start, 0xFFFFF)
    }
}

/// An event behind a reference, its fields read in place.
private final class EventBox {
    let event: AuditEvent
    init(_ event: AuditEvent) { self.event = event }

    /// The value at `field`'s path of `event.normalized` (a list for `resources.uid`), nil when
    /// absent. Each case reads one member of the stored event; passing the whole event to a
    /// function instead copied it (a retain and release of each of its strings) on every call.
    func value(_ field: NormalizedField) -> JSONValue? {
        func text(_ s: String?) -> JSONValue? { s.map { .string($0) } }
        switch field {
        case .operation: return .string(event.operation)
        case .serviceName: return text(event.serviceName)
        case .actorUID: return text(event.actor.uid)
        case .actorType: return text(event.actor.type)
        case .actorName: return text(event.actor.name)
        case .provider: return .string(event.provider.rawValue)
        case .account: return .string(event.account)
        case .region: return text(event.region)
        case .status: return .string(event.outcome.rawValue)
        case .sourceIP: return text(event.sourceIP)
        case .userAgent: return text(event.userAgent)
        case .errorCode: return text(event.errorCode)
        case .errorMessage: return text(event.errorMessage)
        case .readOnly: return event.readOnly.map { .bool($0) }
        case .eventID: return .string(event.eventID)
        case .product: return .string(event.feed.rawValue)
        case .resourceUIDs: return event.resources.isEmpty ? nil : .array(event.resources.map { .string($0) })
        case .className: return "API Activity"
        case .classUID: return 6003
        }
    }
}
