//! A query as typed: which parts it holds, in FTS5's syntax, and whether
//! a character is written without spaces between words.

/// A LIKE pattern finding `text` anywhere (`\` escapes).
pub(super) fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Whether `c` is written without spaces between words: Han (Chinese,
/// Japanese kanji), Hiragana, Katakana, Hangul. Hangul is written with
/// spaces, but between phrases: a particle sticks to its noun.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF       // Hangul Jamo
        | 0x2E80..=0x2FDF     // CJK radicals
        | 0x3005..=0x3007     // 々 〆 〇
        | 0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3130..=0x318F     // Hangul compatibility Jamo
        | 0x31F0..=0x31FF     // Katakana phonetic extensions
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xA960..=0xA97F     // Hangul Jamo extended A
        | 0xAC00..=0xD7FF     // Hangul syllables, Jamo extended B
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFF66..=0xFF9F     // halfwidth Katakana
        | 0x20000..=0x3134F   // CJK extensions B to G
    )
}

/// The words and phrases of a query, and whether it uses any of FTS5's
/// operators (AND, OR, NOT, NEAR, parentheses, `column:`, `prefix*`, `^`).
pub(super) struct QueryParts {
    pub(super) terms: Vec<String>,
    pub(super) operators: bool,
    /// Whether every development it can match holds Chinese, Japanese or
    /// Korean text (`is_cjk`): a part holding such text must be found in
    /// each. Told without parsing FTS5's expressions whole. Without OR, a
    /// query is parts joined by AND, each `x y … NOT u v …` (FTS5 binds the
    /// space between words tighter than NOT, and NOT tighter than AND): the
    /// words before NOT must be found, those after it must not. So without
    /// OR, and without parentheses beside NOT, a word holding such text
    /// before any NOT of its part is enough; otherwise every word must hold
    /// such text.
    pub(super) every_match_holds_cjk: bool,
}

/// A query's parts, read as FTS5 reads them but without parsing its
/// expressions whole.
pub(super) fn query_parts(query: &str) -> QueryParts {
    let mut terms = Vec::new();
    let mut operators = false;
    let mut cjk = CjkTally::new();
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if matches!(c, '(' | ')' | ',') {
            operators = true;
            cjk.grouped = true;
            chars.next();
            // NEAR(a b, 5): the distance after the comma is no part.
            if c == ',' {
                while chars
                    .peek()
                    .is_some_and(|c| c.is_whitespace() || c.is_ascii_digit())
                {
                    chars.next();
                }
            }
        } else if c == '"' {
            let (phrase, prefix) = take_phrase(&mut chars);
            operators |= prefix;
            if !phrase.trim().is_empty() {
                cjk.note(&phrase);
                terms.push(phrase);
            }
        } else {
            let word = take_word(&mut chars);
            if is_operator(&word) {
                operators = true;
                cjk.operator(&word);
                continue;
            }
            let (body, marked) = word_body(&word);
            operators |= marked;
            if !body.is_empty() {
                cjk.note(body);
                terms.push(body.to_string());
            }
        }
    }
    QueryParts {
        terms,
        operators,
        every_match_holds_cjk: cjk.every_match_holds_cjk(),
    }
}

/// What tells `QueryParts::every_match_holds_cjk`, noted as the query is read.
struct CjkTally {
    /// An OR was read.
    either: bool,
    /// A parenthesis (or NEAR's comma) was read.
    grouped: bool,
    /// The words read now follow a NOT of their part.
    negated: bool,
    /// A NOT was read.
    any_not: bool,
    /// A word holding such text was read outside any NOT.
    found_cjk: bool,
    /// Every word read holds such text.
    every_cjk: bool,
}

impl CjkTally {
    fn new() -> CjkTally {
        CjkTally {
            either: false,
            grouped: false,
            negated: false,
            any_not: false,
            found_cjk: false,
            every_cjk: true,
        }
    }

    /// Notes a word or phrase the query searches for.
    fn note(&mut self, term: &str) {
        let cjk = term.chars().any(is_cjk);
        self.found_cjk |= cjk && !self.negated;
        self.every_cjk &= cjk;
    }

