//! Hostile text in the reports people paste and send: a headline, a
//! question and sources carrying HTML and Markdown (`<img onerror>`,
//! `<script>`, `javascript:` links, `](` in an address). The Markdown is read
//! back with a CommonMark parser (GitHub's tables on): every link it finds
//! goes to a web or mail address, and the only HTML in it is lookout's own
//! `<br>`. The browser tests (browser.rs) load the same reports in Chromium.

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::env::TestEnv;

/// Markup that would run or navigate if a report let it through.
pub const HOSTILE_HEADLINE: &str = "<img src=x onerror=\"document.title='pwned'\"> \
     ](javascript:document.title='md') [click](javascript:document.title='md2') **x** | y";
pub const HOSTILE_QUESTION: &str =
    "<script>document.title='pwned'</script> [q](javascript:document.title='q')";
pub const HOSTILE_SOURCES: [&str; 3] = [
    "javascript:document.title='src'",
    "https://example.org/a)](javascript:document.title='br')<img src=x onerror=document.title='src2'>",
    "Citation <script>document.title='cit'</script> ](javascript:x)",
];

/// The briefing scenario with a hostile watch item and a hostile
/// development in the week to 14 September; returns the development's id.
pub fn hostile_env() -> (TestEnv, String) {
    let env = TestEnv::briefing();
    env.ok_with(
        &[
            "watch",
            "add",
            "hostile",
            "<b>Hostile</b> [item](javascript:document.title='t')",
            "--description",
            HOSTILE_QUESTION,
            "--opened",
            "2025-07-01",
            "--tag",
            "eu",
        ],
        "watching hostile (opened 2025-07-01)",
    );
    let mut args = vec![
        "2025-09-10",
        HOSTILE_HEADLINE,
        "--watch",
        "hostile=emerging",
        "--watch",
        "gpai-code",
        "--summary",
        HOSTILE_HEADLINE,
    ];
    for source in HOSTILE_SOURCES {
        args.extend_from_slice(&["--source", source]);
    }
    let id = env.log(&args);
    (env, id)
}

/// The reports, by name, as `format` writes them.
pub fn reports(env: &TestEnv, format: &str) -> Vec<(String, String)> {
    [
        vec!["changes", "--since", "2025-09-07"],
        vec!["status"],
        vec!["timeline"],
        vec!["watch", "show", "hostile"],
        vec!["watch", "show", "gpai-code"],
    ]
    .into_iter()
    .map(|mut args| {
        let name = args.join(" ");
        args.extend_from_slice(&["--format", format]);
        (name, env.ok(&args))
    })
    .collect()
}

/// Markdown as GitHub reads it.
pub fn markdown_to_html(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(md, Options::ENABLE_TABLES));
    html
}

#[test]
fn hostile_markdown_stays_text() {
    let (env, _) = hostile_env();
    for (name, md) in reports(&env, "md") {
        let mut links = Vec::new();
        for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    links.push(dest_url.to_string())
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    assert_eq!(&*html, "<br>", "{name}: HTML let through:\n{md}")
                }
                _ => {}
            }
        }
        for link in &links {
            assert!(
                link.starts_with("https://") || link.starts_with("mailto:"),
                "{name}: a link to {link}"
            );
            assert!(!link.contains(['(', ')', '<', '>', ' ']), "{name}: {link}");
        }
        let html = markdown_to_html(&md);
        assert!(!html.contains("<img"), "{name}: {html}");
        assert!(!html.contains("<script"), "{name}: {html}");
        assert!(!html.contains("href=\"javascript"), "{name}: {html}");
    }
    // The address with `](` in it is one link, to example.org, encoded.
    let (_, changes) = &reports(&env, "md")[0];
    assert!(
        changes.contains(
            "[example.org](https://example.org/a%29%5D%28javascript:document.title=%27br%27%29%3Cimg%20src=x%20onerror=document.title=%27src2%27%3E)"
        ),
        "{changes}"
    );
    // The javascript: source is shown, as text.
    assert!(
        changes.contains("javascript:document.title='src'"),
        "{changes}"
    );
}

#[test]
fn hostile_html_stays_text_and_links_only_to_the_web() {
    let (env, _) = hostile_env();
    for (name, html) in reports(&env, "html") {
        assert!(!html.contains("<img"), "{name}");
        assert!(!html.contains("<script"), "{name}");
        for href in html.split("href=\"").skip(1) {
            let href = &href[..href.find('"').unwrap()];
            assert!(
                href.starts_with("https://") || href.starts_with("mailto:"),
                "{name}: a link to {href}"
            );
        }
        if html.contains("href=") {
            assert!(html.contains("rel=\"noreferrer noopener\""), "{name}");
        }
    }
}
