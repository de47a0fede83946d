//! How text output may look where it goes. The command decides (`Ctx`), the
//! text renderer obeys; neither needs the other.

/// How text output may look where it is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle {
    /// Colour and bold are wanted (a terminal, and no NO_COLOR).
    pub color: bool,
    /// Output goes to a terminal: tables fit its width.
    pub terminal: bool,
    /// The width tables are fitted to, in columns: the terminal's, on a
    /// terminal; None elsewhere, where nothing is cut.
    pub width: Option<u16>,
}
