import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ParapetCore

/// A webhook receiver for end-to-end tests: a Hummingbird server on 127.0.0.1 that checks the
/// Standard Webhooks signature of every POST (any path), records it, and answers as its script
/// says (accept, fail with 500 or 429 + Retry-After, stall, refuse with 400). A request whose
/// signature does not verify is recorded and answered 401, as a real receiver would.
///
/// The server runs only inside `serve(port:_:)`, so "receiver down" is the time outside it.
public actor WebhookReceiver {
    /// The shared secret in its `whsec_` form (write it to the daemon's `secret_file`).
    public nonisolated let secret: String
    private let check: StandardWebhooksCheck
    private var script: WebhookScript
    public private(set) var requests: [ReceivedWebhook] = []
    private var attemptsByID: [String: Int] = [:]

    public init(secret: String = StandardWebhooksCheck.makeSecret(), script: @escaping WebhookScript = WebhookScripts.always(.accept)) throws {
        self.secret = secret
        self.check = try StandardWebhooksCheck(secret: secret)
        self.script = script
    }

    /// Changes how later requests are answered.
    public func setScript(_ script: @escaping WebhookScript) {
        self.script = script
    }

    /// Verified requests answered 2xx, in arrival order.
    public var accepted: [ReceivedWebhook] { requests.filter(\.accepted) }

    /// How many requests carried this webhook id.
    public func attempts(for webhookID: String) -> Int { attemptsByID[webhookID] ?? 0 }

    /// How many times each webhook id was accepted (processed).
    public var acceptedCountByID: [String: Int] {
        accepted.reduce(into: [:]) { counts, request in counts[request.webhookID, default: 0] += 1 }
    }

    /// Records the request and decides the answer (the stall happens outside the actor).
    func receive(path: String, headers: HTTPFields, body: Data) -> WebhookReaction {
        let id = headers[HTTPField.Name("webhook-id")!] ?? ""
        let timestamp = headers[HTTPField.Name("webhook-timestamp")!] ?? ""
        let error = check.failure(
            id: id, timestamp: timestamp, signatures: headers[HTTPField.Name("webhook-signature")!], body: body)
        let json = try? JSONValue(parsing: body)
        let number = (attemptsByID[id] ?? 0) + 1
        attemptsByID[id] = number
        let reaction = error == nil
            ? script(WebhookAttempt(path: path, webhookID: id, number: number, type: json?["type"]?.stringValue))
            : WebhookReaction(status: 401)
        requests.append(ReceivedWebhook(
            path: path, webhookID: id, timestamp: timestamp, signatureError: error, body: body, json: json,
            attempt: number, status: reaction.status, receivedAt: Date()))
        return reaction
    }

    /// Runs the server on 127.0.0.1:`port` (0: the kernel picks) while `body` runs, with the
    /// server's base URL (`http://127.0.0.1:PORT`); stops it afterwards, even when `body` throws.
    public nonisolated func serve<T: Sendable>(port: Int = 0, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.post("**") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 8 << 20)
            let reaction = await self.receive(path: request.uri.path, headers: request.headers, body: Data(buffer.readableBytesView))
            if reaction.delay > .zero { try? await Task.sleep(for: reaction.delay) }
            var headers = HTTPFields()
            if let retryAfter = reaction.retryAfter { headers[.retryAfter] = String(retryAfter) }
            return Response(status: .init(code: reaction.status), headers: headers)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "parapet.testing.webhook-receiver")
        logger.logLevel = .critical  // cancelling the server at the end of a test logs errors otherwise
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                do {
                    try await app.run()
                } catch {
                    continuation.finish()
                    throw error
                }
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next(), bound > 0 else {
                group.cancelAll()
                throw ReceiverStartError(port: port)
            }
            do {
                let result = try await body(URL(string: "http://127.0.0.1:\(bound)")!)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// The receiver's server did not start (the port is taken?).
public struct ReceiverStartError: Error, CustomStringConvertible {
    public var port: Int
    public var description: String { "the test webhook receiver could not listen on 127.0.0.1:\(port) (is the port taken?)" }
}
