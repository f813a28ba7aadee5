import Foundation

/// Opaque page tokens that remember the query they belong to.
enum FakePageToken {
    static func encode(offset: Int, query: String) -> String {
        Data("\(offset)\n\(query)".utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> (offset: Int, query: String)? {
        guard let data = Data(base64Encoded: token) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let newline = text.firstIndex(of: "\n"), let offset = Int(text[..<newline]) else { return nil }
        return (offset, String(text[text.index(after: newline)...]))
    }
}
