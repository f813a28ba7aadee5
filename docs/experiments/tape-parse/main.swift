import Foundation
let path = CommandLine.arguments[1]
let data = try! Data(contentsOf: URL(fileURLWithPath: path))
let bytes = [UInt8](data)
var lines: [Range<Int>] = []
var s = 0
for (i, b) in bytes.enumerated() where b == 0x0A { lines.append(s..<i); s = i + 1 }
func cpu() -> Double { var t = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }
bytes.withUnsafeBufferPointer { all in
    for round in 0..<3 {
        var parser = JSONDocumentParser()
        var t0 = cpu()
        var count = 0
        for r in lines {
            let v = try! parser.parse(UnsafeBufferPointer(rebasing: all[r]))
            if case .object = v { count += 1 }
        }
        let tree = cpu() - t0
        var tp = TapeParser()
        t0 = cpu()
        var entries = 0
        for r in lines {
            try! tp.parse(UnsafeBufferPointer(rebasing: all[r]))
            entries += tp.tape.count
        }
        let tape = cpu() - t0
        print("round \(round): \(lines.count) lines; tree parse+free \(String(format: "%.2f", tree)) s (\(String(format: "%.2f", tree / Double(lines.count) * 1e6)) µs/line); tape \(String(format: "%.2f", tape)) s (\(String(format: "%.2f", tape / Double(lines.count) * 1e6)) µs/line), \(entries / lines.count) entries/line; \(count)")
    }
}
