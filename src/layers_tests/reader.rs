//! What Rust source names: a reader just good enough for the layers test.
//! It skips comments and literals, tracks inline modules, skips test
//! modules, and gives every path into lookout's modules from the crate root.

use std::collections::BTreeSet;

/// One word of Rust source, and the line it is on.
pub(super) struct Token {
    pub(super) text: String,
    pub(super) line: usize,
}

/// The tokens of Rust source without its comments; a string or character
/// literal is one token, `""`, its text no code.
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let (end, text) = lex(&chars, i);
        if let Some(text) = text {
            out.push(Token { text, line });
        }
        let end = end.max(i + 1);
        line += chars[i..end].iter().filter(|c| **c == '\n').count();
        i = end;
    }
    out
}

/// Where the lexeme at `i` ends, and its token unless it is a space or a comment.
fn lex(chars: &[char], i: usize) -> (usize, Option<String>) {
    let at = |k: usize| chars.get(k).copied();
    let literal = Some(String::from("\"\""));
    match (chars[i], at(i + 1)) {
        (c, _) if c.is_whitespace() => (i + 1, None),
        ('/', Some('/')) => (find(chars, i, |c| c == '\n'), None),
        ('/', Some('*')) => (block_comment_end(chars, i), None),
        ('"', _) => (string_end(chars, i + 1), literal),
        ('\'', Some('\\')) => (find(chars, i + 3, |c| c == '\'') + 1, literal),
        ('\'', _) if at(i + 2) == Some('\'') => (i + 3, literal),
        (':', Some(':')) => (i + 2, Some(String::from("::"))),
        (c, _) if c.is_alphanumeric() || c == '_' => {
            let end = find(chars, i, |c| !(c.is_alphanumeric() || c == '_'));
            let word: String = chars[i..end].iter().collect();
            match (word.as_str(), at(end)) {
                ("r" | "br" | "cr", Some('"' | '#')) if is_raw_string(chars, end) => {
                    (raw_string_end(chars, end), literal)
                }
                ("b" | "c", Some('"')) => (string_end(chars, end + 1), literal),
                ("b", Some('\'')) => lex(chars, end),
                _ => (end, Some(word)),
            }
        }
        (c, _) => (i + 1, Some(c.to_string())),
    }
}

/// The first index from `i` whose character `stop` accepts, or the end.
fn find(chars: &[char], i: usize, stop: impl Fn(char) -> bool) -> usize {
    (i..chars.len())
        .find(|k| stop(chars[*k]))
        .unwrap_or(chars.len())
}

/// Just past the `*/` closing the (nested) comment opened at `i`.
fn block_comment_end(chars: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => depth += 1,
            ('*', '/') => depth -= 1,
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
        if depth == 0 {
            return i;
        }
    }
    chars.len()
}

/// Just past the `"` closing a string whose text starts at `i`.
fn string_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Whether the hashes at `i` open a raw string (`r#"`), not a raw
/// identifier (`r#type`).
fn is_raw_string(chars: &[char], i: usize) -> bool {
    chars.get(find(chars, i, |c| c != '#')) == Some(&'"')
}

/// Just past a raw string whose hashes (or quote) start at `i`.
fn raw_string_end(chars: &[char], i: usize) -> usize {
    let hashes = find(chars, i, |c| c != '#') - i;
    let close: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    (i + hashes + 1..chars.len())
        .find(|k| chars[*k..].starts_with(&close))
        .map_or(chars.len(), |k| k + close.len())
}

fn text(tokens: &[Token], i: usize) -> &str {
    tokens.get(i).map_or("", |t| t.text.as_str())
}

