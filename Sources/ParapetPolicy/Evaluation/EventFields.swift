import ParapetCore
import Synchronization

/// One event's document with every field path resolved at most once per evaluation, shared by
/// every rule, exception and index lookup that reads it. Rules for the normalised fields
/// (`product: any`) read the common ones straight from the `AuditEvent`; the normalised JSON
/// document is built only when something needs more (keywords, `time`, unknown paths).
final class EventFields {
    /// The event whose normalised fields these are, behind a reference whose fields are read in
    /// place (see `EventBox.value`).
    @exclusivity(unchecked) private var normalizedEvent: EventBox?
    @exclusivity(unchecked) private var isNormalized: Bool
    /// False when the reader saw no object key with a dot in the document.
    @exclusivity(unchecked) private var dottedKeys: Bool
    // The caches below are read and written on every field test, and an `EventFields` lives for
    // one evaluation on one thread, passed down the call stack and never stored: no two accesses
    // can overlap, so the run-time exclusivity checks (about 5 % of evaluation's samples, in
    // `swift_beginAccess`) are switched off for them.
    /// The document, once there is one (`hasDocument`): a stored value, not an optional, so
    /// that path walks can read it in place.
    @exclusivity(unchecked) private var built: JSONValue = .null
    @exclusivity(unchecked) private var hasDocument: Bool
    /// Per slot: -1 unresolved, else `start << 20 | count` into `places` (a raw document) or
    /// `values` (normalised fields).
    @exclusivity(unchecked) private var ranges: [Int]
    /// The slots set in `ranges` since the last `clear()`.
    @exclusivity(unchecked) private var resolvedSlots: [Int] = []
    /// Where the values found in a raw document are, inside it: they are read in place, never
    /// copied (a copy retained each value, and released it with the cache). Valid while `built`
    /// is, which changes only when the cache is cleared, and these with it.
    @exclusivity(unchecked) private var places: [UnsafePointer<JSONValue>] = []
    /// The normalised fields' values found, computed from the event's members.
    @exclusivity(unchecked) private var values: [JSONValue] = []
    @exclusivity(unchecked) private var scalars: [JSONValue]?
    @exclusivity(unchecked) private var haystack: [UInt8]?

    /// A raw document (a provider record or an already built normalised document);
    /// `dottedKeys` false when no object key in it contains a dot.
    init(document: JSONValue, slots: Int = FieldPath.slotCount, dottedKeys: Bool = true) {
        normalizedEvent = nil
        isNormalized = false
        self.dottedKeys = dottedKeys
        built = document
        hasDocument = true
        ranges = Array(repeating: -1, count: slots)
        places.reserveCapacity(32)
    }

    /// The normalised fields of `event`, built lazily (from a copy of the event).
    convenience init(normalizedOf event: AuditEvent, slots: Int) {
        self.init(normalized: EventBox(copying: event), slots: slots)
    }

    private init(normalized box: EventBox, slots: Int) {
        normalizedEvent = box
        isNormalized = true
        dottedKeys = true
        hasDocument = false
        ranges = Array(repeating: -1, count: slots)
        values.reserveCapacity(16)
    }

    /// Calls `body` with the normalised fields of `event`, which read the event where it is
    /// instead of copying it (a copy retains and releases each of its ~20 strings: 4 % of an
    /// evaluation). The fields must not be kept past `body`.
    static func withNormalized<R>(of event: AuditEvent, slots: Int, _ body: (EventFields) -> R) -> R {
        withUnsafePointer(to: event) { pointer in
            let box = EventBox(borrowing: pointer)
            defer { box.end() }
            return body(EventFields(normalized: box, slots: slots))
        }
    }

