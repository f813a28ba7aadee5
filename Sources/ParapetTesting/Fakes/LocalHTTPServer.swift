import Foundation
import Hummingbird
import Logging

/// Runs a Hummingbird router on 127.0.0.1 (a port the kernel picks) for the duration of `body`.
public enum LocalHTTPServer {
    /// The server did not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Serves `router` while `body` runs; `body` gets the base URL.
    public static func with<T: Sendable>(_ router: Router<BasicRequestContext>, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "parapet.tests.local-http-server")
        logger.logLevel = .critical  // cancelling the server at the end of a test logs errors otherwise
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw StartError(description: "the local HTTP server did not start")
            }
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
