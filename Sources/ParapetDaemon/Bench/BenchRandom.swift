/// A seeded, deterministic random number generator (SplitMix64): the same seed gives the same
/// events on every machine and every run, so benchmark inputs are reproducible.
public struct BenchRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random UUID in its canonical lower-case text form (version 4 bits set).
    public mutating func uuid() -> String {
        let high = next(), low = next()
        let hex = Self.hex(high, 16) + Self.hex(low, 16)
        let chars = Array(hex)
        var out = String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-4" + String(chars[13..<16]) + "-"
        out += "a" + String(chars[17..<20]) + "-" + String(chars[20..<32])
        return out
    }

    /// `length` random lower-case letters and digits (GCP-style insert ids).
    public mutating func token(length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var bytes = [UInt8](repeating: 0, count: length)
        for i in 0..<length { bytes[i] = alphabet[Int(next() % UInt64(alphabet.count))] }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
