//! The query as FTS5 reads it, and which index answers it.

mod query_tests {
    use super::super::fts_query;

    #[test]
    fn words_are_found_as_typed_and_operators_keep_their_meaning() {
        for (typed, fts) in [
            ("high-risk", "\"high-risk\""),
            ("CEN-CENELEC standards", "\"CEN-CENELEC\" standards"),
            ("2024/1689", "\"2024/1689\""),
            ("eur-lex.europa.eu", "\"eur-lex.europa.eu\""),
            ("stop-the-clock*", "\"stop-the-clock\"*"),
            (
                "\"action plan\" AND (China OR US)",
                "\"action plan\" AND ( China OR US )",
            ),
            ("gover* NOT India", "gover* NOT India"),
            ("actors:EU", "actors:EU"),
            ("headline:high-risk", "headline:\"high-risk\""),
            ("^China", "^China"),
            ("Qiang’s", "Qiang’s"),
            ("AT&T", "\"AT&T\""),
            ("\"unclosed", "\"unclosed"),
        ] {
            assert_eq!(fts_query(typed), fts, "{typed}");
        }
    }
}

mod plan_tests {
    use super::super::{Plan, fts_query, is_cjk};

    #[test]
    fn cjk_queries_read_trigrams_or_scan_when_a_part_is_short() {
        assert_eq!(
            Plan::of("China plan").unwrap(),
            Plan::Words(fts_query("China plan"))
        );
        assert_eq!(
            Plan::of("人工智能 OR 行动计划").unwrap(),
            Plan::Trigrams("人工智能 OR 行动计划".to_string())
        );
        assert_eq!(
            Plan::of("headline:인공지능").unwrap(),
            Plan::Trigrams("headline:인공지능".to_string())
        );
        assert_eq!(
            Plan::of("智能 \"AI\"").unwrap(),
            Plan::Scan(vec!["智能".to_string(), "AI".to_string()])
        );
        assert_eq!(
            Plan::of("カメラ").unwrap(),
            Plan::Trigrams("カメラ".to_string())
        );
        assert!(Plan::of("智能 OR 指針").is_err());
        assert!(Plan::of("headline:智能").is_err());
        // The trigram index holds only text with such characters: a part
        // in another language under OR or NOT could match elsewhere.
        assert!(Plan::of("governance OR 人工智能").is_err());
        assert!(Plan::of("governance NOT 人工智能").is_err());
        assert!(Plan::of("(governance 人工智能) OR 行动计划").is_err());
        assert_eq!(
            Plan::of("人工智能 NOT governance").unwrap(),
            Plan::Trigrams("人工智能 NOT governance".to_string())
        );
        assert_eq!(
            Plan::of("governance 人工智能 NOT plan").unwrap(),
            Plan::Trigrams("governance 人工智能 NOT plan".to_string())
        );
        // FTS5 binds the space between words tighter than NOT: every word
        // after NOT is excluded, up to the next AND.
        for query in [
            "abc NOT def 人工智能",
            "abc AND abc NOT def 人工智能",
            "abc NOT def \"人工智能\"",
            "abc NOT NEAR 人工智能",
        ] {
            assert!(Plan::of(query).is_err(), "{query}");
        }
        assert_eq!(
            Plan::of("abc NOT def AND 人工智能").unwrap(),
            Plan::Trigrams("abc NOT def AND 人工智能".to_string())
        );
        assert_eq!(
            Plan::of("NEAR(人工智能 行动计划, 5)").unwrap(),
            Plan::Trigrams("NEAR ( 人工智能 行动计划 , 5 )".to_string())
        );
        assert_eq!(
            Plan::of("(abc 人工智能)").unwrap(),
            Plan::Trigrams("( abc 人工智能 )".to_string())
        );
        assert_eq!(
            Plan::of("(人工智能 OR 行动计划) NOT 国务院").unwrap(),
            Plan::Trigrams("( 人工智能 OR 行动计划 ) NOT 国务院".to_string())
        );
        assert_eq!(
            Plan::of("governance 人工智能").unwrap(),
            Plan::Trigrams("governance 人工智能".to_string())
        );
        assert_eq!(
            Plan::of("人工智能 NOT 行动计划").unwrap(),
            Plan::Trigrams("人工智能 NOT 行动计划".to_string())
        );
    }

    #[test]
    fn the_schemas_class_of_characters_is_the_one_queries_are_routed_by() {
        // The trigram index holds the developments whose text matches this
        // GLOB class (schema.sql, and every GLOB there is the same class).
        let schema = include_str!("../../../schema.sql");
        let start = schema.find("CREATE VIEW developments_cjk").unwrap();
        let end = schema.find("CREATE TABLE journal").unwrap();
        let classes: Vec<&str> = schema[start..end]
            .split("GLOB '*[")
            .skip(1)
            .map(|rest| &rest[..rest.find("]*'").unwrap()])
            .collect();
        assert_eq!(classes.len(), 4 * 5, "{classes:?}");
        assert!(classes.iter().all(|c| *c == classes[0]));
        let chars: Vec<char> = classes[0].chars().collect();
        let ranges: Vec<(char, char)> = chars
            .chunks(3)
            .map(|r| {
                assert_eq!(r[1], '-');
                (r[0], r[2])
            })
            .collect();
        for code in 0..=0x3FFFF_u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let in_class = ranges.iter().any(|&(a, b)| a <= c && c <= b);
            assert_eq!(in_class, is_cjk(c), "U+{code:04X}");
        }
    }
}
