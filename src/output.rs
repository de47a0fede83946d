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
pub struct Output {
    sink: Sink,
    /// `--known-on`: what the report's header or JSON gains (see `Stamp`).
    stamp: Option<Stamp>,
}

/// Where a report held back from stdout waits (`Output::held`).
pub type HeldOutput = std::rc::Rc<std::cell::RefCell<Option<File>>>;

/// Where the bytes go.
enum Sink {
    Stdout(BufWriter<io::Stdout>),
    /// Stdout, held back in an unlinked temporary file until the command
    /// has let go of the store (`Ctx::release_held`).
    Held {
        writer: BufWriter<File>,
        slot: HeldOutput,
    },
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
        Output::on(Sink::Stdout(BufWriter::new(io::stdout())))
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
                Ok(Output::on(Sink::Direct {
                    writer: BufWriter::new(file),
                    path: path.to_path_buf(),
                }))
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
        Ok(Output::on(Sink::File {
            writer: BufWriter::new(temp),
            target,
            placing,
        }))
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
        let temp = files::hidden_temp(dir, "output", Some(new_file_permissions()))?;
        Ok(Output::on(Sink::File {
            writer: BufWriter::new(temp),
            target,
            placing: Placing::Rename,
        }))
    }

    /// Stdout, held back in `slot` until `Ctx::release_held` copies it
    /// out: for a report made on a store that holds its write lock, so that
    /// a reader who does not read (a pager) keeps no writer waiting.
    pub fn held(slot: HeldOutput) -> Result<Output> {
        let file =
            tempfile::tempfile().with_context(|| "cannot make a temporary file for the report")?;
        Ok(Output::on(Sink::Held {
            writer: BufWriter::new(file),
            slot,
        }))
    }

    fn on(sink: Sink) -> Output {
        Output { sink, stamp: None }
    }

    /// Marks the report as the store knew it at `known_on` (`--known-on`):
    /// see `Stamp`.
    pub fn stamp_known_on(&mut self, known_on: &str) {
        self.stamp = Some(Stamp::new(known_on));
    }

    /// Leaves the output as the command writes it: CSV and JSON Lines have
    /// no header to say it in, and a key in each line would change the
    /// record format `import` reads back.
    pub fn unstamped(&mut self) {
        self.stamp = None;
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        self
    }

    /// Text output may be styled only on the terminal.
    pub fn is_file(&self) -> bool {
        !matches!(self.sink, Sink::Stdout(_) | Sink::Held { .. })
    }

    /// Flushes, and puts a file in place.
    pub fn finish(mut self) -> Result<()> {
        if let Some(stamp) = self.stamp.take() {
            stamp.end(self.sink.writer())?;
        }
        self.sink.finish()
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.stamp {
            None => self.sink.writer().write(buf),
            Some(stamp) => {
                stamp.feed(buf, self.sink.writer())?;
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.writer().flush()
    }
}

impl Sink {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::Held { writer, .. } => writer,
            Sink::Direct { writer, .. } => writer,
            Sink::File { writer, .. } => writer,
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::Held { writer, slot } => {
                let mut file = writer
                    .into_inner()
                    .map_err(|e| Error::from(e.into_error()))?;
                file.rewind()?;
                *slot.borrow_mut() = Some(file);
                Ok(())
            }
            Sink::Direct { mut writer, path } => writer.flush().with_context(|| path.display()),
            Sink::File {
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

/// What `--known-on K` adds to a report, whatever command wrote it, found
/// from the report's first bytes so that no renderer needs to know: a JSON
/// object (pretty-printed, as every JSON report is) gains `"known_on": K`
/// as its first key, and each object of a JSON array (timeline, search,
/// listings) likewise; an html page says "As known on K" under its heading,
/// markdown and text under their first line. Streaming: only the first
/// line (html: up to the end of the first heading) is held.
struct Stamp {
    known_on: String,
    held: Vec<u8>,
    form: Option<Form>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    JsonObject,
    JsonArray,
    Html,
    Markdown,
    Text,
    /// Stamped already: the rest goes through.
    Done,
}

/// An html report's first heading ends here.
const HTML_HEADING_END: &[u8] = b"</h1>";

/// How much of an html page is held looking for its heading.
const HTML_HELD_MAX: usize = 1 << 16;

impl Stamp {
    fn new(known_on: &str) -> Stamp {
        Stamp {
            known_on: known_on.to_string(),
            held: Vec::new(),
            form: None,
        }
    }

    fn feed(&mut self, buf: &[u8], out: &mut dyn Write) -> io::Result<()> {
        if self.form == Some(Form::Done) {
            return out.write_all(buf);
        }
        self.held.extend_from_slice(buf);
        if self.form.is_none() {
            let Some(first) = self.held.iter().find(|b| !b.is_ascii_whitespace()) else {
                return Ok(());
            };
            self.form = Some(match first {
                b'{' => Form::JsonObject,
                b'[' => Form::JsonArray,
                b'<' => Form::Html,
                b'#' => Form::Markdown,
                _ => Form::Text,
            });
        }
        self.release(out)
    }

    /// Writes what is held as far as its form allows.
    fn release(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.form {
            Some(Form::Html) => {
                let Some(at) = find(&self.held, HTML_HEADING_END) else {
                    if self.held.len() > HTML_HELD_MAX {
                        // No heading near the top: the page goes out unmarked.
                        out.write_all(&self.held)?;
                        return self.done();
                    }
                    return Ok(());
                };
                let end = at + HTML_HEADING_END.len();
                out.write_all(&self.held[..end])?;
                write!(
                    out,
                    "\n<p class=\"known-on\">As known on {}</p>",
                    self.known_on
                )?;
                out.write_all(&self.held[end..])?;
                self.done()
            }
            Some(Form::JsonArray) => {
                // Line by line: an element of the top-level array opens on a
                // line of its own, indented two spaces.
                let mut start = 0;
                while let Some(n) = self.held[start..].iter().position(|&b| b == b'\n') {
                    let line = &self.held[start..start + n + 1];
                    out.write_all(line)?;
                    if line == b"  {\n" {
                        writeln!(out, "    \"known_on\": \"{}\",", self.known_on)?;
                    }
                    start += n + 1;
                }
                self.held.drain(..start);
                Ok(())
            }
            Some(form) => {
                let Some(n) = self.held.iter().position(|&b| b == b'\n') else {
                    return Ok(());
                };
                let (line, rest) = self.held.split_at(n + 1);
                out.write_all(line)?;
                match form {
                    Form::JsonObject if line == b"{\n" => {
                        writeln!(out, "  \"known_on\": \"{}\",", self.known_on)?
                    }
                    Form::Markdown => writeln!(out, "\n*As known on {}*", self.known_on)?,
                    Form::Text => writeln!(out, "As known on {}", self.known_on)?,
                    _ => {}
                }
                out.write_all(rest)?;
                self.done()
            }
            None => Ok(()),
        }
    }

    fn done(&mut self) -> io::Result<()> {
        self.held = Vec::new();
        self.form = Some(Form::Done);
        Ok(())
    }

    /// The end of the report: what is still held goes out as it is.
    fn end(self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.held)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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
/// Whether stdout is a pipe or a socket: a reader that may not read.
pub fn stdout_is_a_pipe() -> bool {
    use std::os::unix::fs::FileTypeExt;
    stdout_metadata().is_some_and(|m| m.file_type().is_fifo() || m.file_type().is_socket())
}

fn is_our_stdout(meta: &Metadata) -> bool {
    stdout_metadata().is_some_and(|ours| files::file_id(&ours) == files::file_id(meta))
}

/// What stdout is, as a file.
fn stdout_metadata() -> Option<Metadata> {
    use std::os::fd::AsFd;
    let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
    File::from(fd).metadata().ok()
}

/// Root replacing someone's file gives the new one their owner; anyone else
/// cannot, and need not (the file was theirs).
fn keep_owner(file: &File, meta: &Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

fn new_file_permissions() -> Permissions {
    use std::os::unix::fs::PermissionsExt;
    Permissions::from_mode(0o666)
}
