//! The CSV import reader never panics on any bytes: every input is either
//! read record by record or refused with an error, and every record it
//! yields can be checked without a panic.
#![no_main]

use std::io::Write;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use lookout::formats::Source;
use lookout::formats::dialect::CsvSource;
use lookout::record::draft::Naming;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile_in_memory();
    file.write_all(data).expect("write the input");
    let path = file.path().to_path_buf();
    let Ok(mut source) = CsvSource::open(&path) else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2025, 8, 1).expect("a real day");
    while let Ok(Some(row)) = source.next_row() {
        assert!(row.line >= 2, "a data record starts after the header");
        if let Ok(raw) = row.record {
            let _ = raw.check(Naming::Column, Some(today));
        }
    }
});

fn tempfile_in_memory() -> NamedFile {
    NamedFile::new()
}

/// A file in /dev/shm (memory) when there is one, else the temp directory.
struct NamedFile {
    path: std::path::PathBuf,
    file: std::fs::File,
}

impl NamedFile {
    fn new() -> NamedFile {
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            std::path::PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let path = dir.join(format!("lookout-fuzz-{}.csv", std::process::id()));
        let file = std::fs::File::create(&path).expect("create the input file");
        NamedFile { path, file }
    }

    fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Write for NamedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}
