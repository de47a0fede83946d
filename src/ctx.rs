//! What every command is handed: the clock, the store's location, where
//! output goes and how it may look.

use std::cell::{OnceCell, RefCell};
use std::fmt::Display;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::cli::ColorChoice;
use crate::clock::Clock;
use crate::error::{Context, Error, Result};
use crate::model;
use crate::store::{Access, Store};
use crate::style::TextStyle;

pub struct Ctx {
    pub clock: Clock,
    /// `--bom`: CSV output begins with a UTF-8 byte-order mark.
    pub bom: bool,
    /// `--db` or `$LOOKOUT_DB`; None means the default location.
    db: Option<PathBuf>,
    color: ColorChoice,
    quiet: bool,
    /// A store file this command created, to remove again if the command fails.
    created: RefCell<Option<PathBuf>>,
    /// `--author` or `$LOOKOUT_AUTHOR`, else found when first asked for.
    author: OnceCell<String>,
    given_author: Option<String>,
}

impl Ctx {
    pub fn new(
        db: Option<PathBuf>,
        color: ColorChoice,
        quiet: bool,
        author: Option<String>,
    ) -> Result<Ctx> {
        let given_author = match author {
            Some(author) => Some(model::author(&author).map_err(|e| e.context("--author"))?),
            None => std::env::var("LOOKOUT_AUTHOR")
                .ok()
                .filter(|a| !a.trim().is_empty())
                .map(|a| model::author(&a).map_err(|e| e.context("LOOKOUT_AUTHOR")))
                .transpose()?,
        };
        let db = db
            .or_else(|| std::env::var_os("LOOKOUT_DB").map(PathBuf::from))
            .filter(|p| !p.as_os_str().is_empty());
        Ok(Ctx {
            clock: Clock::from_env()?,
            bom: false,
            db,
            color,
            quiet,
            created: RefCell::new(None),
            author: OnceCell::new(),
            given_author,
        })
    }

    /// Who makes this command's changes: `--author`, else `$LOOKOUT_AUTHOR`,
    /// else git's `user.name` and `user.email`, else the login name. Asked
    /// only by commands that write, so reads never start git.
    pub fn author(&self) -> &str {
        self.author.get_or_init(|| {
            self.given_author
                .clone()
                .or_else(git_identity)
                .unwrap_or_else(login_name)
        })
    }

    /// The store file: `--db`, else `$LOOKOUT_DB`, else `lookout/lookout.db`
    /// under the platform's data directory.
    pub fn db_path(&self) -> Result<PathBuf> {
        match &self.db {
            Some(path) => Ok(path.clone()),
            None => dirs::data_dir()
                .map(|dir| dir.join("lookout").join("lookout.db"))
                .ok_or_else(|| {
                    Error::io("cannot find a data directory for the store")
                        .with_hint("pass --db PATH or set LOOKOUT_DB")
                }),
        }
    }

    /// Opens the store. For writing, the default location's directory is
    /// created; an explicit path's directory must exist.
    pub fn store(&self, access: Access) -> Result<Store> {
        let path = self.db_path()?;
        if access == Access::Write
            && self.db.is_none()
            && let Some(dir) = path.parent()
        {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let existed = path.exists();
        let store = Store::open(&path, access)?;
        if !existed {
            self.created.replace(Some(path));
        }
        Ok(store)
    }

    /// A refused command changes nothing: not even the store file it created
    /// before finding the fault (`lookout --db new.db log 2025 x --kind typo`).
    /// Called after the command has dropped its store.
    pub fn discard_created_store(&self) {
        if let Some(path) = self.created.take() {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// A confirmation on stderr, unless `--quiet`.
    pub fn note(&self, message: impl Display) {
        if !self.quiet {
            // A closed stderr is no reason to fail a command that succeeded.
            let _ = writeln!(io::stderr(), "{message}");
        }
    }

    /// A warning on stderr: the command did what it was told, but the user
    /// may not have meant it, or may need to act. Shown even with --quiet,
    /// which silences only confirmations.
    pub fn warn(&self, message: impl Display) {
        let _ = writeln!(io::stderr(), "lookout: warning: {message}");
    }

    /// How text output to stdout may look. `auto` follows anstream's reading
    /// of the terminal and of NO_COLOR, CLICOLOR, CLICOLOR_FORCE and TERM.
    pub fn stdout_style(&self) -> TextStyle {
        let stdout = io::stdout();
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never
            }
        };
        let terminal = stdout.is_terminal();
        TextStyle {
            color,
            terminal,
            width: terminal.then(|| terminal_width(&stdout)),
        }
    }

    /// How text output may look where `out` goes: plain in a file.
    pub fn style_for(&self, out: &Output) -> TextStyle {
        if out.is_file() {
            TextStyle::default()
        } else {
            self.stdout_style()
        }
    }

    /// Starts CSV output: the byte-order mark, when `--bom` asks for it.
    pub fn begin_csv(&self, out: &mut Output) -> Result<()> {
        if self.bom {
            out.writer().write_all("\u{feff}".as_bytes())?;
        }
        Ok(())
    }

    /// Where a command writes its result: stdout, or `--output FILE`.
    pub fn output(&self, file: Option<&Path>) -> Result<Output> {
        match file {
            None => Ok(Output::Stdout(BufWriter::new(io::stdout()))),
            Some(path) => {
                let dir = match path.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir,
                    _ => Path::new("."),
                };
                let temp = NamedTempFile::new_in(dir)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(Output::File {
                    writer: BufWriter::new(temp),
                    path: path.to_path_buf(),
                })
            }
        }
    }
}

/// The width of the terminal stdout is: `COLUMNS` when it is set to a
/// number (as `ls` reads it), else what stdout's own terminal says, else 80.
/// Not the controlling terminal's (`/dev/tty`), which comfy-table would ask
/// and which need not be the one written to; and never 0, which a terminal
/// whose size was never set reports (a new pseudo-terminal, `script`,
/// `docker exec -t`).
fn terminal_width(stdout: &io::Stdout) -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c > 0)
        .or_else(|| terminal_size::terminal_size_of(stdout).map(|(w, _)| w.0))
        .unwrap_or(80)
}

/// `Name <email>` from git's configuration, when git is there and says.
fn git_identity() -> Option<String> {
    let identity = crate::sync::git::configured_identity().ok()??;
    let text = if identity.email.is_empty() {
        identity.name
    } else {
        identity.to_string()
    };
    model::author(&text).ok()
}

/// The login name, or `unknown`.
fn login_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .and_then(|name| model::author(&name).ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// A command's result stream. A file is written whole or not at all: it is
/// built beside its destination and renamed into place by `finish`.
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    File {
        writer: BufWriter<NamedTempFile>,
        path: PathBuf,
    },
}

impl Output {
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::Stdout(w) => w,
            Output::File { writer, .. } => writer,
        }
    }

    /// Text output may be styled only on the terminal.
    pub fn is_file(&self) -> bool {
        matches!(self, Output::File { .. })
    }

    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::File { writer, path } => {
                let temp = writer
                    .into_inner()
                    .map_err(|e| Error::from(e.into_error()).context(path.display()))?;
                temp.as_file().sync_all().with_context(|| path.display())?;
                temp.persist(&path)
                    .map_err(|e| Error::from(e.error).context(path.display()))?;
                Ok(())
            }
        }
    }
}
