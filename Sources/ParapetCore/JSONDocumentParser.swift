/// Parses a series of JSON documents (the lines of a file, the pages of a feed), keeping its
/// buffers between documents and interning the short strings records of one feed repeat (keys,
/// regions, event names). Use one per reader; it is not shared between tasks.
public struct JSONDocumentParser {
    private var members: [(String, JSONValue)] = []
    private var elements: [JSONValue] = []
    private var unescaped: [UInt8] = []
    private var strings = JSONStringTable()

    public init() {}

    /// Parses one document. Throws `JSONParseError` with the byte offset of the problem.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        swap(&parser.members, &members)
        swap(&parser.elements, &elements)
        swap(&parser.unescaped, &unescaped)
        parser.strings = strings
        strings = JSONStringTable.empty
        defer {
            swap(&parser.members, &members)
            swap(&parser.elements, &elements)
            swap(&parser.unescaped, &unescaped)
            strings = parser.strings!
            members.removeAll(keepingCapacity: true)
            elements.removeAll(keepingCapacity: true)
        }
        return try parser.parseDocument()
    }

    /// Parses one document held in `bytes`.
    public mutating func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer) }
    }
}
