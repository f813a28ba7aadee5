/// A read-only map from lowercased text to a list of policy positions, looked up with the
/// event's text as it is: ASCII capitals are folded while hashing and comparing, so a lookup
/// allocates nothing (only text with non-ASCII bytes is lowercased first, as `lowercased()`).
/// Open addressing over one byte arena; built once per policy set.
struct FoldedKeyTable: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var start: Int
        var count: Int
        var policies: [Int]
    }

    private var slots: [Int32]
    private var entries: [Entry] = []
    private var bytes: [UInt8] = []
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
            entries.append(Entry(hash: hash, start: bytes.count, count: utf8.count, policies: policies))
            bytes += utf8
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entries.count - 1)
        }
    }

    /// The policies under `text`, compared case-insensitively; nil when none.
    func policies(for text: String) -> [Int]? {
        if entries.isEmpty { return nil }
        if let found = text.utf8.withContiguousStorageIfAvailable({ lookup($0) }) { return found }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { lookup($0) }
    }

    /// `policies(for:)` on text given as its UTF-8 bytes.
    func policies(utf8 text: UnsafeBufferPointer<UInt8>) -> [Int]? {
        entries.isEmpty ? nil : lookup(text)
    }

    private func lookup(_ key: UnsafeBufferPointer<UInt8>) -> [Int]? {
        if key.contains(where: { $0 >= 0x80 }) {
            let lowered = Array(String(decoding: key, as: UTF8.self).lowercased().utf8)
            return lowered.withUnsafeBufferPointer { probe($0) }
        }
        return probe(key)
    }

    private func probe(_ key: UnsafeBufferPointer<UInt8>) -> [Int]? {
        let hash = FoldedKeyTable.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let entry = entries[index]
            if entry.hash == hash, entry.count == key.count, equalFolded(key, at: entry.start) {
                return entry.policies
            }
            slot = (slot + 1) & mask
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
