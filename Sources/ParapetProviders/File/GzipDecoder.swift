import CZlib

/// A gzip stream that could not be decoded.
public struct GzipError: Error, CustomStringConvertible, Sendable, Hashable {
    public var reason: String
    public var description: String { reason }
}

/// Streaming gzip (RFC 1952) decompression through the system zlib. Feed it chunks of the
/// compressed file; concatenated members are decoded one after another (as `gzip -d` does) and
/// zero padding after the last member is ignored. `finish()` reports a stream cut short.
final class GzipDecoder {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 1 << 16)
    /// Inside a member whose end has not been seen yet.
    private var inMember = true
    private var sawInput = false
    private(set) var consumedBytes: UInt64 = 0

    init() throws(GzipError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits + 32: detect a gzip (or zlib) header automatically.
        let status = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw GzipError(reason: "cannot initialise zlib (status \(status))")
        }
        self.stream = stream
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decodes one chunk of compressed input, appending what it yields to `into`.
    func decode(_ input: [UInt8], into decoded: inout [UInt8]) throws(GzipError) {
        guard !input.isEmpty else { return }
        sawInput = true
        var failure: GzipError?
        input.withUnsafeBufferPointer { inBuffer in
            var next = 0
            while next < inBuffer.count || stream.pointee.avail_out == 0 {
                if !inMember {
                    // Between members: zero padding is ignored, anything else starts a new member.
                    while next < inBuffer.count, inBuffer[next] == 0 { next += 1 }
                    guard next < inBuffer.count else { break }
                    inflateReset(stream)
                    inMember = true
                }
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress! + next)
                stream.pointee.avail_in = UInt32(inBuffer.count - next)
                let status = output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = UInt32(outBuffer.count)
                    return inflate(stream, Z_NO_FLUSH)
                }
                let produced = output.count - Int(stream.pointee.avail_out)
                if produced > 0 { decoded.append(contentsOf: output[0..<produced]) }
                next = inBuffer.count - Int(stream.pointee.avail_in)
                switch status {
                case Z_STREAM_END:
                    inMember = false
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    break
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    failure = GzipError(reason: "corrupt gzip data: \(message)")
                    return
                }
                if stream.pointee.avail_out != 0 && next >= inBuffer.count { break }
            }
            consumedBytes += UInt64(inBuffer.count)
        }
        if let failure { throw failure }
    }

    /// Declares the end of input; throws when the last member is incomplete (a truncated file).
    func finish() throws(GzipError) {
        guard sawInput else { throw GzipError(reason: "empty gzip stream") }
        if inMember {
            throw GzipError(reason: "truncated gzip stream: it ends inside a compressed member after \(consumedBytes) bytes")
        }
    }
}
