/// The members of a JSON object, in document order, in one allocation with a small hash index.
///
/// It behaves like the `[String: JSONValue]` it replaces, with an order:
/// - a repeated key keeps its last value, at the place where the key first appeared (as
///   `Dictionary`'s subscript setter, and JavaScript's `JSON.parse`, do);
/// - keys are compared with `String ==` (canonical equivalence), as `Dictionary` compares them;
/// - `==` and `hash(into:)` ignore the order: two objects are equal when they have the same keys
///   with equal values;
/// - iteration, `keys` and `values` follow the document (insertion) order.
///
/// Lookups hash the key's UTF-8 with `JSONKeyHash` (no SipHash); objects of up to eight members
/// compare hashes in a row, larger ones probe an open-addressing table. The empty object allocates
/// nothing. Mutation is copy-on-write.
///
/// `@unchecked Sendable`: the buffer (a `ManagedBuffer`, which cannot itself be `Sendable`) is
/// only written through a uniquely referenced `JSONObject`, so shared buffers are immutable.
public struct JSONObject: @unchecked Sendable {
    /// The members; nil when the object is empty and never was given room.
    @usableFromInline var storage: JSONObjectStorage?

    /// The empty object.
    public init() { storage = nil }

    /// An empty object with room for `capacity` members before it reallocates.
    public init(minimumCapacity capacity: Int) {
        storage = capacity > 0 ? JSONObjectStorage.make(capacity: capacity) : nil
    }

    /// The members of `dictionary`, in the dictionary's (unspecified) order.
    public init(_ dictionary: [String: JSONValue]) {
        self.init(minimumCapacity: dictionary.count)
        guard let storage else { return }
        for (key, value) in dictionary { storage.append(key: key, hash: JSONKeyHash.of(key), value: value) }
    }

    /// The pairs in order; a repeated key keeps its last value at its first place.
    public init<Members: Sequence>(uniquing members: Members) where Members.Element == (String, JSONValue) {
        var storage: JSONObjectStorage?
        for (key, value) in members {
            if storage == nil {
                storage = JSONObjectStorage.make(capacity: Swift.max(members.underestimatedCount, 4))
            } else if storage!.count == storage!.header.capacity {
                storage = storage!.moved(capacity: storage!.header.capacity * 2)
            }
            storage!.insert(key: key, hash: JSONKeyHash.of(key), value: value)
        }
        self.storage = storage
    }

    /// Takes the `count` parsed members at `members` (which are left deinitialised).
    init(moving members: UnsafeMutablePointer<JSONParsedMember>, count: Int) {
        let storage = JSONObjectStorage.make(capacity: count)
        for i in 0..<count {
            let member = (members + i).move()
            storage.insert(key: member.key, hash: member.hash, value: member.value)
        }
        self.storage = storage
    }

    /// The value of the member `key`, or nil. Setting nil removes the member; setting a new key
    /// appends it; setting an existing key replaces its value in place.
    @inlinable
    public subscript(key: String) -> JSONValue? {
        get {
            // Borrowing `storage` in place (no optional binding) spares a retain and release.
            if storage == nil { return nil }
            let index = storage.unsafelyUnwrapped.index(of: key, hash: JSONKeyHash.of(key))
            if index < 0 { return nil }
            return storage.unsafelyUnwrapped.withMembers { $0[index].value }
        }
        set {
            if let newValue { updateValue(newValue, forKey: key) } else { removeValue(forKey: key) }
        }
    }

    /// Sets the member `key` to `value`, appending it if it is new.
    public mutating func updateValue(_ value: JSONValue, forKey key: String) {
        let hash = JSONKeyHash.of(key)
        if storage == nil {
            storage = JSONObjectStorage.make(capacity: 4)
        } else if !isKnownUniquelyReferenced(&storage) {
            let shared = storage!
            storage = shared.copy(capacity: Swift.max(shared.header.capacity, shared.count + 1))
        }
        let storage = self.storage!
        let index = storage.index(of: key, hash: hash)
        if index >= 0 {
            storage.withMembers { $0[index].value = value }
        } else if storage.count < storage.header.capacity {
            storage.append(key: key, hash: hash, value: value)
        } else {
            let bigger = storage.moved(capacity: storage.header.capacity * 2)
            bigger.append(key: key, hash: hash, value: value)
            self.storage = bigger
        }
    }

    /// Removes the member `key` (the others keep their order); returns its value, if there was one.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let storage else { return nil }
        let index = storage.index(of: key, hash: JSONKeyHash.of(key))
        guard index >= 0 else { return nil }
        let removed = storage.withMembers { $0[index].value }
        let rebuilt = JSONObjectStorage.make(capacity: storage.header.capacity)
        storage.withParts { header, members, hashes, _ in
            for i in 0..<header.pointee.count where i != index {
                rebuilt.append(key: members[i].key, hash: hashes[i], value: members[i].value)
            }
        }
        self.storage = rebuilt
        return removed
    }
}
