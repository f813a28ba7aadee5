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

    @inlinable
    init(count: Int, capacity: Int, tableMask: Int, nonASCIIKeys: Int) {
        self.count = count
        self.capacity = capacity
        self.tableMask = tableMask
        self.nonASCIIKeys = nonASCIIKeys
    }
}

/// One allocation holding, after the header, one `UInt32` key hash per member, then (for objects
/// of more than `linearLimit` members) an open-addressing table of `UInt32` slots (0 is empty,
/// otherwise the member's index plus one; linear probing, load ≤ ½), then the members in document
/// order. Hashes and slots come first so that a lookup in a small object reads the header and the
/// hashes from one cache line, then the member it finds.
///
/// `JSONObject` only mutates a buffer it references uniquely (copy on write), so a shared buffer
/// is immutable.
@usableFromInline
final class JSONObjectStorage: ManagedBuffer<JSONObjectHeader, UInt32> {
    /// Objects with at most this many members have no slot table: their hashes are scanned.
    @usableFromInline static var linearLimit: Int { 8 }

    /// An empty buffer with room for `capacity` members.
    @usableFromInline
    static func make(capacity: Int) -> JSONObjectStorage {
        let tableSize = capacity > linearLimit ? tableSize(for: capacity) : 0
        // Hashes, slots, one word of slack to align the members, the members.
        let words = capacity + tableSize + 1 + (capacity * MemoryLayout<JSONObject.Element>.stride + 3) / 4
        let buffer = create(minimumCapacity: words) { _ in
            JSONObjectHeader(count: 0, capacity: capacity, tableMask: tableSize == 0 ? 0 : tableSize - 1, nonASCIIKeys: 0)
        }
        let storage = unsafeDowncast(buffer, to: JSONObjectStorage.self)
        storage.withUnsafeMutablePointerToElements { words in
            (words + capacity).initialize(repeating: 0, count: tableSize)
            UnsafeMutableRawPointer(words + capacity + tableSize).alignedUp(for: JSONObject.Element.self)
                .bindMemory(to: JSONObject.Element.self, capacity: capacity)
        }
        return storage
    }

    private static func tableSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        return size
    }

    deinit {
        withParts { header, members, _, _ in
            _ = members.deinitialize(count: header.pointee.count)
        }
    }

    @inlinable var count: Int { header.count }

    /// Calls `body` with the header, the members, their hashes and the slot table (empty when there
    /// is none).
    @inlinable @inline(__always)
    func withParts<R>(
        _ body: (
            UnsafeMutablePointer<JSONObjectHeader>, UnsafeMutablePointer<JSONObject.Element>,
            UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>
        ) throws -> R
    ) rethrows -> R {
        try withUnsafeMutablePointers { header, hashes in
            let capacity = header.pointee.capacity
            let tableSize = header.pointee.tableMask == 0 ? 0 : header.pointee.tableMask + 1
            let members = UnsafeMutableRawPointer(hashes + capacity + tableSize).alignedUp(for: JSONObject.Element.self)
                .assumingMemoryBound(to: JSONObject.Element.self)
            return try body(header, members, hashes, hashes + capacity)
        }
    }

    /// Calls `body` with the members.
    @inlinable @inline(__always)
    func withMembers<R>(_ body: (UnsafeMutablePointer<JSONObject.Element>) throws -> R) rethrows -> R {
        try withParts { _, members, _, _ in try body(members) }
    }

    /// The index of the member whose key equals `key` (`String ==`, i.e. canonical equivalence,
    /// as `Dictionary` compares), or -1. `hash` is `JSONKeyHash.of(key)`.
    @inlinable
    func index(of key: String, hash: UInt32) -> Int {
        withParts { header, members, hashes, table in
            let count = header.pointee.count
            if hash == JSONKeyHash.nonASCII { return JSONObjectStorage.scan(key, members, count) }
            let mask = header.pointee.tableMask
            if mask == 0 {
                for i in 0..<count where hashes[i] == hash && members[i].key == key { return i }
            } else {
                var slot = Int(hash) & mask
                while true {
                    let entry = table[slot]
                    if entry == 0 { break }
                    let i = Int(entry &- 1)
                    if hashes[i] == hash && members[i].key == key { return i }
                    slot = (slot &+ 1) & mask
                }
            }
            // An ASCII key may still be canonically equivalent to a non-ASCII one (U+212A KELVIN SIGN
            // is "K"), which `Dictionary` would have treated as the same key.
            if header.pointee.nonASCIIKeys > 0 { return JSONObjectStorage.scanNonASCII(key, members, hashes, count) }
            return -1
        }
    }

    /// Every member compared with `String ==`.
    @usableFromInline
    static func scan(_ key: String, _ members: UnsafeMutablePointer<JSONObject.Element>, _ count: Int) -> Int {
        for i in 0..<count where members[i].key == key { return i }
        return -1
    }

    /// The non-ASCII keys compared with `String ==`.
    @usableFromInline
    static func scanNonASCII(
        _ key: String, _ members: UnsafeMutablePointer<JSONObject.Element>, _ hashes: UnsafeMutablePointer<UInt32>, _ count: Int
    ) -> Int {
        for i in 0..<count where hashes[i] == JSONKeyHash.nonASCII && members[i].key == key { return i }
        return -1
    }

    /// Adds a member whose key is not present yet; there must be room (`count < capacity`).
    func append(key: consuming String, hash: UInt32, value: consuming JSONValue) {
        withParts { header, members, hashes, table in
            let index = header.pointee.count
            let mask = header.pointee.tableMask
            (members + index).initialize(to: (key: key, value: value))
            hashes[index] = hash
            if hash == JSONKeyHash.nonASCII {
                header.pointee.nonASCIIKeys += 1
            } else if mask != 0 {
                var slot = Int(hash) & mask
                while table[slot] != 0 { slot = (slot &+ 1) & mask }
                table[slot] = UInt32(truncatingIfNeeded: index + 1)
            }
            header.pointee.count = index + 1
        }
    }

    /// Adds a member, or replaces the value of the member with an equal key (which keeps its place).
    func insert(key: consuming String, hash: UInt32, value: consuming JSONValue) {
        let existing = index(of: key, hash: hash)
        if existing >= 0 {
            withMembers { $0[existing].value = value }
        } else {
            append(key: key, hash: hash, value: value)
        }
    }

    /// A copy with room for `capacity` members (at least `count`), leaving this buffer intact.
    func copy(capacity: Int) -> JSONObjectStorage {
        let copy = JSONObjectStorage.make(capacity: capacity)
        withParts { header, members, hashes, _ in
            for i in 0..<header.pointee.count { copy.append(key: members[i].key, hash: hashes[i], value: members[i].value) }
        }
        return copy
    }

    /// A buffer with room for `capacity` members that takes this one's members; this one is left empty.
    func moved(capacity: Int) -> JSONObjectStorage {
        let bigger = JSONObjectStorage.make(capacity: capacity)
        withParts { header, members, hashes, _ in
            for i in 0..<header.pointee.count {
                let member = (members + i).move()
                bigger.append(key: member.key, hash: hashes[i], value: member.value)
            }
            header.pointee.count = 0
            header.pointee.nonASCIIKeys = 0
        }
        return bigger
    }
}