fn is_word(text: &str) -> bool {
    text.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// Test code declared at `i`: `#[cfg(test)]`, any other attributes,
/// `mod name` and then a block (skipped to just past its end) or `;` (a
/// test file, named).
enum TestModule {
    Block { end: usize },
    File { name: String },
}

fn test_module(tokens: &[Token], i: usize) -> Option<TestModule> {
    let cfg_test = ["#", "[", "cfg", "(", "test", ")", "]"];
    if !(0..cfg_test.len()).all(|k| text(tokens, i + k) == cfg_test[k]) {
        return None;
    }
    let mut j = i + cfg_test.len();
    while text(tokens, j) == "#" {
        j = after_group(tokens, j + 1, "[", "]");
    }
    if text(tokens, j) == "pub" {
        j += 1;
        if text(tokens, j) == "(" {
            j = after_group(tokens, j, "(", ")");
        }
    }
    if text(tokens, j) != "mod" {
        return None;
    }
    let name = text(tokens, j + 1).to_string();
    match text(tokens, j + 2) {
        "{" => Some(TestModule::Block {
            end: after_group(tokens, j + 2, "{", "}"),
        }),
        ";" => Some(TestModule::File { name }),
        _ => None,
    }
}

/// Just past the `close` that matches the `open` at `i`.
fn after_group(tokens: &[Token], mut i: usize, open: &str, close: &str) -> usize {
    let mut depth = 0;
    while i < tokens.len() {
        match text(tokens, i) {
            t if t == open => depth += 1,
            t if t == close => depth -= 1,
            _ => {}
        }
        i += 1;
        if depth == 0 {
            break;
        }
    }
    i
}

/// What one file's code names: each path from the crate root (a use tree
/// gives one path a leaf) with its line, and the test files it declares.
#[derive(Default)]
pub(super) struct Named {
    pub(super) paths: Vec<(Vec<String>, usize)>,
    pub(super) test_files: Vec<Vec<String>>,
}

/// Reads a file's tokens; `module` is the file's module path, `tops` the
/// top-level modules, which lib.rs names without `crate::`.
pub(super) fn named(tokens: &[Token], module: &[String], tops: &BTreeSet<String>) -> Named {
    let mut named = Named::default();
    let mut here = module.to_vec();
    let mut inline_at: Vec<usize> = Vec::new(); // the depths inline modules close at
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        match test_module(tokens, i) {
            Some(TestModule::Block { end }) => {
                i = end;
                continue;
            }
            Some(TestModule::File { name }) => {
                named.test_files.push([here.clone(), vec![name]].concat());
            }
            None => {}
        }
        match text(tokens, i) {
            "{" => depth += 1,
            "}" => {
                if inline_at.last() == Some(&depth) {
                    inline_at.pop();
                    here.pop();
                }
                depth -= 1;
            }
            "mod" if text(tokens, i + 2) == "{" => {
                here.push(text(tokens, i + 1).to_string());
                inline_at.push(depth + 1);
            }
            _ => {}
        }
        let starts_path = text(tokens, i + 1) == "::" && (i == 0 || text(tokens, i - 1) != "::");
        if let Some((base, from)) = starts_path
            .then(|| path_base(tokens, i, &here, tops))
            .flatten()
        {
            let line = tokens[i].line;
            let mut leaves = Vec::new();
            i = use_tree(tokens, from, base, &mut leaves);
            named.paths.extend(leaves.into_iter().map(|p| (p, line)));
            continue;
        }
        i += 1;
    }
    named
}

/// Where a path starting at `i` starts from the crate root, and the index
/// of its first segment below that: `crate::`, `lookout::` (main.rs),
/// `super::` as often as written, `self::`, and in lib.rs a top-level
/// module's name. Other paths (std, other crates, local names) are none.
fn path_base(
    tokens: &[Token],
    i: usize,
    here: &[String],
    tops: &BTreeSet<String>,
) -> Option<(Vec<String>, usize)> {
    match text(tokens, i) {
        "crate" | "lookout" => Some((Vec::new(), i + 2)),
        "self" => Some((here.to_vec(), i + 2)),
        "super" => {
            let mut j = i;
            let mut base = here.to_vec();
            while text(tokens, j) == "super" && text(tokens, j + 1) == "::" {
                base.pop()?;
                j += 2;
            }
            Some((base, j))
        }
        top if here.is_empty() && tops.contains(top) => Some((Vec::new(), i)),
        _ => None,
    }
}

/// Reads the use tree or path at `i` (just past `prefix::`): `a::b`,
/// `a::{self, b, c::{d, e}}`, `a::*`, `a::B::new(…)`; each leaf's path from
/// the root goes to `out`. Returns the index just past it.
fn use_tree(
    tokens: &[Token],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix;
    loop {
        match text(tokens, i) {
            "{" => {
                i += 1;
                while !matches!(text(tokens, i), "}" | "") {
                    i = use_tree(tokens, i, path.clone(), out);
                    while !matches!(text(tokens, i), "," | "}" | "") {
                        i += 1; // `as name`
                    }
                    if text(tokens, i) == "," {
                        i += 1;
                    }
                }
                return i + 1;
            }
            "self" | "*" => i += 1,
            word if is_word(word) => {
                path.push(word.to_string());
                i += 1;
            }
            _ => {}
        }
        if text(tokens, i) != "::" {
            break;
        }
        i += 1;
    }
    out.push(path);
    i
}

/// The reader finds paths in groups, inline, climbing with `super`, in test
/// helpers outside `mod tests`; not in comments, strings or test modules.
#[test]
fn the_reader_skips_only_test_modules() {
    let text = r###"
use crate::{dates, model::{self, Status as S}};
// crate::in_a_comment /* crate::nested */
fn f() { let s = "crate::in_a_string {"; let c = '{'; crate::store::Store::open(&s)?; }
#[cfg(test)]
fn only_for_tests() -> crate::formats::Thing { Thing::new() }
mod inner { use super::super::super::sync::git; }
#[cfg(test)]
#[allow(dead_code)]
mod tests { use crate::commands::log; }
#[cfg(test)]
mod more_tests;
fn g<'a>(r#type: &'a str) -> lookout::cli::Cli { r#"crate::raw"# }
"###;
    let module = ["report".to_string(), "x".to_string()];
    let named = named(&tokens(text), &module, &BTreeSet::new());
    let mut paths: Vec<String> = named.paths.iter().map(|(p, _)| p.join("::")).collect();
    paths.sort();
    let found = [
        "cli::Cli",
        "dates",
        "formats::Thing",
        "model",
        "model::Status",
        "store::Store::open",
        "sync::git",
    ];
    assert_eq!(paths, found);
    let store = named.paths.iter().find(|(p, _)| p[0] == "store");
    assert_eq!(store.map(|(_, line)| *line), Some(4));
    assert_eq!(named.test_files, [["report", "x", "more_tests"]]);
}
