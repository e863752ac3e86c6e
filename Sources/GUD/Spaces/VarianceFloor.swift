/// What to do with tiny or negative variances (eigenvalues, power-spectrum entries) when a whitening
/// scale √Σᵢ is fitted to data. The threshold is relative to the largest variance.
public enum VarianceFloor<Scalar: TensorScalar>: Sendable, Equatable {
    /// Throw `GUDError.invalidArgument` when a variance is below `relative × max`.
    case reject(relative: Scalar)
    /// Raise every variance below `relative × max` to that value (documented clamp, no error).
    case clamp(relative: Scalar)

    /// `.reject(relative: 1e-10)`: data with (nearly) constant directions is an error until the
    /// caller chooses a clamp.
    public static var `default`: VarianceFloor { .reject(relative: 1e-10) }

    /// The variances after applying the floor.
    /// - Throws: `GUDError.invalidArgument` for `.reject` when a variance is below the floor,
    ///   or when no variance is positive; `GUDError.nonFinite` for NaN.
    public func apply(to variances: [Scalar], what: String) throws -> [Scalar] {
        if let i = variances.firstIndex(where: { !$0.isFinite }) {
            throw GUDError.nonFinite("\(what) \(i) is \(variances[i]); expected finite values")
        }
        guard let maximum = variances.max(), maximum > 0 else {
            throw GUDError.invalidArgument("every \(what) is zero or negative; the data has no spread to whiten")
        }
        switch self {
        case .reject(let relative):
            let floor = relative * maximum
            if let i = variances.firstIndex(where: { $0 < floor }) {
                throw GUDError.invalidArgument(
                    "\(what) \(i) is \(variances[i]), below the floor \(floor) (\(relative) × the largest, \(maximum)); pass VarianceFloor.clamp(relative:) to raise such values instead")
            }
            return variances
        case .clamp(let relative):
            let floor = relative * maximum
            return variances.map { Swift.max($0, floor) }
        }
    }
}
