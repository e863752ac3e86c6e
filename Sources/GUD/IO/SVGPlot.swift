import Foundation

/// A line plot rendered as a self-contained SVG document.
///
/// Each series is one polyline; colours come from a value mapped through the viridis colour map
/// (e.g. a component's ordering label, as the reference tutorial colours schedules), and a colour
/// bar explains the mapping. Non-finite points break a line instead of corrupting it.
public struct SVGPlot: Sendable {
    /// One line.
    public struct Series: Sendable {
        /// The abscissae.
        public var x: [Double]
        /// The ordinates, one per abscissa.
        public var y: [Double]
        /// The value that picks the colour (mapped over the range of all series' values).
        public var colorValue: Double
    }

    /// The title above the plot.
    public var title: String
    /// The label of the horizontal axis.
    public var xLabel: String
    /// The label of the vertical axis.
    public var yLabel: String
    /// What `colorValue` means, shown beside the colour bar.
    public var colorLabel: String
    /// The document width in pixels (default 720).
    public var width: Double = 720
    /// The document height in pixels (default 440).
    public var height: Double = 440
    /// The lines, in the order added.
    public private(set) var series: [Series] = []

    /// An empty plot with a title and axis labels.
    public init(title: String, xLabel: String, yLabel: String, colorLabel: String = "label") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.colorLabel = colorLabel
    }

    /// Adds a line.
    /// - Throws: `GUDError.shapeMismatch` when x and y differ in length.
    public mutating func addLine(x: [Double], y: [Double], colorValue: Double) throws {
        guard x.count == y.count else {
            throw GUDError.shapeMismatch("plot line has \(x.count) x values and \(y.count) y values")
        }
        series.append(Series(x: x, y: y, colorValue: colorValue))
    }

    /// The viridis colour at u ∈ [0, 1] (piecewise-linear through 9 anchors), as `#rrggbb`.
    public static func viridis(_ u: Double) -> String {
        let anchors: [(Double, Double, Double)] = [
            (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
            (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
        ]
        let v = u.isFinite ? Swift.min(Swift.max(u, 0), 1) : 0
        let p = v * Double(anchors.count - 1)
        let i = Swift.min(Int(p), anchors.count - 2), f = p - Double(i)
        let (a, b) = (anchors[i], anchors[i + 1])
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + f * (y - x)).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// "Nice" tick positions covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
        guard hi > lo else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let mag = pow(10, floor(log10(raw)))
        let step = [1, 2, 5, 10].map { Double($0) * mag }.first { $0 >= raw } ?? 10 * mag
        var out = [Double]()
        var t = ceil(lo / step) * step
        while t <= hi + step * 1e-9 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    /// The SVG document.
    public func render() -> String {
        let (left, right, top, bottom) = (70.0, 110.0, 40.0, 55.0)
        let pw = width - left - right, ph = height - top - bottom
        let xs = series.flatMap(\.x).filter(\.isFinite), ys = series.flatMap(\.y).filter(\.isFinite)
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
        var (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
        if x1 <= x0 { x1 = x0 + 1 }
        if y1 <= y0 { (y0, y1) = (y0 - 0.5, y1 + 0.5) }
        let cs = series.map(\.colorValue)
        let (c0, c1) = (cs.min() ?? 0, cs.max() ?? 1)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * ph }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        func label(_ v: Double) -> String { String(format: abs(v) >= 1000 || (abs(v) < 0.01 && v != 0) ? "%.2g" : "%.3g", v) }
        var svg = [String]()
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"12\">")
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        svg.append("<text x=\"\(f(left + pw / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">\(esc(title))</text>")
        // Axes, grid and ticks.
        for t in SVGPlot.ticks(x0, x1) {
            svg.append("<line x1=\"\(f(px(t)))\" y1=\"\(f(top))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + ph))\" stroke=\"#e5e5e5\"/>")
            svg.append("<text x=\"\(f(px(t)))\" y=\"\(f(top + ph + 16))\" text-anchor=\"middle\">\(label(t))</text>")
        }
        for t in SVGPlot.ticks(y0, y1) {
            svg.append("<line x1=\"\(f(left))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + pw))\" y2=\"\(f(py(t)))\" stroke=\"#e5e5e5\"/>")
            svg.append("<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>")
        }
        svg.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"black\"/>")
        svg.append("<text x=\"\(f(left + pw / 2))\" y=\"\(f(height - 14))\" text-anchor=\"middle\">\(esc(xLabel))</text>")
        svg.append("<text transform=\"translate(18 \(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>")
        // Lines, split at non-finite points.
        for s in series {
            let color = SVGPlot.viridis(c1 > c0 ? (s.colorValue - c0) / (c1 - c0) : 0.5)
            var segment = [String]()
            func flush() {
                if segment.count > 1 {
                    svg.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\" stroke-opacity=\"0.8\" points=\"\(segment.joined(separator: " "))\"/>")
                }
                segment.removeAll()
            }
            for (x, y) in zip(s.x, s.y) {
                if x.isFinite && y.isFinite {
                    segment.append("\(f(px(x))),\(f(py(Swift.min(Swift.max(y, y0), y1))))")
                } else {
                    flush()
                }
            }
            flush()
        }
        // Colour bar.
        let bx = left + pw + 25, bh = ph
        for i in 0..<50 {
            let u = Double(i) / 49
            svg.append("<rect x=\"\(f(bx))\" y=\"\(f(top + (1 - u) * bh - bh / 50))\" width=\"14\" height=\"\(f(bh / 50 + 0.5))\" fill=\"\(SVGPlot.viridis(u))\"/>")
        }
        svg.append("<text x=\"\(f(bx + 18))\" y=\"\(f(top + 10))\">\(label(c1))</text>")
        svg.append("<text x=\"\(f(bx + 18))\" y=\"\(f(top + bh))\">\(label(c0))</text>")
        svg.append("<text transform=\"translate(\(f(bx + 60)) \(f(top + bh / 2))) rotate(90)\" text-anchor=\"middle\">\(esc(colorLabel))</text>")
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}
