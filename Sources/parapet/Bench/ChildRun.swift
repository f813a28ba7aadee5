import Foundation
import ParapetDaemon

/// Runs a program as a child process and measures it as a whole: wall time, CPU time, and peak
/// resident memory (from `/usr/bin/time -v`'s "Maximum resident set size" when installed, else by
/// sampling the child's `VmHWM` in `/proc`).
struct ChildRun {
    var status: Int32
    var seconds: Double
    /// User plus system CPU seconds of the child and its own children, from the kernel's
    /// accounting of waited-for children (the benchmarks run one child at a time).
    var cpuSeconds: Double?
    var peakBytes: Int?
    var stdout: String
    var stderr: String

    /// This very binary, to run `parapet replay`, `run` and `violations` as a user would.
    static var parapetPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static let timePath = "/usr/bin/time"

    /// Runs `executable arguments`; stdout goes to `/dev/null` unless `captureStdout`.
    static func run(_ executable: String, _ arguments: [String], captureStdout: Bool) async throws -> ChildRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parapet-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outFile = scratch.appendingPathComponent("stdout"), errFile = scratch.appendingPathComponent("stderr")
        let timeFile = scratch.appendingPathComponent("time")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        let process = Process()
        let useTime = FileManager.default.isExecutableFile(atPath: timePath)
        if useTime {
            process.executableURL = URL(fileURLWithPath: timePath)
            process.arguments = ["-f", "%M", "-o", timeFile.path, executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let outHandle = captureStdout ? try FileHandle(forWritingTo: outFile) : FileHandle(forWritingAtPath: "/dev/null")!
        let errHandle = try FileHandle(forWritingTo: errFile)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let clock = ContinuousClock()
        let started = clock.now
        let sampler = PeakSampler()
        let cpuBefore = Self.childrenCPUSeconds()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: BenchError("cannot start \(process.executableURL?.path ?? executable): \(error)"))
                return
            }
            if !useTime { sampler.start(pid: process.processIdentifier) }
        }
        let seconds = (clock.now - started).seconds
        let cpuAfter = Self.childrenCPUSeconds()
        sampler.stop()
        var peak = sampler.peak
        if useTime, let text = try? String(contentsOf: timeFile, encoding: .utf8),
           let kilobytes = text.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        {
            peak = kilobytes * 1024
        }
        return ChildRun(
            status: status, seconds: seconds, cpuSeconds: cpuBefore.flatMap { before in cpuAfter.map { $0 - before } },
            peakBytes: peak,
            stdout: captureStdout ? String(decoding: (try? Data(contentsOf: outFile)) ?? Data(), as: UTF8.self) : "",
            stderr: String(decoding: (try? Data(contentsOf: errFile)) ?? Data(), as: UTF8.self))
    }

    /// User plus system CPU seconds of every terminated, waited-for child of this process so far.
    static func childrenCPUSeconds() -> Double? {
        var usage = rusage()
        guard getrusage(RUSAGE_CHILDREN.rawValue, &usage) == 0 else { return nil }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Throws with the child's error output unless it exited 0.
    func check(_ what: String) throws {
        guard status == 0 else {
            throw BenchError("\(what) exited with status \(status):\n\(stderr.suffix(2_000))")
        }
    }
}

/// Samples a child's `VmHWM` every 20 ms on a background thread (when `/usr/bin/time` is missing).
final class PeakSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var highest: Int?
    private var running = false

    var peak: Int? { lock.withLock { highest } }

    func start(pid: Int32) {
        lock.withLock { running = true }
        let thread = Thread { [self] in
            while lock.withLock({ running }) {
                if let value = PeakMemory.peakBytes(pid: String(pid)) {
                    lock.withLock { highest = max(highest ?? 0, value) }
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        thread.start()
    }

    func stop() {
        lock.withLock { running = false }
    }
}
