import Yams

extension Node {
    /// The key/value pairs of a mapping (in file order), or nil.
    var pairs: [(key: Node, value: Node)]? {
        guard case .mapping(let mapping) = self else { return nil }
        return Array(mapping)
    }

    /// The nodes of a sequence, or nil.
    var items: [Node]? {
        guard case .sequence(let sequence) = self else { return nil }
        return Array(sequence)
    }

    /// A scalar's text (whatever its resolved type), or nil.
    var scalarText: String? {
        guard case .scalar(let scalar) = self else { return nil }
        return scalar.string
    }

    /// The value of `key` in a mapping, with the key node (for its mark).
    func member(_ key: String) -> (key: Node, value: Node)? {
        pairs?.first { $0.key.scalarText == key }
    }

    /// True for `null`, `~` and an empty plain scalar.
    var isNullScalar: Bool {
        guard case .scalar = self else { return false }
        return tag.rawValue == Tag.Name.null.rawValue
    }

    /// A short name of the node's kind, for messages ("a list", "a map", "text").
    var kindName: String {
        switch self {
        case .mapping: "a map"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar: isNullScalar ? "null" : "a scalar"
        }
    }
}
