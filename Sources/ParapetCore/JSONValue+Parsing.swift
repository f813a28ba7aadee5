import Foundation

extension JSONValue {
    /// Parses one JSON document. Throws `JSONParseError` with the byte offset of the problem.
    public init(parsing data: Data) throws {
        self = try data.withUnsafeBytes { raw throws(JSONParseError) in
            try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self))
        }
    }

    public init(parsing text: String) throws {
        var text = text
        self = try text.withUTF8 { bytes throws(JSONParseError) in try JSONParser.parse(bytes) }
    }

    public init<Bytes: Collection>(parsingBytes bytes: Bytes) throws where Bytes.Element == UInt8 {
        if let parsed = try bytes.withContiguousStorageIfAvailable({ try JSONParser.parse($0) }) {
            self = parsed
        } else {
            self = try JSONParser.parse(Array(bytes))
        }
    }

    /// Compact JSON text with sorted keys (stable across runs).
    public func serialized() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        JSONValue.write(self, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The JSON text of a list of strings (as `JSONValue.array(strings.map(JSONValue.string)).serialized()`),
    /// without building the list of values: the store writes one per event.
    public static func serialized(strings: [String]) -> String {
        if strings.isEmpty { return "[]" }
        var out: [UInt8] = []
        out.reserveCapacity(strings.reduce(2) { $0 + $1.utf8.count + 3 })
        out.append(UInt8(ascii: "["))
        for (i, string) in strings.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeString(string, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: append("null", to: &out)
        case .bool(let b): append(b ? "true" : "false", to: &out)
        case .number(let n):
            if n.isFinite { out.append(contentsOf: format(n).utf8) } else { append("null", to: &out) }
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            var first = true
            for e in a {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(e, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in o.sorted(by: { $0.key < $1.key }) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` quoted, escaping `"`, `\\` and control characters; runs without escapes are copied whole.
    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hexDigits[Int(b >> 4)], hexDigits[Int(b & 0x0F)]])
                }
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A JSON syntax error with the byte offset where it was found.
public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public var offset: Int
    public var reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
