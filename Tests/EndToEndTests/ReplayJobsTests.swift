import Foundation
import ParapetTesting
import Testing

/// `parapet replay --jobs N` reads JSON-lines files on N threads: whatever N, it prints exactly
/// what one thread prints, in the same order (the built binary, on the real sample records).
@Suite(.serialized) struct ReplayJobsTests {
    /// A folder of exports: JSON lines made of the real samples of all three feeds twice over
    /// (2.6 MB, so several batches; hundreds of matches, records that are quarantined, EventBridge
    /// envelopes), one broken line among them, a gzip copy of part of it, three of the samples'
    /// JSON-lines files and a CloudTrail log file (a document, read whole).
    static func exports(in directory: TemporaryDirectory) throws -> URL {
        let folder = directory.file("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let samples = ["aws/cloudtrail-records.jsonl", "gcp/audit-entries.jsonl", "azure/activity-events.jsonl",
                       "aws/cloudtrail-records-extra.jsonl", "gcp/audit-entries-extra.jsonl",
                       "azure/activity-events-extra.jsonl", "aws/eventbridge-cloudtrail-envelopes.jsonl"]
        var lines: [String] = []
        for _ in 0..<2 {
            for sample in samples {
                lines += try String(contentsOf: PackagePaths.sample(sample), encoding: .utf8)
                    .split(separator: "\n").map(String.init)
            }
        }
        lines.insert("{\"broken\": ", at: 1_500)
        try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("mixed.jsonl"))
        try GzipTool.compress(Data(lines.prefix(1_800).joined(separator: "\n").utf8))
            .write(to: folder.appendingPathComponent("mixed-part.jsonl.gz"))
        for sample in ["aws/cloudtrail-records.jsonl", "gcp/audit-entries.jsonl", "azure/activity-events.jsonl", "aws/s3-logfile-example.json"] {
            try FileManager.default.copyItem(at: PackagePaths.sample(sample),
                                             to: folder.appendingPathComponent(sample.replacingOccurrences(of: "/", with: "-")))
        }
        return folder
    }

    static func configuration(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("replay.yaml").path
        try """
            database: "\(directory.file("unused.db").path)"
            policies: ["\(PackagePaths.shared.appendingPathComponent("sigma/rules").path)", "\(PackagePaths.root.appendingPathComponent("policies").path)"]
            placeholders: { allowed_regions: [eu-west-1, us-east-1] }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anyNumberOfJobsPrintsWhatOneThreadPrints() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exports = try Self.exports(in: directory)
        let config = try Self.configuration(in: directory)
        for format in ["json", "table"] {
            let one = try await CommandRunner.parapet(["replay", exports.path, "--config", config, "--format", format, "--jobs", "1"])
            #expect(one.status == 0, "\(one.stderr)")
            // The run has violations, a quarantined line (reported with its line number) and
            // records from every file.
            if format == "json" {
                #expect(one.stdoutLines.count > 50)
                #expect(one.stdout.contains("mixed-part.jsonl.gz"))
                #expect(one.stdout.contains("aws-s3-logfile-example.json") || one.stdout.contains("aws-cloudtrail-records.jsonl"))
            }
            #expect(one.stderr.contains("mixed.jsonl:1501: quarantined: invalid JSON"))
            for jobs in ["2", "5"] {
                let many = try await CommandRunner.parapet(["replay", exports.path, "--config", config, "--format", format, "--jobs", jobs])
                #expect(many.status == 0, "\(many.stderr)")
                #expect(many.stdout == one.stdout, "--format \(format) --jobs \(jobs): the output differs from --jobs 1")
                #expect(many.stderr == one.stderr, "--format \(format) --jobs \(jobs): the messages differ from --jobs 1")
            }
        }
    }

    @Test func aTruncatedFileFailsAfterPrintingWhatWasReadWithAnyNumberOfJobs() async throws {
        // Given the mixed JSON lines gzip-compressed and cut short
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exports = try Self.exports(in: directory)
        let config = try Self.configuration(in: directory)
        let whole = try Data(contentsOf: exports.appendingPathComponent("mixed.jsonl"))
        let compressed = try GzipTool.compress(whole)
        let cut = directory.file("cut.jsonl.gz")
        try compressed.prefix(compressed.count * 2 / 3).write(to: cut)
        // When it is replayed with one and with several threads
        let one = try await CommandRunner.parapet(["replay", cut.path, "--config", config, "--format", "json", "--jobs", "1"])
        let two = try await CommandRunner.parapet(["replay", cut.path, "--config", config, "--format", "json", "--jobs", "2"])
        // Then both fail naming the file, after printing the same matches of the records before the cut
        #expect(one.status == 1)
        #expect(two.status == 1)
        #expect(one.stderr.contains("parapet: \(cut.path)"))
        #expect(one.stdoutLines.count > 10)
        #expect(two.stdout == one.stdout)
        #expect(two.stderr == one.stderr)

        // And in a folder among other files, the failure is reported in its place and the files
        // after it are still read
        try FileManager.default.moveItem(at: cut, to: exports.appendingPathComponent("mixed-cut.jsonl.gz"))
        let folderOne = try await CommandRunner.parapet(["replay", exports.path, "--config", config, "--format", "json", "--jobs", "1"])
        let folderThree = try await CommandRunner.parapet(["replay", exports.path, "--config", config, "--format", "json", "--jobs", "3"])
        #expect(folderOne.status == 1)
        #expect(folderOne.stdout.contains("mixed.jsonl"))
        #expect(folderOne.stderr.contains("mixed-cut.jsonl.gz"))
        #expect(folderThree.status == 1)
        #expect(folderThree.stdout == folderOne.stdout)
        #expect(folderThree.stderr == folderOne.stderr)
    }

    @Test func aFolderOfManySmallFilesIsReadInOrder() async throws {
        // Given a folder of 40 small files: JSON lines, gzip JSON lines and CloudTrail log files
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exports = try Self.exports(in: directory)
        let config = try Self.configuration(in: directory)
        let lines = try String(contentsOf: exports.appendingPathComponent("mixed.jsonl"), encoding: .utf8).split(separator: "\n")
        let folder = directory.file("small")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let logFile = try Data(contentsOf: PackagePaths.sample("aws/s3-logfile-example.json"))
        for i in 0..<40 {
            let part = Data(lines[(i * 60)..<(i * 60 + 60)].joined(separator: "\n").utf8)
            let name = String(format: "part-%02d", i)
            switch i % 3 {
            case 0: try part.write(to: folder.appendingPathComponent(name + ".jsonl"))
            case 1: try GzipTool.compress(part).write(to: folder.appendingPathComponent(name + ".jsonl.gz"))
            default: try logFile.write(to: folder.appendingPathComponent(name + ".json"))
            }
        }
        // When it is replayed on one thread and on several, then the output is the same
        let one = try await CommandRunner.parapet(["replay", folder.path, "--config", config, "--format", "json", "--jobs", "1"])
        let four = try await CommandRunner.parapet(["replay", folder.path, "--config", config, "--format", "json", "--jobs", "4"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdoutLines.count > 20)
        #expect(one.stdout.contains("part-00.jsonl") && one.stdout.contains("part-37.jsonl.gz"))
        #expect(four.stdout == one.stdout)
        #expect(four.stderr == one.stderr)
    }

    @Test func jobsMustBeAtLeastOne() async throws {
        let result = try await CommandRunner.parapet(["replay", PackagePaths.sample("aws/cloudtrail-records.jsonl").path, "--jobs", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--jobs must be at least 1"))
    }
}
