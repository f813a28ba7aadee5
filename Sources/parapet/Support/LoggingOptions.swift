import ArgumentParser
import Foundation
import Logging
import ParapetCore

/// `--log-format json|text` and `--log-level`; only the executable bootstraps logging.
struct LoggingOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument { case text, json }

    @Option(name: .customLong("log-format"), help: "text, or json (one object per line, for journald).")
    var logFormat: Format = .text

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical (or PARAPET_LOG_LEVEL).")
    var logLevel: String?

    func bootstrap(label: String = "parapet") -> Logger {
        let levelText = logLevel ?? ProcessInfo.processInfo.environment["PARAPET_LOG_LEVEL"] ?? "info"
        let level = Logger.Level(rawValue: levelText.lowercased()) ?? .info
        let format = logFormat
        LoggingSystem.bootstrap { label in
            var handler = StandardErrorLogHandler(label: label, json: format == .json)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}

/// Log lines on standard error: `time level message key=value…`, or one JSON object per line.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    let json: Bool
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, json: Bool) {
        self.label = label
        self.json = json
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let time = ISO8601.string(from: Date())
        let line: String
        if json {
            var object: JSONObject = [
                "time": .string(time), "level": .string(event.level.rawValue), "message": .string(event.message.description),
                "logger": .string(label),
            ]
            for (key, value) in merged { object[key] = .string(value.description) }
            line = JSONValue.object(object).serialized()
        } else {
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(time) \(event.level.rawValue) \(event.message)\(fields.isEmpty ? "" : " " + fields)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
