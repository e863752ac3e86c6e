import ArgumentParser
import GUD

/// The ε-network (overrides the configuration file's `network`).
struct NetworkOptions: ParsableArguments {
    @Option(help: "The architecture.")
    var architecture: NetworkConfiguration.Architecture?

    @Flag(help: "The reference's big U-Net (C = 16, multipliers 1,2,4, 2 attention heads; the default of gud train).")
    var bigUnet = false

    @Flag(help: "The reference's small U-Net (C = 8, multipliers 1,2, no attention).")
    var smallUnet = false

    @Option(name: .customLong("base-channels"), help: "U-Net base channels C.")
    var baseChannels: Int?

    @Option(name: .customLong("channel-multipliers"), help: "U-Net channel multipliers per level, e.g. 1,2.")
    var channelMultipliers: NumberList?

    @Option(name: .customLong("attention-heads"), help: "U-Net bottleneck attention heads (0: none).")
    var attentionHeads: Int?

    @Option(help: "U-Net dropout during training (default 0.05).")
    var dropout: Double?

    @Option(name: .customLong("hidden-widths"), help: "MLP hidden widths, e.g. 256,256,256.")
    var hiddenWidths: NumberList?

    @Option(name: .customLong("time-scale"), help: "A time-conditioned network sees c·t (reference: 1).")
    var timeScale: Double?

    func validate() throws {
        if bigUnet && smallUnet { throw ValidationError("--big-unet and --small-unet exclude each other") }
    }

    func apply(to c: inout NetworkConfiguration) {
        if bigUnet { c = .bigUNet }
        if smallUnet { c = .smallUNet }
        if let architecture { c.architecture = architecture }
        if let baseChannels { c.baseChannels = baseChannels }
        if let channelMultipliers { c.channelMultipliers = channelMultipliers.values.map { Int($0) } }
        if let attentionHeads { c.attentionHeads = attentionHeads > 0 ? attentionHeads : nil }
        if let dropout { c.dropout = dropout }
        if let hiddenWidths { c.hiddenWidths = hiddenWidths.values.map { Int($0) } }
        if let timeScale { c.timeScale = timeScale }
    }

    var isEmpty: Bool {
        architecture == nil && !bigUnet && !smallUnet && baseChannels == nil && channelMultipliers == nil && attentionHeads == nil
            && dropout == nil && hiddenWidths == nil && timeScale == nil
    }
}
