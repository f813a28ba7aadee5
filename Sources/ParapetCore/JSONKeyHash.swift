/// The hash `JSONObject` indexes its keys by: a multiply-rotate hash over the key's UTF-8, eight
/// bytes at a time (short keys in one or two overlapping loads), finished with MurmurHash3's
/// 64-bit mixer and truncated to 31 bits.
///
/// The seed is fixed (not per process): it is not a keyed hash, so a crafted document with many
/// colliding keys makes its own lookups linear. Documents are bounded by the reader's line limit
/// and come from cloud providers' audit feeds, so this is accepted; equality never depends on it.
///
/// Only pure-ASCII keys are hashed: two ASCII strings are equal exactly when their bytes are. A key
/// with any other byte gets `nonASCII` and is compared with `String ==` (canonical equivalence,
/// as `Dictionary<String, _>` does), because Unicode allows differently encoded equal strings.
@usableFromInline
enum JSONKeyHash {
    /// The hash of every key that is not pure ASCII (ASCII keys' hashes are below 2³¹).
    @inlinable static var nonASCII: UInt32 { .max }

    /// The hash of `key`'s UTF-8.
    @inlinable @inline(__always)
    static func of(_ key: String) -> UInt32 {
        if let hash = key.utf8.withContiguousStorageIfAvailable({ of(bytes: $0) }) { return hash }
        return ofCopy(key)
    }

    @usableFromInline
    static func ofCopy(_ key: String) -> UInt32 {
        var key = key
        return key.withUTF8 { of(bytes: $0) }
    }

    /// The hash of a key's UTF-8 bytes.
    @inlinable
    static func of(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return mix(0x243F_6A88_85A3_08D3, count: 0) }
        let raw = UnsafeRawPointer(base)
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        var seen: UInt64
        if count >= 8 {
            seen = 0
            var offset = 0
            while offset + 8 < count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                seen |= word
                hash = round(hash, word)
                offset += 8
            }
            // The last eight bytes, overlapping the previous word if the count is not a multiple of 8.
            let last = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            seen |= last
            hash = round(hash, last)
        } else if count >= 4 {
            let low = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            seen = low | high
            hash = round(hash, low | high << 32)
        } else {
            let word = UInt64(base[0]) | UInt64(base[count / 2]) << 8 | UInt64(base[count - 1]) << 16
            seen = word
            hash = round(hash, word)
        }
        if seen & 0x8080_8080_8080_8080 != 0 { return nonASCII }
        return mix(hash, count: count)
    }

    @inlinable @inline(__always)
    static func round(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return product << 29 | product >> 35
    }

    @inlinable @inline(__always)
    static func mix(_ hash: UInt64, count: Int) -> UInt32 {
        var hash = hash ^ UInt64(truncatingIfNeeded: count)
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return UInt32(truncatingIfNeeded: hash) & 0x7FFF_FFFF
    }
}
