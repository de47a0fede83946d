//! The one error type of lookout, and the exit code each error maps to.
//!
//! Every error names what was wrong and where (the argument, or `file:line`
//! and the column), and carries a hint where the fix is obvious. It does not
//! print itself: `main.rs` does that once.

use std::fmt;
use std::io;

/// Exit codes, after BSD's sysexits (DESIGN.md, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Command-line syntax: unknown command or flag, a value outside a fixed choice.
    Usage = 2,
    /// Bad data in an argument that parses, or in an input file.
    Data = 65,
    /// An input file is missing.
    NoInput = 66,
    /// I/O or store error: not a lookout store, a newer store, unwritable.
    Io = 74,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: Code,
    message: String,
    hint: Option<String>,
    broken_pipe: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    fn new(code: Code, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            hint: None,
            broken_pipe: false,
        }
    }

    /// Bad data in an argument or an input file (exit 65).
    pub fn data(message: impl Into<String>) -> Error {
        Error::new(Code::Data, message)
    }

    /// An input file that is not there (exit 66).
    pub fn no_input(message: impl Into<String>) -> Error {
        Error::new(Code::NoInput, message)
    }

    /// An I/O or store failure (exit 74).
    pub fn io(message: impl Into<String>) -> Error {
        Error::new(Code::Io, message)
    }

    /// Command-line syntax that clap could not catch (exit 2).
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(Code::Usage, message)
    }

    /// Adds a suggestion of how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// Puts a location or subject in front of the message: `where: message`.
    pub fn context(mut self, place: impl fmt::Display) -> Error {
        self.message = format!("{place}: {}", self.message);
        self
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The reader of our output went away (`lookout timeline | head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Error {
        let mut error = Error::io(err.to_string());
        error.broken_pipe = err.kind() == io::ErrorKind::BrokenPipe;
        error
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Error {
        Error::io(format!("store error: {err}"))
    }
}

impl From<csv::Error> for Error {
    fn from(err: csv::Error) -> Error {
        match err.into_kind() {
            csv::ErrorKind::Io(io) => Error::from(io),
            other => Error::data(format!("CSV: {other:?}")),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Error {
        if err.is_io() {
            Error::from(io::Error::from(err))
        } else {
            Error::data(format!("JSON: {err}"))
        }
    }
}

/// `with_context` for results whose error converts into ours: the context names
/// the file or subject, as in `writing out.csv: permission denied`.
pub trait Context<T> {
    fn with_context<F, S>(self, place: F) -> Result<T>
    where
        F: FnOnce() -> S,
        S: fmt::Display;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn with_context<F, S>(self, place: F) -> Result<T>
    where
        F: FnOnce() -> S,
        S: fmt::Display,
    {
        self.map_err(|e| e.into().context(place()))
    }
}
