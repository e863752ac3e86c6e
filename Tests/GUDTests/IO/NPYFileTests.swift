import Foundation
import Testing
@testable import GUD

/// Reads fixtures written by numpy (`Fixtures/npy/make_fixtures.py`) and round-trips our writer.
struct NPYFileTests {
    func fixture(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "Fixtures/npy")!
    }

    /// np.arange(24).reshape(2, 3, 4) / 8 − 1.
    let expected: [Double] = (0..<24).map { Double($0) / 8 - 1 }

    @Test func readsNumpyFiles() throws {
        for name in ["f4_c", "f8_fortran", "f8_big_endian", "f4_v2"] {
            let f = try NPYFile(contentsOf: fixture(name))
            #expect(f.shape == [2, 3, 4], "\(name)")
            #expect(f.tensor(as: Double.self).scalars == expected, "\(name)")
        }
        let u = try NPYFile(contentsOf: fixture("u1"))
        #expect(u.shape == [3, 4] && u.elementType == .uint8)
        #expect(u.tensor(as: Float.self).scalars == (0..<12).map { Float($0 * 20) })
    }

    @Test func writerRoundTripsAndMatchesNumpyBytes() throws {
        let t = try Tensor<Float>(shape: [2, 3, 4], scalars: expected.map(Float.init))
        let ours = NPYFile(t).encoded()
        #expect(ours == (try AtomicFile.read(fixture("f4_c"))), "byte-identical to numpy's np.save")
        #expect(ours.count % 64 == 224 % 64)
        let back = try NPYFile(bytes: ours).tensor(as: Float.self)
        #expect(back == t)
        let d = Tensor<Double>(shape: [5]) { Double($0) * 0.1 }
        #expect(try NPYFile(bytes: NPYFile(d).encoded()).tensor(as: Double.self) == d)
        let bytes = try NPYFile(shape: [2, 2], bytes: [0, 1, 254, 255])
        #expect(try NPYFile(bytes: bytes.encoded()).tensor(as: Double.self).scalars == [0, 1, 254, 255])
    }

    @Test func rejectsMalformedFiles() throws {
        func message(_ data: Data) -> String {
            do {
                _ = try NPYFile(bytes: data, what: "a.npy")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        let good = try AtomicFile.read(fixture("f4_c"))
        #expect(message(Data("NUMPY".utf8)).contains("magic"))
        #expect(message(good.prefix(good.count - 4)).contains("truncated: shape [2, 3, 4]"))
        #expect(message(good + Data([0])).contains("1 bytes after"))
        #expect(message(good.prefix(40)).contains("truncated: its header claims"))
        var v9 = good
        v9[v9.startIndex + 6] = 9
        #expect(message(v9).contains("version 9.0"))
        #expect(message(try AtomicFile.read(fixture("i8_unsupported"))).contains("unsupported dtype '<i8'"))
        var badShape = good
        badShape.replaceSubrange(badShape.range(of: Data("(2, 3, 4)".utf8))!, with: Data("(2, x, 4)".utf8))
        #expect(message(badShape).contains("malformed .npy header"))
        #expect(throws: GUDError.self) { try NPYFile(shape: [2, 2], bytes: [1, 2, 3]) }
    }
}
