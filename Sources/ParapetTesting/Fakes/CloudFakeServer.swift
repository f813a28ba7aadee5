import Foundation
import Hummingbird
import Logging
import HTTPTypes
import NIOCore

/// An in-process Hummingbird server on 127.0.0.1 (port chosen by the system) that hands every
/// request to `handler`; it lives for the duration of `body`.
public enum CloudFakeServer {
    /// Serves `handler` while `body` runs; `body` gets the base URL (`http://127.0.0.1:PORT`).
    public static func run<T: Sendable>(
        _ handler: @escaping @Sendable (FakeRequest) async -> FakeResponse,
        _ body: @Sendable (URL) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let query = request.uri.query
            var decoded: [String: String] = [:]
            if let query, let items = URLComponents(string: "http://x/?" + query)?.queryItems {
                for item in items { decoded[item.name] = item.value ?? "" }
            }
            let fake = FakeRequest(method: request.method.rawValue, path: request.uri.path, query: decoded, rawQuery: query,
                                   headers: headers, body: Data(buffer.readableBytesView))
            let answer = await handler(fake)
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
            }
            return Response(status: .init(code: answer.status), headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "parapet.test.fake-cloud") { _ in SwiftLogNoOpLogHandler() })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw CocoaError(.fileReadUnknown) }
            do {
                let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
