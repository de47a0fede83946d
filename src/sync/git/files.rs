//! What a commit is made of: its files, each read only as it is written.

use std::io;

use super::Oid;

/// A file of a commit: its text, a blob already in the repository, or
/// deleted.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
    Text(&'a [u8]),
    Blob(&'a Oid),
    Deleted,
}

/// What `Files::each` calls with each path and its content.
pub type EachFile<'a> = dyn FnMut(&str, Content<'_>) -> io::Result<()> + 'a;

/// The files a commit writes or deletes, read one at a time as the commit
/// is written: a first sync's commit holds the whole tracker.
pub trait Files: Sync {
    /// The paths, in order.
    fn paths(&self) -> Vec<&str>;
    /// Calls `each` with every path, in order, and its content.
    fn each(&self, each: &mut EachFile<'_>) -> io::Result<()>;
}

/// Files listed with their content (tests).
#[cfg(test)]
pub(crate) struct Listed<'a>(pub &'a [(String, Option<Vec<u8>>)]);

#[cfg(test)]
impl Files for Listed<'_> {
    fn paths(&self) -> Vec<&str> {
        self.0.iter().map(|(path, _)| path.as_str()).collect()
    }

    fn each(&self, each: &mut EachFile<'_>) -> io::Result<()> {
        for (path, bytes) in self.0 {
            match bytes {
                Some(bytes) => each(path, Content::Text(bytes))?,
                None => each(path, Content::Deleted)?,
            }
        }
        Ok(())
    }
}
