import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One request as the receiver saw it (header names lower-cased).
struct ReceivedRequest: Sendable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: Data
}

/// Everything a receiver was sent, in order.
actor Inbox {
    private(set) var requests: [ReceivedRequest] = []

    /// Records a request and returns its index (0 for the first).
    func record(_ request: ReceivedRequest) -> Int {
        requests.append(request)
        return requests.count - 1
    }
}

/// Answers request number `index` (0-based).
typealias Respond = @Sendable (_ request: ReceivedRequest, _ index: Int) async throws -> Response

/// A response with a status, headers and a text body.
func reply(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> Response {
    var fields = HTTPFields()
    for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
    return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
}

/// Runs a Hummingbird server on 127.0.0.1 (port chosen by the OS) that records every POST to
/// `/hook` and answers with `respond`; calls `body` with the hook URL, then stops the server.
func withWebhookReceiver<T: Sendable>(
    _ respond: @escaping Respond, _ body: @Sendable (_ url: URL, _ inbox: Inbox) async throws -> T
) async throws -> T {
    let inbox = Inbox()
    let router = Router()
    router.post("hook") { request, _ -> Response in
        let buffer = try await request.body.collect(upTo: 4 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let received = ReceivedRequest(method: request.method.rawValue, path: request.uri.path, headers: headers,
                                       body: Data(buffer.readableBytesView))
        let index = await inbox.record(received)
        return try await respond(received, index)
    }
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: Logger(label: "test-receiver", factory: { _ in SwiftLogNoOpLogHandler() })
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw ReceiverError.noPort }
        let result = try await body(URL(string: "http://127.0.0.1:\(port)/hook")!, inbox)
        group.cancelAll()
        return result
    }
}

enum ReceiverError: Error { case noPort }

/// A latch a handler waits on until the test opens it.
final class Gate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream(of: Void.self) }

    func wait() async { for await _ in stream {} }
    func open() { continuation.finish() }
}
