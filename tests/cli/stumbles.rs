//! Everyday stumbles (issue 20, items 11–16): inputs that used to be taken
//! silently, or refused with a message that sent the user the wrong way.

use crate::env::TestEnv;

// 11. A tag is one word.

#[test]
fn a_comma_in_a_tag_flag_is_refused_with_the_hint_to_repeat_it() {
    let env = TestEnv::with_items();
    let stderr = env.refused(
        &["watch", "add", "omnibus", "Omnibus", "--tag", "eu,omnibus"],
        65,
        "--tag: tag 'eu,omnibus' contains a comma",
    );
    assert!(stderr.contains("repeat --tag for each"), "{stderr}");
    env.refused(
        &["watch", "edit", "intl-response", "--tag", "eu ai"],
        65,
        "--tag: tag 'eu ai' contains a space",
    );
    env.refused(
        &["status", "--tag", "us,policy"],
        65,
        "--tag: tag 'us,policy' contains a comma",
    );
    // One tag a flag is taken.
    env.ok(&[
        "watch", "add", "omnibus", "Omnibus", "--tag", "eu", "--tag", "omnibus",
    ]);
    assert_eq!(
        env.query(
            "SELECT group_concat(tag, '|') FROM (SELECT tag FROM watch_tags JOIN watch_items \
             ON watch_items.id = watch_tags.watch_id WHERE slug = 'omnibus' ORDER BY tag)"
        ),
        "eu|omnibus"
    );
}

#[test]
fn a_comma_in_a_tags_cell_is_refused_naming_the_line_and_the_separator() {
    let env = TestEnv::with_items();
    let file = env.file(
        "items.csv",
        "slug,title,description,opened,tags\nomnibus,Omnibus,,2025-01,\"eu, ai-act\"\n",
    );
    let stderr = env.refused(
        &["import", &file],
        65,
        "items.csv:2: column 'tags': tag 'eu, ai-act' contains a comma",
    );
    assert!(
        stderr.contains("separate tags with ';' in a CSV tags cell"),
        "{stderr}"
    );
    let file = env.file(
        "items.csv",
        "slug,title,description,opened,tags\nomnibus,Omnibus,,2025-01,eu; ai-act\n",
    );
    env.ok(&["import", &file]);
}

// 16. `--watch a,b` in a filter.

#[test]
fn a_comma_in_a_watch_filter_is_refused_with_the_hint_to_repeat_watch() {
    let env = TestEnv::seeded();
    let stderr = env.refused(
        &["timeline", "--watch", "intl-response,intl-ai-org"],
        65,
        "--watch 'intl-response,intl-ai-org' names more than one watch item",
    );
    assert!(
        stderr.contains("repeat --watch for each: --watch intl-response --watch intl-ai-org"),
        "{stderr}"
    );
    env.refused(&["status", "--watch", "a,b"], 65, "repeat --watch for each");
}
