/// Short strings a parser has seen, so that the records of one feed, which repeat the same keys
/// and many of the same values (`eventSource`, `us-east-1`, `AwsApiCall`), share one `String` each
/// instead of checking and allocating it again per record.
///
/// A direct-mapped cache: each string hashes to one slot, and a newcomer replaces the slot's string.
/// Memory is fixed (`slotCount` strings of at most `maxLength` bytes).
struct JSONStringTable {
    static let maxLength = 32
    static let slotBits = 12
    static var slotCount: Int { 1 << slotBits }

    /// Per slot, the length of its bytes + 1 (0: empty).
    private var lengths: [UInt8]
    /// Per slot, `maxLength` bytes.
    private var arena: [UInt8]
    private var strings: [String]

    init() {
        lengths = Array(repeating: 0, count: Self.slotCount)
        arena = Array(repeating: 0, count: Self.slotCount * Self.maxLength)
        strings = Array(repeating: "", count: Self.slotCount)
    }

    private init(lengths: [UInt8], arena: [UInt8], strings: [String]) {
        self.lengths = lengths
        self.arena = arena
        self.strings = strings
    }

    /// A table that holds nothing and allocates nothing (a placeholder while the table is lent out).
    static var empty: JSONStringTable { JSONStringTable(lengths: [], arena: [], strings: []) }

    /// The string of `text` (at most `maxLength` bytes), from the table when it holds it.
    mutating func string(for text: UnsafeBufferPointer<UInt8>) -> String {
        let count = text.count
        if count == 0 { return "" }
        let slot = Self.slot(of: text)
        let offset = slot * Self.maxLength
        if Int(lengths[slot]) == count + 1 {
            let same = arena.withUnsafeBufferPointer { arena in
                memoryEqual(arena.baseAddress! + offset, text.baseAddress!, count)
            }
            if same { return strings[slot] }
        }
        let string = String(decoding: text, as: UTF8.self)
        arena.withUnsafeMutableBufferPointer { arena in
            (arena.baseAddress! + offset).update(from: text.baseAddress!, count: count)
        }
        lengths[slot] = UInt8(count + 1)
        strings[slot] = string
        return string
    }

    /// A hash of the length and the first and last eight bytes, reduced to a slot.
    private static func slot(of text: UnsafeBufferPointer<UInt8>) -> Int {
        let count = text.count
        var hash = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
        if count >= 8 {
            let raw = UnsafeRawPointer(text.baseAddress!)
            hash ^= raw.loadUnaligned(as: UInt64.self)
            hash = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else {
            for byte in text { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        hash = (hash ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: hash >> UInt64(64 - slotBits))
    }

    private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
