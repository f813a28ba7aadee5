import Foundation

/// What a fake cloud endpoint answers.
public struct FakeResponse: Sendable {
    public var status: Int
    public var headers: [String: String] = [:]
    public var body: Data = Data()

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer.
    public static func json(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> FakeResponse {
        var headers = headers
        headers["Content-Type"] = "application/json"
        return FakeResponse(status: status, headers: headers, body: Data(text.utf8))
    }
}
