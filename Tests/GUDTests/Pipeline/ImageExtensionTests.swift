import Testing
@testable import GUD

/// Image extension keeps the columns a schedule generates first: the direction comes from the schedule.
struct ImageExtensionTests {
    @Test func theColumnScheduleGeneratesRightToLeft() throws {
        let schedule: SequentialSchedule<Double> = try columnSchedule(rows: 3, columns: 5, softness: 2)
        #expect(try ImageExtension.generationOrder(of: schedule, width: 5, height: 3) == .rightToLeft)
        // Column 0 is noised first: at t = 0.2 it is noisier than the last column.
        let state = schedule(0.2)
        let gamma = state.components(of: state.gamma, count: 15)
        #expect(gamma[0] > gamma[4])
    }

    @Test func reversedLabelsGenerateLeftToRight() throws {
        let labels = (0..<15).map { Double(4 - $0 % 5) }
        let schedule = try sequentialSchedule(labels: labels, softness: 2)
        #expect(try ImageExtension.generationOrder(of: schedule, width: 5, height: 3) == .leftToRight)
    }

    @Test func aScheduleWithoutColumnOrderIsRefused() throws {
        #expect(throws: GUDError.self) { try ImageExtension.generationOrder(of: LinearSchedule<Double>(), width: 5, height: 3) }
    }
}