    /// Calls `body` with the normalised fields of `event` as `withNormalized` does, in a cache
    /// taken from `spares` (and given back after) instead of a new one.
    @inline(__always)
    static func withNormalized<R>(of event: AuditEvent, slots: Int, spares: EventFieldsSpares, _ body: (EventFields) -> R) -> R {
        withUnsafePointer(to: event) { pointer in
            let fields = spares.take(.normalized) ?? EventFields(normalized: EventBox(borrowing: nil), slots: slots)
            fields.normalizedEvent?.begin(pointer)
            defer {
                fields.normalizedEvent?.end()
                fields.clear()
                spares.give(fields, as: .normalized)
            }
            return body(fields)
        }
    }

    /// Calls `body` with the fields of the raw `document`, in a cache taken from `spares` (and
    /// given back after) instead of a new one. The fields must not be kept past `body`.
    @inline(__always)
    static func withDocument<R>(_ document: JSONValue, slots: Int, dottedKeys: Bool, spares: EventFieldsSpares,
                                _ body: (EventFields) -> R) -> R {
        let fields: EventFields
        if let spare = spares.take(.raw) {
            spare.built = document
            spare.hasDocument = true
            spare.dottedKeys = dottedKeys
            fields = spare
        } else {
            fields = EventFields(document: document, slots: slots, dottedKeys: dottedKeys)
        }
        defer {
            fields.clear()
            spares.give(fields, as: .raw)
        }
        return body(fields)
    }

    /// Forgets the event: the cache holds no document, value or resolved slot, ready for the
    /// next event (its arrays keep their memory).
    private func clear() {
        for slot in resolvedSlots { ranges[slot] = -1 }
        resolvedSlots.removeAll(keepingCapacity: true)
        places.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        scalars = nil
        haystack = nil
        built = .null
        hasDocument = false
    }

    /// The whole document (built on first use for normalised fields).
    var document: JSONValue {
        if hasDocument { return built }
        let document = normalizedEvent?.address.pointee.normalized ?? .null
        built = document
        hasDocument = true
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
        // Straight from the document (the scalars in `allScalars`' order), read in place: each
        // text copied whole, then folded eight bytes at a time.
        let append = { (text: UnsafeBufferPointer<UInt8>) -> Bool in
            let start = bytes.count
            bytes.append(contentsOf: text)
            bytes.withUnsafeMutableBufferPointer { Bytes.foldASCIICapitals(UnsafeMutableBufferPointer(rebasing: $0[start...])) }
            bytes.append(0)
            return false
        }
        if !hasDocument { _ = document }
        _ = withUnsafePointer(to: &built) { EventFields.anyText(at: $0, append) }
        haystack = bytes
        return bytes
    }

    /// Calls `body` with each value at `path` until it returns true; true if it did.
    @discardableResult
    func first(_ path: FieldPath, where body: (JSONValue) -> Bool) -> Bool {
        guard let range = cachedRange(of: path) else { return path.first(in: document, dottedKeys: dottedKeys, where: body) }
        if isNormalized {
            for index in range where body(values[index]) { return true }
        } else {
            for index in range where body(places[index].pointee) { return true }
        }
        return false
    }

    /// Where the values at `path` are in `places` or `values`, resolving the path on first use; nil for a
    /// path created after this cache (it has no slot here).
    private func cachedRange(of path: FieldPath) -> Range<Int>? {
        let slot = path.slot
        guard slot < ranges.count else { return nil }
        var range = ranges[slot]
        if range < 0 {
            range = resolve(path)
            ranges[slot] = range
            resolvedSlots.append(slot)
        }
        let start = range >> 20
        return start..<start + range & 0xFFFFF
    }

    /// Calls `body` with the text (as `scalarText`, in UTF-8) of each scalar at `path`, inside
    /// lists and objects too, until it returns true; true if it did. Strings are read in place.
    func anyText(_ path: FieldPath, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard let range = cachedRange(of: path) else {
            return path.first(in: document, dottedKeys: dottedKeys) { EventFields.anyText(in: $0, body) }
        }
        if isNormalized {
            return values.withUnsafeBufferPointer { values in
                for index in range where EventFields.anyText(in: values[index], body) { return true }
                return false
            }
        }
        for index in range where EventFields.anyText(at: places[index], body) { return true }
        return false
    }

