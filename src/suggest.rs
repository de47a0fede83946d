//! "Did you mean …?" for slugs, kinds, statuses and actors.

/// The candidate nearest to `word`, if one is near enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let lower = candidate.to_lowercase();
            let score = if lower == word_lower {
                2.0 // differs only in case
            } else if !word_lower.is_empty()
                && (lower.contains(&word_lower) || word_lower.contains(&lower))
            {
                1.0 + rapidfuzz::distance::jaro_winkler::similarity(
                    word_lower.chars(),
                    lower.chars(),
                ) * 0.5
            } else {
                rapidfuzz::distance::jaro_winkler::similarity(word_lower.chars(), lower.chars())
            };
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// A hint naming the nearest candidate, or else listing what there is.
pub fn hint(word: &str, what: &str, candidates: &[&str]) -> String {
    match closest(word, candidates.iter().copied()) {
        Some(near) => format!("did you mean '{near}'?"),
        None if candidates.is_empty() => format!("there are no {what} yet"),
        None if candidates.len() <= 12 => format!("{what}: {}", candidates.join(", ")),
        None => format!("{} {what}; list them to choose one", candidates.len()),
    }
}

/// A headline as compared for likely duplicates: lower case, letters and
/// digits only, single spaces; prepared once, compared with many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    words: String,
    /// Its words with a digit: numbers are facts ("10 countries" and "11
    /// countries" are two events).
    numbers: Vec<String>,
    chars: usize,
}

impl Headline {
    pub fn new(text: &str) -> Headline {
        let words = text
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let numbers = words
            .split(' ')
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect();
        let chars = words.chars().count();
        Headline {
            words,
            numbers,
            chars,
        }
    }

    /// Its words as compared: lower case, letters and digits, single spaces.
    pub fn words(&self) -> &str {
        &self.words
    }

    /// How many characters its words have: `near` headlines are at most a
    /// tenth of the longer one apart.
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// Its words with a digit, in order: `near` headlines have the same.
    pub fn numbers(&self) -> &[String] {
        &self.numbers
    }

    /// The most character edits that can separate this headline from one
    /// it is `near` without being equal: a tenth of the longer text, which
    /// is at most a ninth of this one (the other is at most a ninth longer).
    /// What lets the duplicate check look for them without comparing all.
    pub fn most_edits(&self) -> usize {
        self.chars / 9
    }

    /// Whether the two say the same in nearly the same words: equal but for
    /// case, spacing and punctuation, or a few letters apart.
    pub fn near(&self, other: &Headline) -> bool {
        self.words == other.words
            || (!self.words.is_empty()
                && self.numbers == other.numbers
                && within_a_tenth(self, other))
    }
}

/// Whether at most a tenth of the longer text's characters must change to
/// make one text the other (a Levenshtein distance). Compared for every
/// pair of developments sharing a date and a watch item, so the distance is
/// computed with a cutoff: past it, the work stops (and texts whose lengths
/// alone differ by more are not compared at all).
fn within_a_tenth(a: &Headline, b: &Headline) -> bool {
    use rapidfuzz::distance::levenshtein;
    let cutoff = a.chars.max(b.chars) / 10;
    a.chars.abs_diff(b.chars) <= cutoff
        && levenshtein::distance_with_args(
            a.words.chars(),
            b.words.chars(),
            &levenshtein::Args::default().score_cutoff(cutoff),
        )
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether two headlines say the same in nearly the same words.
    fn near_identical(a: &str, b: &str) -> bool {
        Headline::new(a).near(&Headline::new(b))
    }

    #[test]
    fn the_typo_measure_is_jaro_winkler() {
        // The textbook pair: Jaro 0.944, with the common prefix 0.961.
        let score =
            rapidfuzz::distance::jaro_winkler::similarity("martha".chars(), "marhta".chars());
        assert!((score - 0.9611).abs() < 1e-4, "{score}");
    }

    #[test]
    fn a_tenth_of_the_longer_text_may_differ() {
        // 20 characters: 2 edits are within a tenth, 3 are not.
        let within = |a: &str, b: &str| within_a_tenth(&Headline::new(a), &Headline::new(b));
        assert!(within("abcdefghijklmnopqrst", "abcdefghijklmnopqrxy"));
        assert!(!within("abcdefghijklmnopqrst", "abcdefghijklmnopqxyz"));
        // Counted in characters, not bytes.
        assert!(within("éléphants à genève x", "éléphants à genève y"));
        assert!(!within("short", "shirt"));
        // Lengths alone too far apart.
        assert!(!within("abcdefghij", "abcdefghijkl"));
    }

    #[test]
    fn most_edits_bounds_every_near_pair() {
        // Lengths 9 to 99 against every length a tenth apart: the edits
        // allowed never exceed what either side's bound says.
        for a in 9..100usize {
            for b in a..=a + a / 5 {
                let cutoff = b / 10;
                if b - a <= cutoff {
                    let (ha, hb) = (Headline::new(&"x".repeat(a)), Headline::new(&"x".repeat(b)));
                    assert!(
                        cutoff <= ha.most_edits() && cutoff <= hb.most_edits(),
                        "{a} {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn headlines_near_identical_or_not() {
        assert!(near_identical(
            "China releases AI plan",
            "china releases  AI-plan."
        ));
        assert!(near_identical(
            "Premier Li Qiang proposes a new international AI cooperation organisation",
            "Premier Li Qiang proposes a new international AI cooperation organization"
        ));
        assert!(!near_identical(
            "China releases AI plan",
            "US releases AI plan"
        ));
        assert!(!near_identical("", "x"));
        assert!(!near_identical(
            "Round 13 of talks begins",
            "Round 14 of talks begins"
        ));
    }

    #[test]
    fn finds_likely_typos() {
        let slugs = ["intl-ai-org", "intl-response", "us-counter-moves"];
        assert_eq!(closest("intl-org", slugs), Some("intl-ai-org"));
        assert_eq!(closest("us-countermoves", slugs), Some("us-counter-moves"));
        assert_eq!(closest("intl-responses", slugs), Some("intl-response"));
        assert_eq!(closest("weather", slugs), None);
    }

    #[test]
    fn case_and_containment_count() {
        assert_eq!(closest("us", ["US", "China"]), Some("US"));
        assert_eq!(
            closest("plan", ["plan-release", "statement"]),
            Some("plan-release")
        );
    }

    #[test]
    fn hint_lists_short_vocabularies() {
        assert_eq!(hint("zzz", "kinds", &["a", "b"]), "kinds: a, b");
        assert_eq!(
            hint("zzz", "watch items", &[]),
            "there are no watch items yet"
        );
    }
}
