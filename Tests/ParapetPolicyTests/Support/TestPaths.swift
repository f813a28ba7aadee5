import Foundation

/// Paths the tests read: the package root, `../shared` beside it, and this target's fixtures.
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let sigmaRules = shared.appendingPathComponent("sigma/rules")
    static let samples = shared.appendingPathComponent("samples")
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static func sigmaRule(_ relative: String) -> String { sigmaRules.appendingPathComponent("cloud/" + relative).path }
}
