//! Where a command's result goes: stdout, or the file `--output` names.
//!
//! A regular file is written whole or not at all: the result is built in a
//! hidden temporary file beside it and put in place by `finish`. Symbolic
//! links are followed (the link stays, the file it names is replaced), an
//! existing file keeps its mode (and, for root, its owner), and a file with
//! more than one name (hard links) is rewritten in place from the finished
//! temporary file, so that every name still sees one file — a failure before
//! `finish` leaves it untouched, a crash during that last copy may not; so
//! is a file this user may write in a directory this user may not (its
//! temporary file is made in the temporary directory).
//! Anything that is not a regular file — a terminal, `/dev/null`, a FIFO, a
//! socket — is written straight through, never replaced; a path that is our
//! own stdout (`/dev/stdout`, `/proc/self/fd/1`) is stdout.

use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Context, Error, Result};
use crate::files;

/// A command's result stream; see the module's documentation.
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    /// Not a regular file: written as it goes.
    Direct {
        writer: BufWriter<File>,
        path: PathBuf,
    },
    /// A regular file, new or existing: built beside it, then put in place.
    File {
        writer: BufWriter<NamedTempFile>,
        target: PathBuf,
        placing: Placing,
    },
}

/// How a finished temporary file becomes the destination.
pub enum Placing {
    /// Renamed over it: atomic.
    Rename,
    /// Copied into it, so that its other names (hard links) see the result.
    CopyInto,
}

impl Output {
    pub fn stdout() -> Output {
        Output::Stdout(BufWriter::new(io::stdout()))
    }

    /// The output for `--output path`.
    pub fn open(path: &Path) -> Result<Output> {
        let cannot = || format!("cannot write {}", path.display());
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Err(Error::io(format!("{}: it is a directory", cannot()))
                .with_hint("name a file, e.g. --output report.html")),
            Ok(meta) if is_our_stdout(&meta) => Ok(Output::stdout()),
            Ok(meta) if meta.is_file() => Output::replacing(path, &meta).with_context(cannot),
            Ok(_) => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(cannot)?;
                Ok(Output::Direct {
                    writer: BufWriter::new(file),
                    path: path.to_path_buf(),
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Output::new_file(path).with_context(cannot)
            }
            Err(e) => Err(Error::from(e).context(cannot())),
        }
    }

    /// An existing regular file (symbolic links followed).
    fn replacing(path: &Path, meta: &Metadata) -> Result<Output> {
        let target = fs::canonicalize(path)?;
        let (temp, placing) = match files::hidden_temp(directory_of(&target), "output", None) {
            Ok(temp) if files::link_count(meta) > 1 => (temp, Placing::CopyInto),
            Ok(temp) => (temp, Placing::Rename),
            // A file one may write in a directory one may not: built in the
            // temporary directory and copied in, as a shell's `>` would write it.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => (
                files::hidden_temp(&std::env::temp_dir(), "output", None)?,
                Placing::CopyInto,
            ),
            Err(e) => return Err(e.into()),
        };
        temp.as_file().set_permissions(meta.permissions())?;
        keep_owner(temp.as_file(), meta);
        Ok(Output::File {
            writer: BufWriter::new(temp),
            target,
            placing,
        })
    }

    /// A file that does not exist yet, made as a shell redirection would
    /// make it (mode 0666 less the umask); a dangling link is followed.
    fn new_file(path: &Path) -> Result<Output> {
        let target = files::resolve(path);
        let dir = directory_of(&target);
        if !dir.is_dir() {
            return Err(Error::io(format!(
                "the directory {} does not exist",
                dir.display()
            )));
        }
        let temp = files::hidden_temp(dir, "output", new_file_permissions())?;
        Ok(Output::File {
            writer: BufWriter::new(temp),
            target,
            placing: Placing::Rename,
        })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::Stdout(w) => w,
            Output::Direct { writer, .. } => writer,
            Output::File { writer, .. } => writer,
        }
    }

    /// Text output may be styled only on the terminal.
    pub fn is_file(&self) -> bool {
        !matches!(self, Output::Stdout(_))
    }

    /// Flushes, and puts a file in place.
    pub fn finish(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::Direct { mut writer, path } => writer.flush().with_context(|| path.display()),
            Output::File {
                writer,
                target,
                placing,
            } => {
                let shown = target.display();
                let temp = writer
                    .into_inner()
                    .map_err(|e| Error::from(e.into_error()).context(&shown))?;
                temp.as_file().sync_all().with_context(|| &shown)?;
                match placing {
                    Placing::Rename => {
                        temp.persist(&target)
                            .map_err(|e| Error::from(e.error).context(&shown))?;
                    }
                    Placing::CopyInto => copy_into(temp, &target).with_context(|| &shown)?,
                }
                Ok(())
            }
        }
    }
}

fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Rewrites `target` in place with the temporary file's bytes.
fn copy_into(temp: NamedTempFile, target: &Path) -> io::Result<()> {
    let mut source = temp.reopen()?;
    source.rewind()?;
    let mut dest = OpenOptions::new().write(true).truncate(true).open(target)?;
    io::copy(&mut source, &mut dest)?;
    dest.sync_all()
}

/// Whether `meta` is the file our stdout is (`--output /dev/stdout`).
fn is_our_stdout(meta: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() else {
            return false;
        };
        let Ok(ours) = File::from(fd).metadata() else {
            return false;
        };
        files::file_id(&ours).is_some() && files::file_id(&ours) == files::file_id(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// Root replacing someone's file gives the new one their owner; anyone else
/// cannot, and need not (the file was theirs).
fn keep_owner(file: &File, meta: &Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    #[cfg(not(unix))]
    {
        let _ = (file, meta);
    }
}

fn new_file_permissions() -> Option<Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    {
        None
    }
}
