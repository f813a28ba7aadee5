import Foundation
import ParapetCore

/// A dotted field path compiled for lookups without allocation. It walks objects by the
/// longest-or-shortest key that matches (so a key that itself contains dots is found), fans out
/// over arrays on the way (`authorizationInfo.permission` reaches every element), and delivers
/// the elements of a list-valued field one by one.
final class FieldPath: Sendable, Hashable, CustomStringConvertible {
    let text: String
    /// The segments, each hashed once for lookups.
    private let segments: [JSONObjectKey]
    /// `joined[i][k]` = segments[i...i+k] joined with dots.
    private let joined: [[JSONObjectKey]]
    /// The same number for every path with this text, process-wide: where `EventFields` keeps
    /// the path's values.
    let slot: Int
    /// The normalised field this path names, read from the event without building a document.
    let normalizedField: NormalizedField?

    init(_ text: String) {
        self.text = text
        slot = FieldPath.slots.number(for: text)
        normalizedField = NormalizedField(rawValue: text)
        let names = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        segments = names.map(JSONObjectKey.init)
        var joined: [[JSONObjectKey]] = []
        for i in names.indices {
            var row: [JSONObjectKey] = []
            var current = ""
            for j in i..<names.count {
                current = j == i ? names[j] : current + "." + names[j]
                row.append(JSONObjectKey(current))
            }
            joined.append(row)
        }
        self.joined = joined
    }

    var description: String { text }

    /// How many slot numbers have been handed out so far.
    static var slotCount: Int { slots.count }
    private static let slots = SlotNumbers()

    static func == (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.text == rhs.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// Calls `body` with each value at this path until it returns true; true if it did.
    /// `dottedKeys` false promises that no object key in `root` contains a dot, so only the
    /// plain split of the path is looked up.
    @discardableResult
    func first(in root: JSONValue, dottedKeys: Bool = true, where body: (JSONValue) -> Bool) -> Bool {
        withUnsafePointer(to: root) { root in first(at: root, dottedKeys: dottedKeys) { body($0.pointee) } }
    }

    /// `first(in:)` on the document at `root`, calling `body` with where each value is: the
    /// walk copies and retains nothing (the pointers are valid while the document is).
    @discardableResult
    func first(at root: UnsafePointer<JSONValue>, dottedKeys: Bool, where body: (UnsafePointer<JSONValue>) -> Bool) -> Bool {
        dottedKeys ? visit(root, 0, body) : visitPlain(root, 0, body)
    }

    /// True when the path reaches anything, `null` included.
    func exists(in root: JSONValue) -> Bool {
        withUnsafePointer(to: root) { root in visit(root, 0) { _ in true } }
    }

    private func visit(_ value: UnsafePointer<JSONValue>, _ index: Int, _ body: (UnsafePointer<JSONValue>) -> Bool) -> Bool {
        if index == segments.count { return FieldPath.deliver(value, body) }
        switch value.pointee {
        case .object:
            let row = joined[index]
            for length in 0..<row.count {
                if let child = JSONValue.member(row[length], in: value), visit(child, index + length + 1, body) { return true }
            }
            return false
        case .array(let elements):
            return FieldPath.anyElement(of: elements) { visit($0, index, body) }
        default:
            return false
        }
    }

    /// `visit` for documents without dotted keys: one lookup per segment, in a loop (only a list
    /// on the way recurses, once per element).
    private func visitPlain(_ value: UnsafePointer<JSONValue>, _ index: Int, _ body: (UnsafePointer<JSONValue>) -> Bool) -> Bool {
        var current = value
        var index = index
        while index < segments.count {
            if let child = JSONValue.member(segments[index], in: current) {
                current = child
                index += 1
                continue
            }
            guard case .array(let elements) = current.pointee else { return false }
            return FieldPath.anyElement(of: elements) { visitPlain($0, index, body) }
        }
        return FieldPath.deliver(current, body)
    }

    /// True when `test` holds for some element of `elements`, given where the element is.
    private static func anyElement(of elements: [JSONValue], _ test: (UnsafePointer<JSONValue>) -> Bool) -> Bool {
        elements.withUnsafeBufferPointer { elements in
            for i in elements.indices where test(elements.baseAddress! + i) { return true }
            return false
        }
    }

    private static func deliver(_ value: UnsafePointer<JSONValue>, _ body: (UnsafePointer<JSONValue>) -> Bool) -> Bool {
        if case .array(let elements) = value.pointee, !elements.isEmpty {
            return anyElement(of: elements) { deliver($0, body) }
        }
        return body(value)
    }
}

/// Numbers path texts densely, once each, from any thread (paths are created at load time).
private final class SlotNumbers: @unchecked Sendable {
    private let lock = NSLock()
    private var numbers: [String: Int] = [:]

    var count: Int { lock.withLock { numbers.count } }

    func number(for text: String) -> Int {
        lock.withLock {
            if let number = numbers[text] { return number }
            let number = numbers.count
            numbers[text] = number
            return number
        }
    }
}