    /// `anyText` on the value at `place`, read in place: strings as they are, objects and lists
    /// walked where their members are (document order), numbers and booleans as `scalarText`.
    static func anyText(at place: UnsafePointer<JSONValue>, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        switch place.pointee {
        case .string(let text):
            if let found = text.utf8.withContiguousStorageIfAvailable(body) { return found }
            return Array(text.utf8).withUnsafeBufferPointer(body)
        case .object:
            return JSONValue.firstMember(in: place) { anyText(at: $0, body) }
        case .array(let elements):
            return elements.withUnsafeBufferPointer { elements in
                for i in elements.indices where anyText(at: elements.baseAddress! + i, body) { return true }
                return false
            }
        case .null:
            return false
        case .bool, .number:
            guard let text = place.pointee.scalarText else { return false }
            return Array(text.utf8).withUnsafeBufferPointer(body)
        }
    }

    /// `anyText(at:)` on a value.
    static func anyText(in value: JSONValue, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        withUnsafePointer(to: value) { anyText(at: $0, body) }
    }

    /// Appends the values at `path` (where they are, or for normalised fields the values) to
    /// the cache; returns their range.
    private func resolve(_ path: FieldPath) -> Int {
        if isNormalized {
            let start = values.count
            if let field = path.normalizedField, let box = normalizedEvent {
                if let value = box.value(field) {
                    if case .array(let elements) = value, !elements.isEmpty { values += elements } else { values.append(value) }
                }
            } else {
                _ = path.first(in: document, dottedKeys: dottedKeys) { value in
                    values.append(value)
                    return false
                }
            }
            return start << 20 | min(values.count - start, 0xFFFFF)
        }
        // The walk reads the document in place (nothing retained on the way) and keeps where
        // each value found is. A path has at least one segment, so it never delivers the root
        // itself (whose address is only valid inside this call): every value found is inside
        // the root's storage. The closure captures only the address of `places` (capturing
        // `self` retained and released this object around every step of the walk).
        let start = places.count
        let dottedKeys = dottedKeys
        _ = withUnsafeMutablePointer(to: &places) { places in
            withUnsafePointer(to: &built) { root in
                path.first(at: root, dottedKeys: dottedKeys) { value in
                    precondition(value != root, "a field path delivered the document's root")
                    places.pointee.append(value)
                    return false
                }
            }
        }
        return start << 20 | min(places.count - start, 0xFFFFF)
    }
}

/// An event behind a reference, its fields read in place: either a copy the box owns, or the
/// caller's event, valid until `end()` (see `EventFields.withNormalized`).
private final class EventBox {
    private var pointer: UnsafePointer<AuditEvent>?
    private let owned: UnsafeMutablePointer<AuditEvent>?

    init(copying event: AuditEvent) {
        let storage = UnsafeMutablePointer<AuditEvent>.allocate(capacity: 1)
        storage.initialize(to: event)
        owned = storage
        pointer = UnsafePointer(storage)
    }

    init(borrowing event: UnsafePointer<AuditEvent>?) {
        owned = nil
        pointer = event
    }

    /// Borrows another event (a box reused for the next evaluation).
    func begin(_ event: UnsafePointer<AuditEvent>) {
        precondition(owned == nil, "an event box that owns its event was given another")
        pointer = event
    }

    /// The borrowed event may be gone after this: any later read stops the process instead of
    /// reading freed memory.
    func end() { pointer = nil }

    deinit {
        owned?.deinitialize(count: 1)
        owned?.deallocate()
    }

    /// Where the event is; reading it after `end()` stops the process instead of reading freed memory.
    var address: UnsafePointer<AuditEvent> {
        guard let pointer else { preconditionFailure("the normalised fields of an event were read after its evaluation") }
        return pointer
    }

