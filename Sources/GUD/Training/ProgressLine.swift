import Foundation

/// A one-line progress display for long work: step, smoothed loss, steps per second and ETA,
/// redrawn in place on a terminal.
///
/// It is quiet when standard error is not a terminal or when the environment sets `CI=true`
/// (so logs and CI output stay clean); ``isEnabled`` says which. The loss shown is an
/// exponential moving average with the given smoothing (default 0.98 per step), bias-corrected
/// at the start.
public final class ProgressLine {
    /// The last step, or 0 when the length of the work is unknown.
    public let total: Int
    /// The word before the step count, e.g. "step".
    public let label: String
    /// Whether the line is drawn (standard error is a terminal and `CI` is not `true`, unless forced).
    public let isEnabled: Bool
    private let smoothing: Double
    private var average = 0.0
    private var weight = 0.0
    private var start: Date
    private var startStep: Int
    private var lastDraw = Date.distantPast

    /// A progress line for the steps `startStep + 1 … total`.
    ///
    /// - Parameters:
    ///   - total: the last step (for the ETA); 0 when unknown (the ETA then shows `?`).
    ///   - label: the word before the step count (default "step").
    ///   - startStep: the step the run starts from (e.g. after a resume), so the rate is honest.
    ///   - smoothing: the decay of the loss's moving average per step, in [0, 1) (default 0.98).
    ///   - enabled: forces the display on or off; by default on exactly when stderr is a terminal and `CI` is not `true`.
    public init(total: Int, label: String = "step", startStep: Int = 0, smoothing: Double = 0.98, enabled: Bool? = nil) {
        self.total = total
        self.label = label
        self.smoothing = smoothing
        self.start = Date()
        self.startStep = startStep
        self.isEnabled = enabled ?? ProgressLine.interactive
    }

    /// Whether standard error is a terminal and `CI` is not set to `true`.
    public static var interactive: Bool {
        isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["CI"]?.lowercased() != "true"
    }

    /// The smoothed loss so far (NaN before the first update with a loss).
    public var smoothedLoss: Double { weight > 0 ? average / weight : .nan }

    /// Records step `step` (1-based count of completed steps) and its loss, and redraws at most ~10 times a second.
    public func update(step: Int, loss: Double? = nil, extra: String = "") {
        if let loss, loss.isFinite {
            average = smoothing * average + (1 - smoothing) * loss
            weight = smoothing * weight + (1 - smoothing)
        }
        guard isEnabled else { return }
        let now = Date()
        guard step == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text(step: step, now: now) + extra).utf8))
    }

    /// Ends the line (prints a newline if anything was drawn).
    public func finish() {
        if isEnabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// The progress text for a step, e.g. `step 120/2000  loss 0.0412  18.3 steps/s  ETA 1m43s`.
    public func text(step: Int, now: Date = Date()) -> String {
        let elapsed = now.timeIntervalSince(start)
        let done = step - startStep
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var s = "\(label) \(step)/\(total)"
        if weight > 0 { s += String(format: "  loss %.4f", smoothedLoss) }
        if rate > 0 {
            s += String(format: rate >= 10 ? "  %.1f %@/s" : "  %.2f %@/s", rate, label + "s")
            s += "  ETA " + ProgressLine.duration(Double(total - step) / rate)
        }
        return s
    }

    /// A duration as `1h02m`, `3m07s` or `12s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
