import Foundation

/// Where the package, the shared samples and the built binary are, for tests.
public enum PackagePaths {
    /// The package root (the folder holding Package.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared` beside the package (samples, SigmaHQ rules).
    public static var shared: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    public static func sample(_ relativePath: String) -> URL {
        shared.appendingPathComponent("samples").appendingPathComponent(relativePath)
    }

    /// The built `parapet` executable, beside the test bundle.
    public static var parapetBinary: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = bundleDirectory.appendingPathComponent("parapet")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        // Fallback: the default debug build folder.
        return root.appendingPathComponent(".build/debug/parapet")
    }
}
