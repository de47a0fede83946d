//! The formula guard: no spreadsheet runs a cell lookout writes as a formula.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, tab, CR or `'` — after any
//! spaces, which a spreadsheet told to trim them removes before it looks —
//! is written with one more leading `'`; reading removes one leading `'`
//! when what follows (after its spaces) begins with one of those, so export
//! → import → export gives the same bytes and the stored text is unchanged.
//! Every CSV cell lookout writes passes `guard`, and every cell it reads
//! passes `unguard`.

use std::borrow::Cow;

/// Characters that make a spreadsheet treat a cell as a formula (and `'`, so
/// that the guard can be undone unambiguously).
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Whether a cell begins with a formula start, after any spaces.
fn starts_a_formula(cell: &str) -> bool {
    cell.trim_start_matches(' ').starts_with(FORMULA_STARTS)
}

/// The cell as written: one more leading `'` when it begins with a formula
/// start, after any spaces.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if starts_a_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes `guard`: removes one leading `'` when the next character is one the
/// guard protects.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_a_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_prefixes_formula_starts_only() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("-1"), "'-1");
        assert_eq!(guard("@cmd"), "'@cmd");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("\rx"), "'\rx");
        assert_eq!(guard("'quoted"), "''quoted");
        assert_eq!(guard("US plan"), "US plan");
        assert_eq!(guard(""), "");
        assert_eq!(guard("a=b"), "a=b");
        // A spreadsheet that trims spaces would see the formula.
        assert_eq!(guard(" =1+1"), "' =1+1");
        assert_eq!(guard("   =HYPERLINK(I2)"), "'   =HYPERLINK(I2)");
        assert_eq!(guard("  plain"), "  plain");
    }

    #[test]
    fn unguard_undoes_guard_exactly() {
        for cell in [
            "=1", "+x", "-", "@", "\t", "\r\n", "'", "''", "'a", "plain", "", "é=", "'x=1", " =1",
            "  -2", " 'a", "' =x", " ", "' hello",
        ] {
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?}");
        }
        // A lone quote before an ordinary character is text, not a guard.
        assert_eq!(unguard("'hello"), "'hello");
    }

    proptest::proptest! {
        #[test]
        fn any_cell_reads_back_as_written(cell in "[ '=+@\t\r\\-a-z]{0,8}") {
            let written = guard(&cell);
            proptest::prop_assert_eq!(unguard(&written), cell.as_str());
            // What a spreadsheet would evaluate, after trimming spaces, is guarded.
            proptest::prop_assert!(!written.trim_start_matches(' ').starts_with(['=', '+', '-', '@']));
        }
    }
}
