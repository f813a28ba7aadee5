/// Parses a series of JSON documents (the lines of a file), keeping its scratch buffers between
/// documents. Use one per reader; it is not shared between tasks.
public struct JSONDocumentParser {
    private var members = JSONMemberStack()
    private var elements: [JSONValue] = []
    private var unescaped: [UInt8] = []

    /// Whether some object key of the last document parsed contains a `.` (field paths then
    /// also try dotted keys such as `labels."k8s.io/x"`; see `AuditEvent.rawHasDottedKeys`).
    public private(set) var lastDocumentHasDottedKeys = true

    public init() {}

    /// Parses one document. Throws `JSONParseError` with the byte offset of the problem.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        // A copy of this parser shares the stack object; give this one its own.
        if !isKnownUniquelyReferenced(&members) { members = JSONMemberStack() }
        var parser = JSONParser(bytes: bytes, members: members)
        swap(&parser.elements, &elements)
        swap(&parser.unescaped, &unescaped)
        defer {
            swap(&parser.elements, &elements)
            swap(&parser.unescaped, &unescaped)
            members.truncate(to: 0)
            elements.removeAll(keepingCapacity: true)
        }
        lastDocumentHasDottedKeys = true
        let value = try parser.parseDocument()
        lastDocumentHasDottedKeys = parser.sawDottedKey
        return value
    }

    /// Parses one document held in `bytes`.
    public mutating func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer) }
    }
}
