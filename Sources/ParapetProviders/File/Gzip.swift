import Foundation

/// Whole-buffer gzip decompression (S3 objects of the organisation trail).
public enum Gzip {
    /// Decompresses every member of `data`; throws when it is not gzip or is truncated.
    public static func decompress(_ data: Data) throws -> Data {
        guard data.count >= 2, data[data.startIndex] == 0x1F, data[data.startIndex + 1] == 0x8B else {
            throw ExportError(path: "gzip", reason: "not gzip data (no 1f 8b magic)")
        }
        do {
            let decoder = try GzipDecoder()
            var output: [UInt8] = []
            try decoder.decode([UInt8](data), into: &output)
            try decoder.finish()
            return Data(output)
        } catch {
            throw ExportError(path: "gzip", reason: "\(error)")
        }
    }
}
