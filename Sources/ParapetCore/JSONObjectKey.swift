/// A member name hashed once, for a lookup repeated on many objects (a policy's field path, a
/// normaliser's field): `object[key]` then costs no hashing of the name.
public struct JSONObjectKey: Sendable, Hashable, CustomStringConvertible {
    /// The member name.
    public let text: String
    @usableFromInline let hash: UInt32

    public init(_ text: String) {
        self.text = text
        hash = JSONKeyHash.of(text)
    }

    public var description: String { text }
}

extension JSONObject {
    /// The value of the member named by `key`, or nil (the same as `self[key.text]`).
    @inlinable
    public subscript(key: JSONObjectKey) -> JSONValue? {
        if storage == nil { return nil }
        let index = storage.unsafelyUnwrapped.index(of: key.text, hash: key.hash)
        if index < 0 { return nil }
        return storage.unsafelyUnwrapped.withMembers { $0[index].value }
    }
}
