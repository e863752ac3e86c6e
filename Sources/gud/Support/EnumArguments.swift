import ArgumentParser
import GUD

extension SpaceConfiguration.Kind: ExpressibleByArgument {}
extension ScheduleConfiguration.Kind: ExpressibleByArgument {}
extension ScheduleConfiguration.Ordering: ExpressibleByArgument {}
extension NetworkConfiguration.Architecture: ExpressibleByArgument {}
extension SamplerKind: ExpressibleByArgument {}
extension EpsilonParameterization: ExpressibleByArgument {}

/// A closed interval `LO:HI` on the command line.
struct RangeArgument: ExpressibleByArgument, Sendable {
    let lower: Double
    let upper: Double

    init?(argument: String) {
        let parts = argument.split(separator: ":").map { Double($0) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1] else { return nil }
        lower = lo
        upper = hi
    }

    var array: [Double] { [lower, upper] }
}

/// A comma-separated list of numbers on the command line, e.g. `1,0.75,0.5`.
struct NumberList: ExpressibleByArgument, Sendable {
    let values: [Double]

    init?(argument: String) {
        let parsed = argument.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
        values = parsed.map { $0! }
    }

    /// The list as typed: `0,0.5,1`.
    var defaultValueDescription: String {
        values.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) }.joined(separator: ",")
    }
}
