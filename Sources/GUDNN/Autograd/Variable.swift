/// A value recorded on a ``Tape`` during one pass: a handle (not the data) plus its shape.
///
/// Variables are only valid during the pass that created them; using one after ``Tape/end()`` traps.
public struct Variable: Sendable, Hashable {
    /// The position of the value on its tape.
    public let id: Int
    /// The pass of the tape that created it.
    let pass: Int
    /// The shape of the value.
    public let extents: Extents
}
