import ParapetCore

/// A dotted path into a record (`userIdentity.sessionContext.sessionIssuer.arn`), split once.
/// Normalisers keep their paths as static constants, so that reading a field costs one
/// dictionary lookup per segment and no string work.
struct FieldPath: Sendable {
    /// The path as written, for error messages.
    let text: String
    /// The segments before the last one (the object holding the field), and their dotted text.
    let parents: [JSONObjectKey]
    let parentText: String
    /// The last segment.
    let key: JSONObjectKey

    init(_ text: String) {
        self.text = text
        var segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        key = JSONObjectKey(segments.removeLast())
        parents = segments.map(JSONObjectKey.init)
        parentText = segments.joined(separator: ".")
    }
}
