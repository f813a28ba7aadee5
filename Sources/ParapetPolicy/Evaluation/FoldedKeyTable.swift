/// A read-only map from lowercased text to a list of policy positions, looked up with the
/// event's text as it is: ASCII capitals are folded while hashing and comparing, so a lookup
/// allocates nothing (only text with non-ASCII bytes is lowercased first, as `lowercased()`).
/// Open addressing over one byte arena; built once per policy set.
struct FoldedKeyTable: Sendable {
    /// One text: its bytes in `bytes` and its policies in `positions` (ranges, so that a lookup
    /// reads plain integers and retains nothing).
    private struct Entry: Sendable {
        var hash: UInt64
        var start: Int
        var count: Int
        var firstPosition: Int
        var positionCount: Int
    }

    private var slots: [Int32]
    private var entries: [Entry] = []
    private var bytes: [UInt8] = []
    private var positions: [Int] = []
    private let mask: Int

    /// `values`: lowercased text → policy positions.
    init(_ values: [String: [Int]]) {
        var capacity = 8
        while capacity < values.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = Array(repeating: -1, count: capacity)
        for (text, policies) in values.sorted(by: { $0.key < $1.key }) {
            let utf8 = Array(text.utf8)
            let hash = utf8.withUnsafeBufferPointer { FoldedKeyTable.hash($0) }
            entries.append(Entry(hash: hash, start: bytes.count, count: utf8.count,
                                 firstPosition: positions.count, positionCount: policies.count))
            bytes += utf8
            positions += policies
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entries.count - 1)
        }
    }

    /// The policies under `text`, compared case-insensitively; nil when none.
    func policies(for text: String) -> [Int]? {
        var found: [Int] = []
        let hit = text.utf8.withContiguousStorageIfAvailable { forEachPolicy(utf8: $0) { found.append($0) } }
            ?? Array(text.utf8).withUnsafeBufferPointer { forEachPolicy(utf8: $0) { found.append($0) } }
        return hit ? found : nil
    }

    /// Calls `body` with each policy under the text given as its UTF-8 bytes (compared
    /// case-insensitively); false when there is none.
    @inline(__always)
    func forEachPolicy(utf8 text: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) -> Bool {
        if entries.isEmpty { return false }
        let entry: Int
        if text.contains(where: { $0 >= 0x80 }) {
            let lowered = Array(String(decoding: text, as: UTF8.self).lowercased().utf8)
            entry = lowered.withUnsafeBufferPointer { probe($0) }
        } else {
            entry = probe(text)
        }
        if entry < 0 { return false }
        entries.withUnsafeBufferPointer { entries in
            positions.withUnsafeBufferPointer { positions in
                let first = entries[entry].firstPosition
                for i in first..<first + entries[entry].positionCount { body(positions[i]) }
            }
        }
        return true
    }

    /// The entry under `key`, compared case-insensitively; -1 when none.
    private func probe(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let hash = FoldedKeyTable.hash(key)
        return entries.withUnsafeBufferPointer { entries in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let index = Int(slots[slot])
                if index < 0 { return -1 }
                if entries[index].hash == hash, entries[index].count == key.count, equalFolded(key, at: entries[index].start) {
                    return index
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private func equalFolded(_ key: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { stored in
            for i in 0..<key.count where Bytes.fold(key[i], true) != stored[start + i] { return false }
            return true
        }
    }

    /// FNV-1a over the ASCII-folded bytes.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = (hash ^ UInt64(Bytes.fold(byte, true))) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
