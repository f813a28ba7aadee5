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

extension JSONValue {
    /// Where the member `key` of the object at `value` is, or nil (not an object, or no such
    /// member). Nothing is copied or retained: the result points into the object's storage and is
    /// valid as long as the document that holds `value` is alive and unchanged. For walks over a
    /// document that read many paths (policy evaluation), where `object[key]` retained and
    /// released every object on the way.
    @inlinable
    public static func member(_ key: JSONObjectKey, in value: UnsafePointer<JSONValue>) -> UnsafePointer<JSONValue>? {
        guard case .object(let object) = value.pointee, object.storage != nil else { return nil }
        let storage = object.storage.unsafelyUnwrapped
        let index = storage.index(of: key.text, hash: key.hash)
        if index < 0 { return nil }
        return storage.withMembers { members in
            UnsafeRawPointer(members + index).advanced(by: JSONObject.valueOffset).assumingMemoryBound(to: JSONValue.self)
        }
    }
}

extension JSONValue {
    /// Calls `body` with where each member value of the object at `value` is, in document
    /// order, until it returns true; true if it did (false for anything but an object). Nothing
    /// is copied or retained; the pointers are valid as for `member(_:in:)`.
    @inlinable
    public static func firstMember(in value: UnsafePointer<JSONValue>, where body: (UnsafePointer<JSONValue>) -> Bool) -> Bool {
        guard case .object(let object) = value.pointee, object.storage != nil else { return false }
        let storage = object.storage.unsafelyUnwrapped
        let count = storage.count
        return storage.withMembers { members in
            for index in 0..<count {
                let place = UnsafeRawPointer(members + index).advanced(by: JSONObject.valueOffset).assumingMemoryBound(to: JSONValue.self)
                if body(place) { return true }
            }
            return false
        }
    }
}

extension JSONObject {
    /// The offset of `value` in an `Element` (after the key, aligned).
    @inlinable static var valueOffset: Int {
        (MemoryLayout<String>.size + MemoryLayout<JSONValue>.alignment - 1) & ~(MemoryLayout<JSONValue>.alignment - 1)
    }
}
