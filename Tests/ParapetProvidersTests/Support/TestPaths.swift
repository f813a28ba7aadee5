import Foundation

/// Where the test fixtures live: `../shared` beside the package root (CI clones the repo next to it).
enum TestPaths {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // ParapetProvidersTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
    }

    static var shared: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared") }

    static var samples: URL { shared.appendingPathComponent("samples") }

    static func sample(_ path: String) -> URL { samples.appendingPathComponent(path) }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parapet-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
