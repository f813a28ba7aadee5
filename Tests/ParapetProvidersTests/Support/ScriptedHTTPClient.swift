import Foundation
import ParapetCore

/// An HTTPClient that answers from a function of the request and records what it was sent.
actor ScriptedHTTPClient: HTTPClient {
    private let respond: @Sendable (ParapetCore.HTTPRequest) throws -> ParapetCore.HTTPResponse
    private(set) var sent: [ParapetCore.HTTPRequest] = []

    init(_ respond: @escaping @Sendable (ParapetCore.HTTPRequest) throws -> ParapetCore.HTTPResponse) {
        self.respond = respond
    }

    func send(_ request: ParapetCore.HTTPRequest) async throws -> ParapetCore.HTTPResponse {
        sent.append(request)
        return try respond(request)
    }

    /// The JSON bodies sent, parsed.
    func sentJSON() -> [JSONValue] { sent.compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } } }
}
