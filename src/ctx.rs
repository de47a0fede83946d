//! What every command is handed: the clock, the store's location, where
//! output goes and how it may look.

use std::cell::{OnceCell, RefCell};
use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::clock::Clock;
use crate::error::{Context, Error, Result};
use crate::files;
use crate::model;
pub(crate) use crate::output::Output;
use crate::screen::for_stderr;
use crate::store::{Access, Store};
use crate::style::{ColorChoice, TextStyle};

/// Who git's configuration says the user is (`Name <email>`), when git is
/// there and says. The caller hands in how to ask (`commands::git_author`):
/// the context of every command runs no git of its own.
pub type GitAuthor = fn() -> Option<String>;

pub struct Ctx {
    pub clock: Clock,
    /// `--bom`: CSV output begins with a UTF-8 byte-order mark.
    pub bom: bool,
    /// `--wide`: text tables show every column and cut nothing, as they
    /// are written off a terminal.
    pub wide: bool,
    /// `--known-on`: the reading command reports what the store knew then,
    /// and its output says so (`Output::stamp_known_on`).
    pub known_on: Option<crate::dates::Timestamp>,
    /// The store read holds its write lock until the command ends (`--known-on`
    /// reverted in place): a report for a pipe waits in `held` meanwhile.
    pub holds_the_store: bool,
    held: crate::output::HeldOutput,
    /// `--db` or `$LOOKOUT_DB`; None means the default location.
    db: Option<PathBuf>,
    color: ColorChoice,
    quiet: bool,
    /// `--author` or `$LOOKOUT_AUTHOR`, else found when first asked for.
    author: OnceCell<String>,
    given_author: Option<String>,
    git_author: GitAuthor,
    /// The default store's path, when this command opened it for writing
    /// and it did not exist: `announce_new_store` says where it is.
    new_default_store: RefCell<Option<PathBuf>>,
}

