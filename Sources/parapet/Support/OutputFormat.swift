import ArgumentParser

/// `--format` of the listing commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format` of commands that print text or JSON only.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
