//! The layers hold: imports run one way, from the entry point down to the
//! leaves (README, "Architecture"). For each top-level module (a file or a
//! folder under src/) `MAY_USE` lists the lookout modules it may use, and
//! every path its code names into another module must be on its line:
//! `crate::x`, `super::…::x` climbing out of it, `lookout::x` in main.rs,
//! alone, in `use` groups (`use crate::{a, b::c}`) or inline in an
//! expression (`crate::store::Store::open(…)`). A module missing from the
//! table fails until it is placed in a layer. README's "Architecture" shows
//! the table and its layer line, and two tests hold it to them.
//!
//! All code is read but test code: `#[cfg(test)] mod … { … }` blocks and the
//! files of `#[cfg(test)] mod …;` declarations (a module's tests may use
//! whatever sets up and checks it). Comments and string literals are no code.

mod reader;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use reader::{Named, Token, named, tokens};

/// For each top-level module, top to bottom, the modules it may use (its
/// own is always allowed): each names only modules below it. `x::y` allows
/// only that part of `x`. README's "Architecture" shows this table.
#[rustfmt::skip]
const MAY_USE: &[(&str, &[&str])] = &[
    ("main", &["lib", "cli", "screen"]),
    ("lib", &["commands", "cli", "ctx", "error"]),
    ("commands", &[
        "cli", "share", "import", "ctx", "interrupt", "output", "report", "sync", "formats",
        "feeds", "store", "record", "limits", "model", "dates", "error", "progress", "suggest", "words",
        "screen",
    ]),
    ("cli", &["report", "style"]),
    ("share", &["store", "sync", "record", "model", "clock", "error", "screen"]),
    ("import", &[
        "formats", "store", "record", "limits", "model", "clock", "dates", "error", "words",
    ]),
    ("ctx", &["output", "store", "model", "clock", "dates", "error", "style", "files", "screen"]),
    ("interrupt", &["store", "error"]),
    // Reports write files but read none: the writers of `formats`, and no
    // draft of what an input file states (`EXCEPT`).
    ("report", &[
        "sync", "formats::csv_writer", "formats::timeline_csv", "record", "model", "dates",
        "error", "style", "words", "screen",
    ]),
    ("sync", &["formats", "record", "limits", "model", "dates", "error", "screen"]),
    ("formats", &["record", "limits", "model", "error", "screen"]),
    ("feeds", &["record", "limits", "error", "screen"]),
    ("store", &["record", "model", "dates", "error", "suggest", "files", "screen"]),
    ("output", &["error", "files"]),
    ("limits", &["record", "model", "error", "screen"]),
    ("record", &["model", "dates", "error", "screen"]),
    ("model", &["dates", "error", "suggest", "screen"]),
    ("clock", &["dates", "error", "screen"]),
    ("dates", &["screen"]),
    ("error", &["screen"]),
    // Leaves: they use nothing of lookout's.
    ("progress", &[]),
    ("suggest", &[]),
    ("words", &[]),
    ("style", &[]),
    ("files", &[]),
    ("screen", &[]),
];

/// Within what a module may use, what it still may not.
const EXCEPT: &[(&str, &str)] = &[("report", "record::draft")];

/// A source file under src/: its path and its module path (`report/mod.rs`
/// is `["report"]`; lib.rs and main.rs are `[]`).
struct Source {
    file: PathBuf,
    module: Vec<String>,
    tokens: Vec<Token>,
}

impl Source {
    /// The table's name for the file's top-level module: lib.rs is `lib`,
    /// main.rs `main`.
    fn top(&self) -> &str {
        match self.module.first() {
            Some(top) => top,
            None if self.file.ends_with("main.rs") => "main",
            None => "lib",
        }
    }
}

/// Every .rs file under src/, read.
fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let file = entry.unwrap().path();
            if file.is_dir() {
                dirs.push(file);
                continue;
            }
            if file.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = file.strip_prefix(&src).unwrap().with_extension("");
            let mut module: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into()).collect();
            let root = module.len() == 1 && ["lib", "main"].contains(&module[0].as_str());
            if root || module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            let tokens = tokens(&std::fs::read_to_string(&file).unwrap());
            out.push(Source {
                file: Path::new("src").join(file.strip_prefix(&src).unwrap()),
                module,
                tokens,
            });
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// Every source that is no test file, what its code names, and the
/// top-level modules (test files and lib.rs, main.rs aside).
fn code() -> (Vec<(Source, Named)>, BTreeSet<String>) {
    let sources = sources();
    let tops: BTreeSet<String> = sources
        .iter()
        .filter_map(|s| s.module.first().cloned())
        .collect();
    let read: Vec<(Source, Named)> = sources
        .into_iter()
        .map(|s| {
            let named = named(&s.tokens, &s.module, &tops);
            (s, named)
        })
        .collect();
    let tests: Vec<Vec<String>> = read
        .iter()
        .flat_map(|(_, n)| n.test_files.clone())
        .collect();
    let code: Vec<(Source, Named)> = read
        .into_iter()
        .filter(|(s, _)| !tests.iter().any(|t| s.module.starts_with(t)))
        .collect();
    let tops = code
        .iter()
        .filter_map(|(s, _)| s.module.first().cloned())
        .collect();
    (code, tops)
}

/// What a module's line in `MAY_USE` says it may use.
fn may_use(module: &str) -> Option<&'static [&'static str]> {
    MAY_USE
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, may)| *may)
}