    /// The value at `field`'s path of `event.normalized` (a list for `resources.uid`), nil when
    /// absent. Each case reads one member of the stored event; passing the whole event to a
    /// function instead copied it (a retain and release of each of its strings) on every call.
    func value(_ field: NormalizedField) -> JSONValue? {
        func text(_ s: String?) -> JSONValue? { s.map { .string($0) } }
        let event = address
        switch field {
        case .operation: return .string(event.pointee.operation)
        case .serviceName: return text(event.pointee.serviceName)
        case .actorUID: return text(event.pointee.actor.uid)
        case .actorType: return text(event.pointee.actor.type)
        case .actorName: return text(event.pointee.actor.name)
        case .provider: return .string(event.pointee.provider.rawValue)
        case .account: return .string(event.pointee.account)
        case .region: return text(event.pointee.region)
        case .status: return .string(event.pointee.outcome.rawValue)
        case .sourceIP: return text(event.pointee.sourceIP)
        case .userAgent: return text(event.pointee.userAgent)
        case .errorCode: return text(event.pointee.errorCode)
        case .errorMessage: return text(event.pointee.errorMessage)
        case .readOnly: return event.pointee.readOnly.map { .bool($0) }
        case .eventID: return .string(event.pointee.eventID)
        case .product: return .string(event.pointee.feed.rawValue)
        case .resourceUIDs: return event.pointee.resources.isEmpty ? nil : .array(event.pointee.resources.map { .string($0) })
        case .className: return "API Activity"
        case .classUID: return 6003
        }
    }
}

/// A few spare `EventFields` of each kind, handed to the next evaluations on any thread: an
/// evaluation then allocates no cache object, slot table or value list (creating and freeing
/// them was about a tenth of evaluating an event). There is room for as many spares as threads
/// that usually evaluate at once (`parapet replay --jobs`, the daemon's pipeline); taking and
/// giving back are atomic operations on those places; an evaluation that finds no spare (as
/// many others on other threads hold one) makes a new cache, and one given back when every
/// place is full is freed.
///
/// `@unchecked Sendable`: the places are atomics, allocated once and only read and written
/// atomically.
final class EventFieldsSpares: @unchecked Sendable {
    enum Kind: Int { case raw, normalized }

    /// Spares kept per kind.
    static let perKind = 8

    /// `perKind` places of `.raw` spares, then as many of `.normalized` ones: each 0 or an
    /// `EventFields` retained for the place. Place `i` is word `i * stride`: each on a cache line
    /// of its own, so that threads taking and giving back different places do not write one
    /// line between them.
    private let places: UnsafeMutablePointer<Atomic<UInt>>
    private static let stride = 8
    private static let words = 2 * perKind * stride

    init() {
        places = .allocate(capacity: Self.words)
        for i in 0..<Self.words { (places + i).initialize(to: Atomic(0)) }
    }

    /// A spare of `kind`, now the caller's; nil when there is none.
    func take(_ kind: Kind) -> EventFields? {
        let first = kind.rawValue * Self.perKind
        // An empty place is passed over by a load: exchanging it would write the cache line
        // the other evaluating threads are reading.
        for i in first..<first + Self.perKind where places[i * Self.stride].load(ordering: .relaxed) != 0 {
            let bits = places[i * Self.stride].exchange(0, ordering: .acquiringAndReleasing)
            if bits != 0, let pointer = UnsafeRawPointer(bitPattern: bits) {
                return Unmanaged<EventFields>.fromOpaque(pointer).takeRetainedValue()
            }
        }
        return nil
    }

    /// Keeps `fields` (cleared) as a spare of `kind`; frees it when every place is taken.
    func give(_ fields: EventFields, as kind: Kind) {
        let bits = UInt(bitPattern: Unmanaged.passRetained(fields).toOpaque())
        let first = kind.rawValue * Self.perKind
        for i in first..<first + Self.perKind
        where places[i * Self.stride].compareExchange(expected: 0, desired: bits, ordering: .acquiringAndReleasing).exchanged {
            return
        }
        Unmanaged<EventFields>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).release()
    }

    deinit {
        for kind in [Kind.raw, .normalized] {
            while take(kind) != nil {}
        }
        places.deinitialize(count: Self.words)
        places.deallocate()
    }
}
