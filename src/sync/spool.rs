//! Keeping a sync's large parts on disk: the files a first sync writes and
//! the records it brings in are, at a million developments, hundreds of
//! megabytes. They go to an unnamed temporary file (beside the store, in its
//! sync cache) as they are planned and are read back one at a time, so a
//! sync's memory stays that of one file of the shared tracker.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::git::{Content, EachFile, Files};
use crate::error::{Error, Result};
use crate::model::DevId;
use crate::record::Record;

/// An unnamed temporary file in `dir` (the system's when None): gone when
/// closed, whatever ends the process.
fn temporary(dir: Option<&Path>) -> Result<File> {
    match dir {
        Some(dir) => tempfile::tempfile_in(dir).map_err(|e| Error::from(e).context(dir.display())),
        None => Ok(tempfile::tempfile()?),
    }
}

/// Byte strings written once and read back by where they were put.
#[derive(Debug)]
pub struct Spool {
    file: File,
    end: u64,
}

/// Where `Spool::put` left a byte string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    at: u64,
    len: usize,
}

impl Spool {
    pub fn new(dir: Option<&Path>) -> Result<Spool> {
        Ok(Spool {
            file: temporary(dir)?,
            end: 0,
        })
    }

    pub fn put(&mut self, bytes: &[u8]) -> Result<Spilled> {
        self.file.write_all_at(bytes, self.end)?;
        let spilled = Spilled {
            at: self.end,
            len: bytes.len(),
        };
        self.end += bytes.len() as u64;
        Ok(spilled)
    }

    pub fn get(&self, spilled: Spilled) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; spilled.len];
        self.file.read_exact_at(&mut bytes, spilled.at)?;
        Ok(bytes)
    }
}

/// The files a sync writes (Some) or deletes (None) by path, their text
/// on disk.
#[derive(Debug, Default)]
pub struct SpilledFiles {
    dir: Option<PathBuf>,
    spool: Option<Spool>,
    files: BTreeMap<String, Option<Spilled>>,
}

impl SpilledFiles {
    pub fn new(dir: Option<PathBuf>) -> SpilledFiles {
        SpilledFiles {
            dir,
            ..SpilledFiles::default()
        }
    }

    /// Writes (Some) or deletes (None) the file at `path`, in place of what
    /// was set for it before.
    pub fn insert(&mut self, path: String, text: Option<Vec<u8>>) -> Result<()> {
        let spilled = match text {
            None => None,
            Some(text) => {
                if self.spool.is_none() {
                    self.spool = Some(Spool::new(self.dir.as_deref())?);
                }
                match self.spool.as_mut() {
                    Some(spool) => Some(spool.put(&text)?),
                    None => None,
                }
            }
        };
        self.files.insert(path, spilled);
        Ok(())
    }

    /// What is set for `path`: None when nothing is, Some(None) when the
    /// file is deleted.
    pub fn get(&self, path: &str) -> Result<Option<Option<Vec<u8>>>> {
        match self.files.get(path) {
            None => Ok(None),
            Some(None) => Ok(Some(None)),
            Some(Some(spilled)) => Ok(Some(Some(self.read(*spilled)?))),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn read(&self, spilled: Spilled) -> io::Result<Vec<u8>> {
        match &self.spool {
            Some(spool) => spool.get(spilled),
            None => Err(io::Error::other("a spilled file without its spool")),
        }
    }
}

impl Files for SpilledFiles {
    fn paths(&self) -> Vec<&str> {
        self.files.keys().map(String::as_str).collect()
    }

    fn each(&self, each: &mut EachFile<'_>) -> io::Result<()> {
        for (path, spilled) in &self.files {
            match spilled {
                Some(spilled) => each(path, Content::Text(&self.read(*spilled)?))?,
                None => each(path, Content::Deleted)?,
            }
        }
        Ok(())
    }
}

/// How many development ids a `RecordSpool` keeps (about 4 MB of them).
const KEPT_IDS: usize = 100_000;

/// Records appended one by one and read back in the order they came, as
/// JSON Lines; the ids of the developments among them are kept in memory
/// while there are at most `KEPT_IDS`.
#[derive(Debug, Default)]
pub struct RecordSpool {
    dir: Option<PathBuf>,
    file: Option<BufWriter<File>>,
    len: usize,
    developments: Vec<DevId>,
    /// More developments than `KEPT_IDS` came: their ids were let go.
    too_many: bool,
}

impl RecordSpool {
    pub fn new(dir: Option<PathBuf>) -> RecordSpool {
        RecordSpool {
            dir,
            ..RecordSpool::default()
        }
    }

    pub fn push(&mut self, record: &Record) -> Result<()> {
        if self.file.is_none() {
            let file = temporary(self.dir.as_deref())?;
            self.file = Some(BufWriter::with_capacity(1 << 16, file));
        }
        if let Some(file) = self.file.as_mut() {
            file.write_all(record.to_line().as_bytes())?;
            file.write_all(b"\n")?;
        }
        if let Record::Development(dev) = record
            && !self.too_many
        {
            if self.developments.len() == KEPT_IDS {
                self.too_many = true;
                self.developments = Vec::new();
            } else {
                self.developments.push(dev.id.clone());
            }
        }
        self.len += 1;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ids of the developments pushed, in order; None when there were
    /// too many to keep.
    pub fn development_ids(&self) -> Option<&[DevId]> {
        (!self.too_many).then_some(self.developments.as_slice())
    }

    /// Calls `each` with every record, in the order pushed.
    pub fn each(&mut self, mut each: impl FnMut(Record) -> Result<()>) -> Result<()> {
        let Some(writer) = self.file.as_mut() else {
            return Ok(());
        };
        writer.flush()?;
        let mut file = writer.get_ref();
        file.seek(SeekFrom::Start(0))?;
        let mut lines = BufReader::with_capacity(1 << 16, file);
        let mut line = String::new();
        for _ in 0..self.len {
            line.clear();
            lines.read_line(&mut line)?;
            each(Record::from_line(line.trim_end_matches('\n'))?)?;
        }
        // Appending goes on at the end.
        file.seek(SeekFrom::End(0))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Development;

    #[test]
    fn spilled_bytes_and_records_read_back_as_put() {
        let mut spool = Spool::new(None).unwrap();
        let a = spool.put(b"first file\n").unwrap();
        let b = spool.put(b"").unwrap();
        let c = spool.put(b"third").unwrap();
        assert_eq!(spool.get(c).unwrap(), b"third");
        assert_eq!(spool.get(a).unwrap(), b"first file\n");
        assert_eq!(spool.get(b).unwrap(), b"");

        let mut records = RecordSpool::new(None);
        assert!(records.is_empty());
        let put = [
            Record::Kind("court-ruling".into()),
            Record::Development(Development::sample("aa1", "2025-07-01")),
        ];
        for record in &put {
            records.push(record).unwrap();
        }
        let mut read = Vec::new();
        records
            .each(|r| {
                read.push(r);
                Ok(())
            })
            .unwrap();
        assert_eq!(read, put);
        assert_eq!(
            records.development_ids(),
            Some([DevId::parse("aa1").unwrap()].as_slice())
        );
        // More can follow, and a second reading sees them all.
        records.push(&put[0]).unwrap();
        let mut count = 0;
        records
            .each(|_| {
                count += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!((count, records.len()), (3, 3));
    }
}