impl Ctx {
    pub fn new(
        db: Option<PathBuf>,
        color: ColorChoice,
        quiet: bool,
        author: Option<String>,
        git_author: GitAuthor,
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
            wide: false,
            known_on: None,
            holds_the_store: false,
            held: Default::default(),
            db,
            color,
            quiet,
            author: OnceCell::new(),
            given_author,
            git_author,
            new_default_store: RefCell::new(None),
        })
    }

    /// Who makes this command's changes: `--author`, else `$LOOKOUT_AUTHOR`,
    /// else git's `user.name` and `user.email`, else the login name. Asked
    /// only by commands that write, so reads never start git.
    pub fn author(&self) -> &str {
        self.author.get_or_init(|| {
            self.given_author
                .clone()
                .or_else(|| (self.git_author)().and_then(|a| model::author(&a).ok()))
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
            self.note_default_store(&path);
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        // A store this command creates is removed again, unless the
        // command commits (or `init` keeps it): see `Store::open`.
        Store::open(&path, access)
    }

    /// Opens the store for an import, on the bulk path of a new store when
    /// `stage` asks for it (`Store::open_for_import`).
    pub fn store_for_import(&self, stage: bool) -> Result<Store> {
        let path = self.db_path()?;
        if self.db.is_none()
            && let Some(dir) = path.parent()
        {
            self.note_default_store(&path);
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        Store::open_for_import(&path, stage)
    }

    /// Remembers the default store's path when it does not exist yet.
    fn note_default_store(&self, path: &Path) {
        if std::fs::symlink_metadata(path).is_err() {
            *self.new_default_store.borrow_mut() = Some(path.to_path_buf());
        }
    }

    /// Says where the default store is, once, when this command created it
    /// (a user who never passed `--db` would not know where it went). A
    /// store a refused command created was removed again: nothing to say.
    pub fn announce_new_store(&self) {
        if let Some(path) = self.new_default_store.borrow_mut().take()
            && path.exists()
        {
            self.note(format!("created a new store at {}", path.display()));
        }
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// A confirmation on stderr, unless `--quiet`. It may quote user text
    /// (a headline, a reason), so it is neutralised like the text format.
    pub fn note(&self, message: impl Display) {
        if !self.quiet {
            // A closed stderr is no reason to fail a command that succeeded.
            let _ = writeln!(io::stderr(), "{}", for_stderr(&message.to_string()));
        }
    }

    /// A warning on stderr: the command did what it was told, but the user
    /// may not have meant it, or may need to act. Shown even with --quiet,
    /// which silences only confirmations.
    /// Neutralised as `note` is: a warning may repeat text from the shared
    /// tracker, which anyone who can push wrote.
    pub fn warn(&self, message: impl Display) {
        let message = for_stderr(&message.to_string());
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
            width: (terminal && !self.wide).then(|| terminal_width(&stdout)),
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

    /// Starts CSV output: the byte-order mark, when `--bom` asks for it; a
    /// CSV file has no header to say `--known-on` in (`Output::unstamped`).
    pub fn begin_csv(&self, out: &mut Output) -> Result<()> {
        out.unstamped();
        if self.bom {
            out.writer().write_all("\u{feff}".as_bytes())?;
        }
        Ok(())
    }

    /// Where a command writes its result: stdout, or `--output FILE`
    /// (`--rejects FILE`), which may not be the store or one of its files.
    pub fn output(&self, file: Option<&Path>) -> Result<Output> {
        let mut out = match file {
            None if self.holds_the_store && crate::output::stdout_is_a_pipe() => {
                Output::held(self.held.clone())?
            }
            None => Output::stdout(),
            Some(path) => {
                self.refuse_store_path(path)?;
                Output::open(path)?
            }
        };
        if let Some(known_on) = self.known_on {
            out.stamp_known_on(&known_on.to_string());
        }
        Ok(out)
    }

    /// Copies out a report held back from stdout (`Output::held`), once the
    /// command has let go of the store.
    pub fn release_held(&self) -> Result<()> {
        let Some(mut file) = self.held.borrow_mut().take() else {
            return Ok(());
        };
        let mut stdout = std::io::stdout().lock();
        std::io::copy(&mut file, &mut stdout)?;
        Ok(std::io::Write::flush(&mut stdout)?)
    }

    /// Refuses a path that names the store, or its write-ahead log, shared
    /// memory or rollback journal: writing there would destroy the store.
    /// Compared as files (device and inode, links followed) where they
    /// exist, else by where the paths lead.
    pub fn refuse_store_path(&self, path: &Path) -> Result<()> {
        let Ok(db) = self.db_path() else {
            return Ok(());
        };
        for (suffix, what) in [
            ("", "the store"),
            ("-wal", "the store's write-ahead log"),
            ("-shm", "the store's shared-memory file"),
            ("-journal", "the store's rollback journal"),
        ] {
            let mut file = db.clone().into_os_string();
            file.push(suffix);
            if files::same_file(path, Path::new(&file)) {
                return Err(Error::data(format!(
                    "refusing to write to {}: it is {what} ({}); writing there would destroy \
                     the store; nothing was written",
                    path.display(),
                    Path::new(&file).display()
                ))
                .with_hint("name another file"));
            }
        }
        Ok(())
    }
}

/// The width of the terminal stdout is: `COLUMNS` when it is set to a
/// number (as `ls` reads it), else what stdout's own terminal says, else 80.
/// Not the controlling terminal's (`/dev/tty`), which need not be the one
/// written to; and never 0, which a terminal whose size was never set
/// reports (a new pseudo-terminal, `script`, `docker exec -t`).
fn terminal_width(stdout: &io::Stdout) -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c > 0)
        .or_else(|| terminal_size::terminal_size_of(stdout).map(|(w, _)| w.0))
        .unwrap_or(80)
}

/// The login name, or `unknown`.
fn login_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
        .and_then(|name| model::author(&name).ok())
        .unwrap_or_else(|| "unknown".to_string())
}
