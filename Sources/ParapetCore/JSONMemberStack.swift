/// The parser's stack of object members read so far (nested objects finish before their parent
/// goes on). Finished objects move their members out, so keys and values are neither copied nor
/// released on the way into a `JSONObject`.
final class JSONMemberStack {
    private var base: UnsafeMutablePointer<JSONParsedMember>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func push(key: consuming String, hash: UInt32, value: consuming JSONValue) {
        if count == capacity { grow() }
        (base + count).initialize(to: JSONParsedMember(key: key, hash: hash, value: value))
        count += 1
    }

    /// The members from `start` on as one object; they leave the stack.
    func popObject(from start: Int) -> JSONObject {
        let object = JSONObject(moving: base + start, count: count - start)
        count = start
        return object
    }

    /// Drops the members from `start` on (an object that failed to parse).
    func truncate(to start: Int) {
        guard start < count else { return }
        (base + start).deinitialize(count: count - start)
        count = start
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<JSONParsedMember>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}

/// A member as the parser collects it: the key's hash is taken from the bytes it already has.
struct JSONParsedMember {
    var key: String
    var hash: UInt32
    var value: JSONValue
}
