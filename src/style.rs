//! How text output may look where it goes: the user's choice of colour
//! (`ColorChoice`), and the style the command decides (`Ctx`) and the text
//! renderer obeys (`TextStyle`); neither of those two needs the other.

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

/// When text output may be coloured (`--color`): `Auto` colours a terminal
/// unless the environment says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
