/// Experiment: a flat parse of one JSON document into a tape of 64-bit entries (kind in the top
/// byte, offset or link below), as simdjson's tape: no allocation per value, containers link to
/// their end. Strings are byte ranges of the line (escapes flagged, decoded on demand).
struct TapeParser {
    var tape: [UInt64] = []
    var bytes: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
    var index = 0
    var stack: [Int] = []

    enum Kind: UInt64 { case object = 1, objectEnd, array, arrayEnd, string, escapedString, number, t, f, null }
    struct Failure: Error {}

    @inline(__always) mutating func emit(_ kind: Kind, _ payload: Int) {
        tape.append(kind.rawValue << 56 | UInt64(payload))
    }

    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) {
        bytes = line
        index = 0
        tape.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        // whole-line UTF-8 check, ASCII fast path
        let raw = UnsafeRawPointer(line.baseAddress!)
        var i = 0
        var ascii = true
        while i + 8 <= line.count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { ascii = false; break }
            i += 8
        }
        if !ascii { guard String(validating: line, as: UTF8.self) != nil else { throw Failure() } }
        skip()
        try value()
        skip()
        guard index == bytes.count else { throw Failure() }
    }

    @inline(__always) mutating func skip() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func value() throws(Failure) {
        guard index < bytes.count else { throw Failure() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            let open = tape.count
            emit(.object, 0)
            index += 1
            skip()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skip()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Failure() }
                    try string()
                    skip()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure() }
                    index += 1
                    skip()
                    try value()
                    skip()
                    guard index < bytes.count else { throw Failure() }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                    throw Failure()
                }
            }
            tape[open] = Kind.object.rawValue << 56 | UInt64(tape.count + 1)
            emit(.objectEnd, open)
        case UInt8(ascii: "["):
            let open = tape.count
            emit(.array, 0)
            index += 1
            skip()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
            } else {
                while true {
                    skip()
                    try value()
                    skip()
                    guard index < bytes.count else { throw Failure() }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; break }
                    throw Failure()
                }
            }
            tape[open] = Kind.array.rawValue << 56 | UInt64(tape.count + 1)
            emit(.arrayEnd, open)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): index += 4; emit(.t, 0)
        case UInt8(ascii: "f"): index += 5; emit(.f, 0)
        case UInt8(ascii: "n"): index += 4; emit(.null, 0)
        default:
            let start = index
            while index < bytes.count {
                let b = bytes[index]
                if (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2B || b == 0x2E || b == 0x65 || b == 0x45 { index += 1 } else { break }
            }
            guard index > start else { throw Failure() }
            emit(.number, start << 24 | (index - start))
        }
    }

    mutating func string() throws(Failure) {
        index += 1
        let start = index
        var escaped = false
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & high != 0 { break }
            index += 8
        }
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                emit(escaped ? .escapedString : .string, start << 24 | (index - start))
                index += 1
                return
            }
            if b == 0x5C { escaped = true; index += 2; continue }
            if b < 0x20 { throw Failure() }
            index += 1
        }
        throw Failure()
    }
}
