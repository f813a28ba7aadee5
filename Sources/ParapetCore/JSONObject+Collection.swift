extension JSONObject: RandomAccessCollection {
    /// A member: its key and value.
    public typealias Element = (key: String, value: JSONValue)

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage == nil ? 0 : storage.unsafelyUnwrapped.count }

    /// The member at `position` (document order).
    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < endIndex, "JSONObject index out of range")
        return storage.unsafelyUnwrapped.withMembers { $0[position] }
    }

    /// Iterates the members without going through indices.
    public struct Iterator: IteratorProtocol {
        /// Keeps the members alive while `members` points at them.
        @usableFromInline let storage: JSONObjectStorage?
        @usableFromInline let members: UnsafeMutablePointer<Element>?
        @usableFromInline let count: Int
        @usableFromInline var index = 0

        @inlinable
        init(_ storage: JSONObjectStorage?) {
            self.storage = storage
            members = storage?.withMembers { $0 }
            count = storage?.count ?? 0
        }

        @inlinable
        public mutating func next() -> Element? {
            guard index < count else { return nil }
            defer { index &+= 1 }
            return members.unsafelyUnwrapped[index]
        }
    }

    @inlinable public func makeIterator() -> Iterator { Iterator(storage) }

    /// The keys in document order.
    @inlinable public var keys: LazyMapCollection<JSONObject, String> { lazy.map { $0.key } }

    /// The values in document order.
    @inlinable public var values: LazyMapCollection<JSONObject, JSONValue> { lazy.map { $0.value } }

    /// The members as a `Dictionary`, for callers that need one.
    public var dictionary: [String: JSONValue] {
        var dictionary: [String: JSONValue] = [:]
        dictionary.reserveCapacity(count)
        for (key, value) in self { dictionary[key] = value }
        return dictionary
    }

    /// The object with every value transformed, keys and order kept.
    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var mapped = JSONObject(minimumCapacity: count)
        for (key, value) in self { mapped[key] = try transform(value) }
        return mapped
    }
}

extension JSONObject: Hashable {
    /// Same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        if lhs.storage === rhs.storage { return true }
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    /// Independent of the order of the members, like `Dictionary`'s.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in self {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            combined ^= member.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// The pairs in order; unlike a `Dictionary` literal, a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(uniquing: elements)
    }
}

extension JSONObject: Codable {
    /// Decodes a keyed object exactly as `[String: JSONValue]` does.
    public init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: JSONValue].self))
    }

    /// Encodes as `[String: JSONValue]` does, through a single-value container (so encoder options
    /// such as `.sortedKeys`, and the encoders' special handling of string-keyed dictionaries under
    /// key strategies, apply the same way).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dictionary)
    }
}

extension JSONObject: CustomStringConvertible, CustomDebugStringConvertible {
    /// `["key": value, …]` in document order, as a `Dictionary` prints.
    public var description: String {
        if isEmpty { return "[:]" }
        var text = "["
        for (offset, member) in enumerated() {
            if offset > 0 { text += ", " }
            debugPrint(member.key, terminator: "", to: &text)
            text += ": "
            debugPrint(member.value, terminator: "", to: &text)
        }
        return text + "]"
    }

    public var debugDescription: String { description }
}
