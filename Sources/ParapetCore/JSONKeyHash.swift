/// The hash `JSONObject` indexes its keys by: a fast multiply-rotate hash over the key's UTF-8,
/// eight bytes at a time, finished with MurmurHash3's 64-bit mixer, truncated to 31 bits.
///
/// The seed is fixed (not per process): keys are not cryptographically protected, so a crafted
/// document with many colliding keys makes its own lookups linear. Documents are bounded by the
/// reader's line limit and come from cloud providers' audit feeds, so this is accepted; equality
/// never depends on the hash.
///
/// Only pure-ASCII keys are hashed: two ASCII strings are equal exactly when their bytes are. A key
/// with any other byte gets `nonASCII` and is compared with `String ==` (canonical equivalence,
/// as `Dictionary<String, _>` does), because Unicode allows differently encoded equal strings.
enum JSONKeyHash {
    /// The hash of every key that is not pure ASCII (ASCII keys' hashes are below 2³¹).
    static let nonASCII: UInt32 = .max

    /// The hash of `key`'s UTF-8.
    @inline(__always)
    static func of(_ key: String) -> UInt32 {
        if let hash = key.utf8.withContiguousStorageIfAvailable({ of(bytes: $0) }) { return hash }
        var key = key
        return key.withUTF8 { of(bytes: $0) }
    }

    /// The hash of a key's UTF-8 bytes.
    static func of(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        var seen: UInt64 = 0
        let count = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            var offset = 0
            while offset + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                seen |= word
                hash = ((hash ^ word) &* multiplier).rotated(left: 29)
                offset += 8
            }
            if offset < count {
                var word: UInt64 = 0
                var shift: UInt64 = 0
                while offset < count {
                    word |= UInt64(base[offset]) << shift
                    shift += 8
                    offset += 1
                }
                seen |= word
                hash = ((hash ^ word) &* multiplier).rotated(left: 29)
            }
        }
        if seen & 0x8080_8080_8080_8080 != 0 { return nonASCII }
        hash ^= UInt64(count)
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return UInt32(truncatingIfNeeded: hash) & 0x7FFF_FFFF
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotated(left bits: UInt64) -> UInt64 { self << bits | self >> (64 - bits) }
}
