import Foundation

/// A tiny LD_PRELOAD library, compiled on the spot, that shifts the wall clock (CLOCK_REALTIME,
/// `gettimeofday`, `time`) of the process it is loaded into by the number of seconds written in a
/// file, re-read every 50 ms; the monotonic clocks are left alone, as when an administrator or
/// NTP sets the system clock. (libfaketime would do, but preloading it empties a Swift program's
/// `CommandLine.arguments` with libfaketime 0.9.10.)
public struct WallClockShim: Sendable {
    public let library: URL
    public let offsetFile: URL

    /// Compiles the library into `directory` with the system C compiler (or clang); the offset starts at 0.
    public static func build(in directory: URL) async throws -> WallClockShim {
        let source = directory.appendingPathComponent("wall-clock-shim.c")
        let library = directory.appendingPathComponent("wall-clock-shim.so")
        let offsetFile = directory.appendingPathComponent("wall-clock-offset")
        try Data(Self.source.utf8).write(to: source)
        try Data("0\n".utf8).write(to: offsetFile)
        var failures: [String] = []
        // The system C compiler, or the clang that comes with the Swift toolchain.
        for compiler in ["cc", "clang"] {
            let result = try await CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                                     [compiler, "-shared", "-fPIC", "-O2", "-o", library.path, source.path, "-ldl"])
            if result.status == 0 { return WallClockShim(library: library, offsetFile: offsetFile) }
            failures.append("\(compiler) (\(result.status)): \(result.stderr)")
        }
        throw WallClockShimError(reason: failures.joined(separator: "; "))
    }

    /// The environment that loads the shim into a child process.
    public var environment: [String: String] {
        ["LD_PRELOAD": library.path, "PARAPET_TEST_CLOCK_OFFSET_FILE": offsetFile.path]
    }

    /// Sets the wall clock of every process using the shim to real time + `seconds`.
    public func setOffset(_ seconds: Double) throws {
        try Data("\(seconds)\n".utf8).write(to: offsetFile, options: .atomic)
    }

    static let source = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <sys/time.h>
        #include <time.h>

        static int (*real_clock_gettime)(clockid_t, struct timespec *);
        static volatile double offset;
        static volatile time_t last_read_seconds;
        static volatile long last_read_nanoseconds;

        static double current_offset(void) {
            struct timespec now;
            real_clock_gettime(CLOCK_MONOTONIC, &now);
            double since = (now.tv_sec - last_read_seconds) + (now.tv_nsec - last_read_nanoseconds) / 1e9;
            if (last_read_seconds == 0 || since > 0.05) {
                last_read_seconds = now.tv_sec;
                last_read_nanoseconds = now.tv_nsec;
                const char *path = getenv("PARAPET_TEST_CLOCK_OFFSET_FILE");
                FILE *file = path ? fopen(path, "r") : NULL;
                if (file) {
                    double value;
                    if (fscanf(file, "%lf", &value) == 1) offset = value;
                    fclose(file);
                }
            }
            return offset;
        }

        int clock_gettime(clockid_t clock, struct timespec *ts) {
            if (!real_clock_gettime) real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
            int result = real_clock_gettime(clock, ts);
            if (result == 0 && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) {
                double shifted = ts->tv_sec + ts->tv_nsec / 1e9 + current_offset();
                ts->tv_sec = (time_t)shifted;
                ts->tv_nsec = (long)((shifted - (double)ts->tv_sec) * 1e9);
            }
            return result;
        }

        int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
            (void)tz;
            struct timespec ts;
            int result = clock_gettime(CLOCK_REALTIME, &ts);
            if (result == 0) { tv->tv_sec = ts.tv_sec; tv->tv_usec = ts.tv_nsec / 1000; }
            return result;
        }

        time_t time(time_t *out) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            if (out) *out = ts.tv_sec;
            return ts.tv_sec;
        }
        """
}

/// The shim could not be compiled (no C compiler?).
public struct WallClockShimError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "cannot build the wall-clock shim: \(reason) — install a C compiler (cc or clang)" }
}
