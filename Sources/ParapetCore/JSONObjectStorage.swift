/// The counts at the head of a `JSONObjectStorage`.
@usableFromInline
struct JSONObjectHeader {
    /// Members stored.
    @usableFromInline var count: Int
    /// Members the buffer has room for; the hash and slot regions are laid out after that many.
    @usableFromInline var capacity: Int
    /// Slot table size minus one, or 0 when the object is small enough to be scanned.
    @usableFromInline var tableMask: Int
    /// How many keys are not pure ASCII (they are found by `String ==`, see `JSONKeyHash`).
    @usableFromInline var nonASCIIKeys: Int
}

/// One allocation holding an object's members in document order, then one `UInt32` key hash per
/// member, then (for objects of more than `linearLimit` members) an open-addressing table of
/// `UInt32` slots: 0 is empty, otherwise the member's index plus one (linear probing, load ≤ ½).
///
/// Not thread-safe to mutate; `JSONObject` only mutates a buffer it references uniquely
/// (copy on write), so sharing immutable objects between tasks is safe.
@usableFromInline
final class JSONObjectStorage: ManagedBuffer<JSONObjectHeader, JSONObject.Element> {
    /// Objects with at most this many members have no slot table: their hashes are scanned.
    static let linearLimit = 8

    /// An empty buffer with room for `capacity` members.
    static func make(capacity: Int) -> JSONObjectStorage {
        let tableSize = capacity > linearLimit ? tableSize(for: capacity) : 0
        let stride = MemoryLayout<JSONObject.Element>.stride
        let extra = ((capacity + tableSize) * MemoryLayout<UInt32>.stride + stride - 1) / stride
        let buffer = create(minimumCapacity: capacity + extra) { _ in
            JSONObjectHeader(count: 0, capacity: capacity, tableMask: tableSize == 0 ? 0 : tableSize - 1, nonASCIIKeys: 0)
        }
        let storage = unsafeDowncast(buffer, to: JSONObjectStorage.self)
        storage.withUnsafeMutablePointerToElements { members in
            let words = UnsafeMutableRawPointer(members + capacity).bindMemory(to: UInt32.self, capacity: capacity + tableSize)
            (words + capacity).initialize(repeating: 0, count: tableSize)
        }
        return storage
    }

    private static func tableSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    deinit {
        withUnsafeMutablePointers { header, members in
            _ = members.deinitialize(count: header.pointee.count)
        }
    }

    var count: Int { header.count }

    /// Calls `body` with the members, their hashes and the slot table (empty when there is none).
    @inline(__always)
    func withParts<R>(
        _ body: (UnsafeMutablePointer<JSONObject.Element>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>) throws -> R
    ) rethrows -> R {
        let capacity = header.capacity
        return try withUnsafeMutablePointerToElements { members in
            let hashes = UnsafeMutableRawPointer(members + capacity).assumingMemoryBound(to: UInt32.self)
            return try body(members, hashes, hashes + capacity)
        }
    }

    /// The index of the member whose key equals `key` (`String ==`, i.e. canonical equivalence,
    /// as `Dictionary` compares), or nil. `hash` is `JSONKeyHash.of(key)`.
    func index(of key: String, hash: UInt32) -> Int? {
        let header = self.header
        return withParts { members, hashes, table in
            if hash == JSONKeyHash.nonASCII {
                for i in 0..<header.count where members[i].key == key { return i }
                return nil
            }
            if header.tableMask == 0 {
                for i in 0..<header.count where hashes[i] == hash && members[i].key == key { return i }
            } else {
                var slot = Int(hash) & header.tableMask
                while true {
                    let entry = table[slot]
                    if entry == 0 { break }
                    let i = Int(entry &- 1)
                    if hashes[i] == hash && members[i].key == key { return i }
                    slot = (slot &+ 1) & header.tableMask
                }
            }
            // An ASCII key may still be canonically equivalent to a non-ASCII one (U+212A KELVIN SIGN
            // is "K"), which `Dictionary` would have treated as the same key.
            if header.nonASCIIKeys > 0 {
                for i in 0..<header.count where hashes[i] == JSONKeyHash.nonASCII && members[i].key == key { return i }
            }
            return nil
        }
    }

    /// Adds a member whose key is not present yet; there must be room (`count < capacity`).
    func append(key: String, hash: UInt32, value: JSONValue) {
        let index = header.count
        let mask = header.tableMask
        withParts { members, hashes, table in
            (members + index).initialize(to: (key: key, value: value))
            hashes[index] = hash
            if mask != 0 && hash != JSONKeyHash.nonASCII {
                var slot = Int(hash) & mask
                while table[slot] != 0 { slot = (slot &+ 1) & mask }
                table[slot] = UInt32(index + 1)
            }
        }
        header.count = index + 1
        if hash == JSONKeyHash.nonASCII { header.nonASCIIKeys += 1 }
    }

    /// Adds a member, or replaces the value of the member with an equal key (which keeps its place).
    func insert(key: String, hash: UInt32, value: JSONValue) {
        if let existing = index(of: key, hash: hash) {
            withUnsafeMutablePointerToElements { $0[existing].value = value }
        } else {
            append(key: key, hash: hash, value: value)
        }
    }

    /// A copy with room for `capacity` members (at least `count`), leaving this buffer intact.
    func copy(capacity: Int) -> JSONObjectStorage {
        let copy = JSONObjectStorage.make(capacity: capacity)
        withParts { members, hashes, _ in
            for i in 0..<header.count { copy.append(key: members[i].key, hash: hashes[i], value: members[i].value) }
        }
        return copy
    }
}
