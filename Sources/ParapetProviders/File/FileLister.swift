import Foundation

/// Lists the export files under a path: the path itself when it is a file, else every regular
/// file below the directory (recursively, hidden entries skipped, symlinked directories not
/// followed) whose name ends in an export extension, sorted by path.
enum FileLister {
    static let extensions = [".json", ".jsonl", ".ndjson", ".log"]

    static func isExportName(_ name: String) -> Bool {
        let base = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
        return extensions.contains { base.hasSuffix($0) }
    }

    /// Throws `FileSourceError` when `path` does not exist or the directory cannot be listed.
    static func list(_ path: String) throws(FileSourceError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileSourceError("export path '\(path)' does not exist")
        }
        guard isDirectory.boolValue else { return [path] }
        var files: [String] = []
        try walk(path, into: &files)
        return files.sorted()
    }

    private static func walk(_ directory: String, into files: inout [String]) throws(FileSourceError) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw FileSourceError("cannot list directory '\(directory)': \(ExportError.describe(error))")
        }
        for name in names where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType else {
                continue  // vanished while listing
            }
            switch type {
            case .typeDirectory:
                try? walk(path, into: &files)
            case .typeRegular where isExportName(name):
                files.append(path)
            case .typeSymbolicLink where isExportName(name):
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files.append(path)
                }
            default:
                continue
            }
        }
    }
}
