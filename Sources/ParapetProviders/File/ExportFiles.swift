import Foundation

/// The export files under a path, as the file source reads them (for `parapet replay`).
public enum ExportFiles {
    /// `path` itself when it is a file; else the regular, non-hidden export files below it, sorted.
    public static func list(_ path: String) throws -> [String] {
        try FileLister.list(path)
    }
}