/// Whether `module` may name `path` (from the crate root, its first segment
/// a top-level module).
fn allowed(module: &str, path: &[String], may: &[&str]) -> bool {
    let under = |entry: &str| {
        let entry: Vec<&str> = entry.split("::").collect();
        path.len() >= entry.len() && path.iter().zip(&entry).all(|(a, b)| a == b)
    };
    path[0] == module
        || (may.iter().any(|entry| under(entry))
            && !EXCEPT.iter().any(|(m, entry)| *m == module && under(entry)))
}

#[test]
fn every_module_is_placed_in_a_layer() {
    let (_, tops) = code();
    let unplaced: Vec<&String> = tops.iter().filter(|t| may_use(t).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "place these modules in a layer (MAY_USE in src/layers_tests.rs, and README's \
         \"Architecture\"): {unplaced:?}"
    );
    let gone: Vec<&str> = MAY_USE
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| !["lib", "main"].contains(m) && !tops.contains(*m))
        .collect();
    assert!(gone.is_empty(), "no such modules: {gone:?}");
}

#[test]
fn the_table_runs_down() {
    let mut wrong = Vec::new();
    for (at, (module, may)) in MAY_USE.iter().enumerate() {
        let excepted = EXCEPT.iter().filter(|(m, _)| m == module).map(|(_, e)| e);
        for entry in may.iter().chain(excepted) {
            let top = entry.split("::").next().unwrap_or(entry);
            let below = MAY_USE[at + 1..].iter().any(|(m, _)| *m == top);
            if !below {
                wrong.push(format!("{module} may use {entry}, which is not below it"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn imports_run_one_way() {
    let (code, tops) = code();
    let mut wrong = Vec::new();
    for (source, named) in &code {
        let module = source.top();
        let may = may_use(module).unwrap_or(&[]);
        for (path, line) in &named.paths {
            let Some(first) = path.first() else {
                continue;
            };
            // What lib.rs holds itself (`crate::run`) is the entry point's.
            let path = match tops.contains(first) {
                true => path.clone(),
                false => [vec!["lib".to_string()], path.clone()].concat(),
            };
            if !allowed(module, &path, may) {
                let file = source.file.display();
                wrong.push(format!("{file}:{line}: {module} uses {}", path.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that break the layers (README, \"Architecture\"; MAY_USE):\n{}",
        wrong.join("\n")
    );
}

/// Commands do not use one another, only their shared helpers in mod.rs.
#[test]
fn commands_do_not_use_one_another() {
    let (code, _) = code();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (source, named) in code.iter().filter(|(s, _)| s.top() == "commands") {
        for (path, line) in &named.paths {
            let Some(name) = path.get(1).filter(|_| path[0] == "commands") else {
                continue;
            };
            let own = source.module.get(1) == Some(name);
            let command = src.join("commands").join(format!("{name}.rs")).exists();
            if command && !own {
                let file = source.file.display();
                wrong.push(format!("{file}:{line}: {}", path.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// README's "Architecture", up to the next section.
fn architecture() -> String {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(readme).unwrap();
    let from = text
        .find("### Architecture\n")
        .expect("README has an Architecture section");
    let section = &text[from + 4..];
    section[..section.find("\n### ").unwrap_or(section.len())].to_string()
}

/// `report/`, `ctx.rs` as the table names them: `report`, `ctx`.
fn module_name(text: &str) -> Option<&str> {
    let text = text.trim().trim_matches('`');
    text.strip_suffix(".rs")
        .or_else(|| text.strip_suffix('/'))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

#[test]
fn readme_shows_the_table() {
    let mut rows = Vec::new();
    for line in architecture().lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (mut may, mut except) = (Vec::new(), Vec::new());
        for entry in cells[2].split(", ").filter(|e| *e != "—") {
            match entry.split_once(" (not ") {
                Some((allowed, not)) => {
                    may.push(allowed.to_string());
                    except.push(not.trim_end_matches(')').to_string());
                }
                None => may.push(entry.to_string()),
            }
        }
        may.sort();
        rows.push((
            module_name(cells[1]).unwrap_or(cells[1]).to_string(),
            may,
            except,
        ));
    }
    let table: Vec<(String, Vec<String>, Vec<String>)> = MAY_USE
        .iter()
        .map(|(module, may)| {
            let mut may: Vec<String> = may.iter().map(|m| m.to_string()).collect();
            may.sort();
            let except = EXCEPT.iter().filter(|(m, _)| m == module);
            let except = except.map(|(_, e)| e.to_string()).collect();
            (module.to_string(), may, except)
        })
        .collect();
    assert_eq!(rows, table, "README's table of layers is not MAY_USE");
}

#[test]
fn readme_shows_the_layer_line() {
    let section = architecture();
    let line = section
        .split("```")
        .nth(1)
        .expect("a layer line in a code block");
    let bands: Vec<Vec<&str>> = line
        .split('→')
        .map(|band| band.split(',').filter_map(module_name).collect())
        .collect();
    let order: Vec<&str> = bands.concat();
    let table: Vec<&str> = MAY_USE.iter().map(|(m, _)| *m).collect();
    assert_eq!(order, table, "README's layer line is not MAY_USE's order");
    for band in &bands {
        for module in band {
            let peers = may_use(module).unwrap_or(&[]).iter();
            let uses_a_peer =
                peers.filter(|e| band.iter().any(|p| e.split("::").next() == Some(p)));
            let uses_a_peer: Vec<&&str> = uses_a_peer.collect();
            assert!(
                uses_a_peer.is_empty(),
                "{module} uses its peers {uses_a_peer:?}"
            );
        }
    }
}
