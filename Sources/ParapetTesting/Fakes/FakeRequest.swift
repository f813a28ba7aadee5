import Foundation

/// A request as a fake cloud endpoint sees it (header names lower-cased, query decoded).
public struct FakeRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var rawQuery: String?
    public var headers: [String: String]
    public var body: Data

    /// The value of header `name` (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
