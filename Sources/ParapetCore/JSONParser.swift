/// A small, strict RFC 8259 parser over UTF-8 bytes (Foundation's JSONSerialization is slow on Linux).
///
/// Objects and arrays gather their members on one flat stack each (nested containers finish before
/// their parent goes on), so every object and array is allocated once at its final size. Object keys
/// are hashed (`JSONKeyHash`) from the bytes read, for the object's index.
/// Strings are scanned eight bytes at a time. (Interning repeated short strings was tried and
/// measured: no gain, as most keys are small strings that need no allocation.)
struct JSONParser {
    /// The document; valid for the parser's lifetime (see `JSONDocumentParser.parse`).
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    let members: JSONMemberStack
    var elements: [JSONValue] = []
    /// The decoded bytes of a string with escapes.
    var unescaped: [UInt8] = []
    /// Whether some object key read so far contains a `.`.
    var sawDottedKey = false

    init(bytes: UnsafeBufferPointer<UInt8>, members: JSONMemberStack = JSONMemberStack()) {
        self.bytes = bytes
        self.members = members
    }

    /// Parses one document held in `bytes`, without interning.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer) }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        // Skip a UTF-8 byte order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected data after the JSON value") }
        return value
    }

    func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(Character(UnicodeScalar(bytes[index])))'")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for i in 0..<count where bytes[index + i] != start[i] {
            throw error("invalid literal")
        }
        index += count
    }

    /// Steps past the opening bracket of an object or array and the whitespace after it (the
    /// caller counts the nesting in `depth`); true when `closing` follows at once, consumed: the
    /// container is empty.
    @inline(__always)
    mutating func openContainer(closing: UInt8) throws(JSONParseError) -> Bool {
        guard depth < 512 else { throw error("nesting too deep") }
        index += 1
        skipWhitespace()
        guard index < bytes.count, bytes[index] == closing else { return false }
        index += 1
        return true
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if try openContainer(closing: UInt8(ascii: "}")) { return .object(JSONObject()) }
        let base = members.count
        defer { members.truncate(to: base) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let (key, hash) = try parseKey()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.push(key: key, hash: hash, value: value)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                // A repeated key keeps its last value (at its first place).
                return .object(members.popObject(from: base))
            }
            throw error("expected ',' or '}'")
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if try openContainer(closing: UInt8(ascii: "]")) { return .array([]) }
        let base = elements.count
        defer { elements.removeSubrange(base...) }
        while true {
            skipWhitespace()
            let element = try parseValue()
            elements.append(element)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(Array(elements[base...])) }
            throw error("expected ',' or ']'")
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        var isInteger = true
        var sawDigit = false
        while index < bytes.count {
            let b = bytes[index]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                sawDigit = true
                index += 1
            } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || b == UInt8(ascii: "+") || (b == UInt8(ascii: "-") && index > start)
            {
                isInteger = false
                index += 1
            } else {
                break
            }
        }
        guard sawDigit else { throw error("invalid number") }
        let digitsStart = negative ? start + 1 : start
        if isInteger, index - digitsStart <= 18 {
            // Up to 18 digits fit an Int64: no text, no strtod.
            var magnitude: Int64 = 0
            for i in digitsStart..<index { magnitude = magnitude * 10 + Int64(bytes[i] &- UInt8(ascii: "0")) }
            return .number(Double(negative ? -magnitude : magnitude))
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let i = Int64(text) { return .number(Double(i)) }
        guard let d = Double(text) else { throw JSONParseError(offset: start, reason: "invalid number '\(text)'") }
        return .number(d)
    }
}
