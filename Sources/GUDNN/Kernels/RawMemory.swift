/// Raw copies and zero fills of scalar buffers. Unlike `update(from:count:)` on a generic pointer, these
/// compile to `memmove`/`memset` even in generic code that is not specialised.

/// `dst[0..<count] = src[0..<count]`.
@inline(__always)
func copyScalars<T: TensorScalar>(_ dst: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, _ count: Int) {
    guard count > 0 else { return }
    UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * MemoryLayout<T>.stride)
}

/// `p[0..<count] = 0` (all-zero bytes are +0 for `Float` and `Double`).
@inline(__always)
func zeroScalars<T: TensorScalar>(_ p: UnsafeMutablePointer<T>, _ count: Int) {
    guard count > 0 else { return }
    UnsafeMutableRawPointer(p).initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<T>.stride)
}