    /// Notes one of FTS5's operators: an OR, and the part a NOT begins.
    fn operator(&mut self, word: &str) {
        self.either |= word == "OR";
        self.any_not |= word == "NOT";
        // NOT holds until the next AND (or OR); NEAR is no word.
        match word {
            "NOT" => self.negated = true,
            "AND" | "OR" => self.negated = false,
            _ => {}
        }
    }

    fn every_match_holds_cjk(&self) -> bool {
        if self.either || (self.grouped && self.any_not) {
            self.every_cjk
        } else {
            self.found_cjk
        }
    }
}

/// Whether a bare word is one of FTS5's operators.
fn is_operator(word: &str) -> bool {
    matches!(word, "AND" | "OR" | "NOT" | "NEAR" | "*")
}

/// The phrase that starts at `chars` (its opening quote), without its
/// quotes (`""` inside is a quote), and whether a `*` follows it.
fn take_phrase(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> (String, bool) {
    chars.next();
    let mut phrase = String::new();
    while let Some(c) = chars.next() {
        if c == '"' {
            if chars.peek() == Some(&'"') {
                chars.next();
            } else {
                break;
            }
        }
        phrase.push(c);
    }
    let prefix = chars.next_if_eq(&'*').is_some();
    (phrase, prefix)
}

/// A bare word without its `column:`, `^` and `*`, and whether it had any.
fn word_body(word: &str) -> (&str, bool) {
    let mut marked = false;
    let mut body = word;
    if let Some((_, rest)) = column_split(body) {
        marked = true;
        body = rest;
    }
    if let Some(rest) = body.strip_prefix('^') {
        marked = true;
        body = rest;
    }
    if let Some(rest) = body.strip_suffix('*') {
        marked = true;
        body = rest;
    }
    (body, marked)
}

/// A word's `column:` and the rest, when it starts with one.
fn column_split(word: &str) -> Option<(&str, &str)> {
    word.split_once(':').filter(|(column, _)| {
        !column.is_empty()
            && column
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// A query as typed, made into FTS5's syntax: words with a hyphen, slash,
/// dot or other punctuation (`high-risk`, `CEN-CENELEC`, `2024/1689`) are
/// searched as the phrase they are, where FTS5 would read an operator or
/// fail; quoted phrases, AND/OR/NOT/NEAR, parentheses, `prefix*`, `^first`
/// and `column:` keep their meaning.
pub(crate) fn fts_query(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' => {
                out.push(c.to_string());
                chars.next();
            }
            '"' => {
                // A phrase, as typed ("" inside is a quote; left open, FTS5 says so).
                let mut phrase = String::from('"');
                chars.next();
                while let Some(c) = chars.next() {
                    phrase.push(c);
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            phrase.push('"');
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
                if chars.peek() == Some(&'*') {
                    phrase.push('*');
                    chars.next();
                }
                out.push(phrase);
            }
            _ => out.push(fts_word(&take_word(&mut chars))),
        }
    }
    out.join(" ")
}

/// One bare word of a query in FTS5's syntax.
fn fts_word(word: &str) -> String {
    if is_operator(word) {
        return word.to_string();
    }
    if let Some((column, rest)) = column_split(word) {
        // `column:word`; an unknown column is FTS5's to refuse.
        let rest = if rest.is_empty() {
            String::new()
        } else {
            fts_word(rest)
        };
        return format!("{column}:{rest}");
    }
    let (caret, body) = match word.strip_prefix('^') {
        Some(body) => ("^", body),
        None => ("", word),
    };
    let (body, star) = match body.strip_suffix('*') {
        Some(body) if !body.is_empty() => (body, "*"),
        _ => (body, ""),
    };
    let bare = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii());
    if bare {
        format!("{caret}{body}{star}")
    } else {
        format!("{caret}\"{}\"{star}", body.replace('"', "\"\""))
    }
}

/// The word that starts at `chars`: up to a space, a parenthesis, a comma
/// or a quote.
fn take_word(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut word = String::new();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || matches!(c, '(' | ')' | ',' | '"') {
            break;
        }
        word.push(c);
        chars.next();
    }
    word
}
