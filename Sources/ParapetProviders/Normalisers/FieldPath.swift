/// A dotted path into a record (`userIdentity.sessionContext.sessionIssuer.arn`), split once.
/// Normalisers keep their paths as static constants, so that reading a field costs one
/// dictionary lookup per segment and no string work.
struct FieldPath: Sendable {
    /// The path as written, for error messages.
    let text: String
    /// The segments before the last one (the object holding the field), and their dotted text.
    let parents: [String]
    let parentText: String
    /// The last segment.
    let key: String

    init(_ text: String) {
        self.text = text
        var segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        key = segments.removeLast()
        parents = segments
        parentText = segments.joined(separator: ".")
    }
}
