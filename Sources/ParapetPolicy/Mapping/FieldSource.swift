import ParapetCore

/// Where a rule's field is read from in a record: a path, or a value derived from paths
/// (the Azure resource provider, which Event Hub records only carry inside `operationName`).
enum FieldSource: Sendable, Hashable, CustomStringConvertible {
    case path(FieldPath)
    /// The namespace before the first `/` of the values at these paths.
    case providerNamespace([FieldPath])

    var description: String {
        switch self {
        case .path(let p): p.text
        case .providerNamespace(let paths): "provider namespace of " + paths.map(\.text).joined(separator: ", ")
        }
    }

    @discardableResult
    func first(in root: JSONValue, where body: (JSONValue) -> Bool) -> Bool {
        switch self {
        case .path(let path):
            return path.first(in: root, where: body)
        case .providerNamespace(let paths):
            for path in paths {
                let found = path.first(in: root) { value in
                    guard let text = value.stringValue, let slash = text.firstIndex(of: "/") else { return false }
                    return body(.string(String(text[..<slash])))
                }
                if found { return true }
            }
            return false
        }
    }

    func exists(in root: JSONValue) -> Bool {
        first(in: root) { _ in true }
    }

    /// As `first(in:where:)`, reading paths through the event's cache.
    @discardableResult
    func first(in fields: EventFields, where body: (JSONValue) -> Bool) -> Bool {
        switch self {
        case .path(let path):
            return fields.first(path, where: body)
        case .providerNamespace(let paths):
            for path in paths {
                let found = fields.first(path) { value in
                    guard let text = value.stringValue, let slash = text.firstIndex(of: "/") else { return false }
                    return body(.string(String(text[..<slash])))
                }
                if found { return true }
            }
            return false
        }
    }

    func exists(in fields: EventFields) -> Bool {
        first(in: fields) { _ in true }
    }
}

extension [FieldSource] {
    /// The paths, when every source is a plain path; nil when one is a provider namespace.
    var plainPaths: [FieldPath]? {
        var paths: [FieldPath] = []
        for source in self {
            guard case .path(let path) = source else { return nil }
            paths.append(path)
        }
        return paths
    }
}
