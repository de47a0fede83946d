//! The one error type of lookout, and the exit code each error maps to.
//!
//! Every error names what was wrong and where (the argument, or `file:line`
//! and the column), and carries a hint where the fix is obvious. It does not
//! print itself: `main.rs` does that once.

use std::fmt;
use std::io;

/// Exit codes, after BSD's sysexits (docs/DESIGN.md, "Exit codes").
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
    /// Some of what was asked failed for now and the rest was done (`fetch`:
    /// some feeds could not be read); trying again later may do.
    TempFail = 75,
    /// Stopped by Ctrl-C (SIGINT): 128 + the signal's number, as a shell
    /// reports a command the signal ended.
    Interrupted = 130,
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

    /// Some of the work failed, the rest was done (exit 75).
    pub(crate) fn temp_fail(message: impl Into<String>) -> Error {
        Error::new(Code::TempFail, message)
    }

    /// Bad data in an argument or an input file (exit 65).
    pub(crate) fn data(message: impl Into<String>) -> Error {
        Error::new(Code::Data, message)
    }

    /// An input file that is not there (exit 66).
    pub(crate) fn no_input(message: impl Into<String>) -> Error {
        Error::new(Code::NoInput, message)
    }

    /// An I/O or store failure (exit 74).
    pub(crate) fn io(message: impl Into<String>) -> Error {
        Error::new(Code::Io, message)
    }

    /// The run was stopped by Ctrl-C, and undone.
    pub(crate) fn interrupted(message: impl Into<String>) -> Error {
        Error::new(Code::Interrupted, message)
    }

    /// Command-line syntax that clap could not catch (exit 2).
    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error::new(Code::Usage, message)
    }

    /// Adds a suggestion of how to fix it.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// Puts a location or subject in front of the message: `where: message`.
    pub(crate) fn context(mut self, place: impl fmt::Display) -> Error {
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
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            // Another process held the store past the busy timeout: nothing
            // is wrong with the store, and nothing was changed.
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::io(
                "the store is busy: another process has been using it for longer than \
                 lookout waits; nothing was changed",
            )
            .with_hint("try again in a moment"),
            Some(ErrorCode::ReadOnly) => Error::io(
                "the store is read-only here: the file, or the directory it is in, \
                 cannot be written by this user",
            )
            .with_hint("reports still work; write from an account that may change the store"),
            // Only the guard of a store read as known on a past instant
            // refuses statements (`store/known/guard.rs`).
            Some(ErrorCode::AuthorizationForStatementDenied) => Error::io(format!(
                "a read of the store as known on a past instant would have read it as it is \
                 now, and was stopped ({}): this is a bug in lookout",
                sqlite_reason(&err)
            ))
            .with_hint("leave --known-on out to read the store as it is; please report this"),
            _ => Error::io(format!("store error: {}", sqlite_reason(&err))),
        }
    }
}

/// SQLite's words for an error, without the statement it was in (which can
/// be the whole schema, or a statement of 100 KB).
fn sqlite_reason(err: &rusqlite::Error) -> String {
    match err {
        rusqlite::Error::SqlInputError { msg, offset, .. } => {
            format!("{msg} (at offset {offset} of a statement)")
        }
        rusqlite::Error::SqliteFailure(_, Some(msg)) => crate::screen::clip(msg, 500).into_owned(),
        other => crate::screen::clip(&other.to_string(), 500).into_owned(),
    }
}

impl From<csv::Error> for Error {
    fn from(err: csv::Error) -> Error {
        let line = err.position().map(|p| p.line());
        match err.into_kind() {
            csv::ErrorKind::Io(io) => Error::from(io),
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => Error::data(format!(
                "a CSV row has {len} fields where the rows before it have {expected_len}"
            )),
            csv::ErrorKind::Utf8 { err, .. } => {
                Error::data(format!("CSV field {} is not valid UTF-8", err.field() + 1))
            }
            _ => Error::data(match line {
                Some(line) => format!("malformed CSV at line {line}"),
                None => "malformed CSV".to_string(),
            }),
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
pub(crate) trait Context<T> {
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
