import CFFTW
import Foundation

/// The geometry of a batch of n-dimensional complex FFTs over interleaved complex data.
///
/// The data is laid out row-major as (outer, d₀, …, dₖ₋₁, inner) complex numbers, each stored as
/// two scalars (re, im). The transform runs over the spatial axes d₀ … dₖ₋₁ for every one of the
/// `outer · inner` lines. For GUD's (batch, space, channel) data with space = H·W this is
/// `FFTLayout(spatialShape: [H, W], outer: batch, inner: channels)`.
public struct FFTLayout: Hashable, Sendable {
    /// The extents d₀ … dₖ₋₁ of the transformed axes, e.g. [H, W].
    public var spatialShape: [Int]
    /// The number of transforms along the leading axis (the batch).
    public var outer: Int
    /// The number of interleaved transforms along the trailing axis (the channels).
    public var inner: Int

    /// A layout of `outer · inner` transforms over `spatialShape` (default one transform).
    public init(spatialShape: [Int], outer: Int = 1, inner: Int = 1) {
        self.spatialShape = spatialShape
        self.outer = outer
        self.inner = inner
    }

    /// ∏ spatial extents: the number of points of one transform.
    public var spatialCount: Int { spatialShape.reduce(1, *) }
    /// The number of complex numbers covered.
    public var complexCount: Int { outer * spatialCount * inner }

    func validate() throws {
        guard !spatialShape.isEmpty, spatialShape.allSatisfy({ $0 > 0 }), outer > 0, inner > 0 else {
            throw GUDError.invalidArgument(
                "FFT layout needs a non-empty spatial shape of positive extents and positive outer/inner counts, got \(self)")
        }
        guard complexCount <= Int(Int32.max) else {
            throw GUDError.invalidArgument("FFT layout \(self) is too large for FFTW's 32-bit strides")
        }
    }
}

/// The direction of a transform. Both are orthonormal: X_k = N^{-1/2} Σ_n x_n e^{∓2πi kn/N}.
public enum FFTDirection: Sendable, Hashable {
    /// e^{−2πi kn/N} (FFTW_FORWARD, `numpy.fft.fftn(norm="ortho")`).
    case forward
    /// e^{+2πi kn/N} (FFTW_BACKWARD, `numpy.fft.ifftn(norm="ortho")`).
    case inverse
}

/// An FFTW plan for one layout, direction and precision, owned by this object and destroyed in
/// `deinit`.
///
/// Plans are created with `FFTW_ESTIMATE | FFTW_UNALIGNED` for out-of-place use, so
/// ``execute(input:output:)`` accepts any pair of distinct buffers of the right size and is safe to
/// call from several threads at once. Creation and destruction go through FFTW's planner, which is
/// not thread-safe: both happen behind ``FFTPlanner``'s lock. Obtain plans from
/// ``FFTPlanner/plan(_:_:scalar:)``, which caches them.
public final class FFTPlan<Scalar: TensorScalar>: @unchecked Sendable {
    /// The data the plan transforms.
    public let layout: FFTLayout
    /// Forward or inverse.
    public let direction: FFTDirection
    private let handle: OpaquePointer
    private let normalisation: Scalar

    /// Creates a plan. Call with ``FFTPlanner``'s lock held.
    init(layout: FFTLayout, direction: FFTDirection) throws {
        try layout.validate()
        self.layout = layout
        self.direction = direction
        self.normalisation = 1 / Scalar(layout.spatialCount).squareRoot()
        // Strides in complex elements: spatial axis k moves by inner · ∏_{j>k} d_j.
        var dims = [fftw_iodim]()
        var stride = layout.inner
        for d in layout.spatialShape.reversed() {
            dims.insert(fftw_iodim(n: Int32(d), is: Int32(stride), os: Int32(stride)), at: 0)
            stride *= d
        }
        let howMany = [
            fftw_iodim(n: Int32(layout.outer), is: Int32(stride), os: Int32(stride)),
            fftw_iodim(n: Int32(layout.inner), is: 1, os: 1),
        ]
        let scratchIn = UnsafeMutablePointer<Scalar>.allocate(capacity: 2 * layout.complexCount)
        let scratchOut = UnsafeMutablePointer<Scalar>.allocate(capacity: 2 * layout.complexCount)
        defer {
            scratchIn.deallocate()
            scratchOut.deallocate()
        }
        let estimate: UInt32 = 1 << 6, unaligned: UInt32 = 1 << 1
        guard let h = Scalar.fftwPlanGuru(
            dims: dims, howManyDims: howMany, input: scratchIn, output: scratchOut,
            sign: direction == .forward ? -1 : 1, flags: estimate | unaligned)
        else {
            throw GUDError.numericalFailure("FFTW could not create a plan for \(layout) (\(Scalar.self))")
        }
        self.handle = h
    }

    deinit {
        FFTPlanner.withLock { Scalar.fftwDestroy(handle) }
    }

    /// Transforms `layout.complexCount` interleaved complex numbers from `input` into `output`
    /// (distinct buffers of `2 · complexCount` scalars), with orthonormal scaling. `input` is unchanged.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func execute(input: UnsafeMutablePointer<Scalar>, output: UnsafeMutablePointer<Scalar>) {
        precondition(input != output, "FFTPlan.execute is out-of-place: input and output must differ")
        Scalar.fftwExecute(handle, input: input, output: output)
        let s = normalisation
        for i in 0..<(2 * layout.complexCount) { output[i] *= s }
    }
}

/// The process-wide FFTW planner: one lock around every plan creation and destruction, and a
/// cache of plans by (layout, direction, precision).
public enum FFTPlanner {
    private final class Cache: @unchecked Sendable {
        let lock = NSRecursiveLock()
        var plans: [Key: AnyObject] = [:]
    }
    private struct Key: Hashable {
        let layout: FFTLayout
        let direction: FFTDirection
        let scalar: ObjectIdentifier
    }
    private static let cache = Cache()

    /// Runs `body` while holding the planner lock (FFTW's planner is not thread-safe).
    public static func withLock<R>(_ body: () throws -> R) rethrows -> R {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        return try body()
    }

    /// The cached plan for a layout and direction, created on first use.
    public static func plan<Scalar: TensorScalar>(
        _ layout: FFTLayout, _ direction: FFTDirection, scalar: Scalar.Type = Scalar.self
    ) throws -> FFTPlan<Scalar> {
        let key = Key(layout: layout, direction: direction, scalar: ObjectIdentifier(Scalar.self))
        return try withLock {
            if let p = cache.plans[key] as? FFTPlan<Scalar> { return p }
            let p = try FFTPlan<Scalar>(layout: layout, direction: direction)
            cache.plans[key] = p
            return p
        }
    }

    /// The number of cached plans.
    public static var cachedPlanCount: Int { withLock { cache.plans.count } }

    /// Drops every cached plan (plans still referenced elsewhere live until released).
    public static func removeAllPlans() {
        let dropped: [Key: AnyObject] = withLock {
            let old = cache.plans
            cache.plans = [:]
            return old
        }
        _ = dropped  // released here, after the lock: each deinit takes the lock itself
    }
}
