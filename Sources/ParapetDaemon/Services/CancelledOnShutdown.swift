import ServiceLifecycle

/// A periodic service with nothing to drain (feed health, housekeeping, discovery), cancelled as
/// soon as a graceful shutdown starts instead of finishing its sleep: otherwise SIGTERM waits for
/// the longest sleep (up to the group's 20 s limit). Work in progress is a transaction that is
/// rolled back when cancelled, and simply done again after the restart.
struct CancelledOnShutdown<Wrapped: Service>: Service {
    let wrapped: Wrapped

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await wrapped.run()
        }
    }
}
