//! The layers hold: imports run one way, from the command line down to the
//! dates (README, "Architecture"). Each module's source is read and every
//! `crate::` path in it checked against what that module may not use.

use std::path::{Path, PathBuf};

/// For each module (a file or folder under src/), the modules it must not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    // Leaves: they use nothing of lookout's but errors.
    (
        "screen",
        &[
            "dates", "model", "record", "formats", "store", "report", "import", "ctx", "commands",
            "cli", "clock", "error",
        ],
    ),
    (
        "files",
        &[
            "dates", "model", "record", "formats", "store", "report", "import", "ctx", "commands",
            "cli", "clock", "error", "screen",
        ],
    ),
    (
        "output",
        &[
            "dates", "model", "record", "formats", "store", "report", "import", "ctx", "commands",
            "cli", "clock",
        ],
    ),
    (
        "dates",
        &[
            "model", "record", "formats", "store", "report", "import", "ctx", "commands", "cli",
            "clock",
        ],
    ),
    (
        "model",
        &[
            "record", "formats", "store", "report", "import", "ctx", "commands", "cli", "clock",
        ],
    ),
    (
        "limits",
        &[
            "record", "formats", "store", "report", "import", "ctx", "commands", "cli", "clock",
        ],
    ),
    (
        "record",
        &[
            "formats", "store", "report", "import", "ctx", "commands", "cli", "clock",
        ],
    ),
    (
        "formats",
        &[
            "store", "report", "import", "ctx", "commands", "cli", "clock",
        ],
    ),
    (
        "store",
        &[
            "formats", "report", "import", "ctx", "commands", "cli", "clock", "progress",
        ],
    ),
    (
        "report",
        &["store", "import", "ctx", "commands", "clock", "progress"],
    ),
    ("import", &["report", "ctx", "commands", "cli"]),
    // The sync engine sits beside import: the store and sync's pieces, and
    // no saying (the command prints what it returns).
    ("share", &["report", "import", "ctx", "commands", "cli"]),
    (
        "sync",
        &[
            "store", "report", "import", "ctx", "commands", "cli", "clock",
        ],
    ),
    ("ctx", &["report", "commands", "import", "formats"]),
];

/// Readers and import types that reports may not use (the writers they may).
const READERS: &[&str] = &[
    "formats::csv_reader",
    "formats::dialect",
    "formats::jsonl",
    "formats::rejects",
    "record::draft",
];

fn sources(module: &str) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// Every `crate::a::b` path a file names, outside its tests.
fn crate_paths(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut paths = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        paths.push(path.trim_end_matches(':').to_string());
    }
    // `use crate::{a, b::c}` groups.
    for (at, _) in code.match_indices("use crate::{") {
        let rest = &code[at + "use crate::{".len()..];
        let group = rest.split('}').next().unwrap_or("");
        paths.extend(group.split(',').map(|p| p.trim().to_string()));
    }
    paths
}

#[test]
fn imports_run_one_way() {
    let mut wrong = Vec::new();
    for (module, forbidden) in FORBIDDEN {
        let files = sources(module);
        assert!(!files.is_empty(), "no sources for {module}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for path in crate_paths(&text) {
                let top = path.split("::").next().unwrap_or("");
                let reader = *module == "report" && READERS.iter().any(|r| path.starts_with(r));
                if forbidden.contains(&top) || reader {
                    wrong.push(format!("{}: crate::{path}", file.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that climb a layer:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn nothing_but_the_entry_point_uses_a_command() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for module in [
        "dates", "model", "record", "formats", "store", "report", "import", "ctx",
    ] {
        for file in sources(module) {
            let text = std::fs::read_to_string(&file).unwrap();
            if text.contains("crate::commands") {
                wrong.push(file.display().to_string());
            }
        }
    }
    // Commands do not use one another (only their shared helpers in mod.rs).
    for file in sources("commands") {
        let text = std::fs::read_to_string(&file).unwrap();
        for path in crate_paths(&text) {
            let Some(rest) = path.strip_prefix("commands::") else {
                continue;
            };
            let is_helper = !rest.contains("::")
                && !std::fs::exists(src.join("commands").join(format!("{rest}.rs"))).unwrap();
            if !is_helper {
                wrong.push(format!("{}: crate::{path}", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
