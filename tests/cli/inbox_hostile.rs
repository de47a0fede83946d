//! Hostile feeds, each refused for that feed alone (named with why, none
//! of its entries kept, exit 75), in bounded time and memory, the other
//! feed still read; and text that could harm a terminal made harmless.

use std::time::{Duration, Instant};

use crate::env::{TestEnv, stderr_of, stdout_of};
use crate::inbox::{Reply, Server, entries_of, env_with_feeds, feed_fixture};

/// Runs `fetch` with a good feed and a hostile one: the hostile one is
/// named on stderr with `why`, none of its entries kept, the good one read,
/// exit 75, in bounded time.
fn hostile(env: &TestEnv, location: &str, why: &str, extra: &[&str]) -> Duration {
    env.ok_with(
        &[
            "feed",
            "add",
            &feed_fixture("action-plans.atom"),
            "--name",
            "good",
        ],
        "added feed",
    );
    env.ok_with(&["feed", "add", location, "--name", "bad"], "added feed");
    let mut args = vec!["fetch"];
    args.extend_from_slice(extra);
    let start = Instant::now();
    let out = env.run(&args);
    let took = start.elapsed();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(
        stderr.contains("feed 'bad' (") && stderr.contains(why),
        "{stderr}"
    );
    assert!(
        stdout_of(&out).contains("good: 1 new"),
        "{}",
        stdout_of(&out)
    );
    assert_eq!(entries_of(env, "bad"), "0");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    took
}

fn hostile_file(body: &[u8], why: &str) {
    let env = env_with_feeds();
    let path = env.dir().join("bad.xml");
    std::fs::write(&path, body).unwrap();
    hostile(&env, path.to_str().unwrap(), why, &[]);
}

#[test]
fn hostile_billion_laughs_expands_nothing() {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doc.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    doc.push_str("]>\n<rss version=\"2.0\"><channel><title>t</title><item><title>&lol9;</title><guid>x</guid></item></channel></rss>");
    hostile_file(doc.as_bytes(), "declares XML entities");
}

#[test]
fn hostile_external_entity_is_not_read() {
    let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<rss version=\"2.0\"><channel><title>t</title><item><title>&xxe;</title><guid>x</guid></item></channel></rss>";
    hostile_file(doc.as_bytes(), "declares XML entities");
}

#[test]
fn hostile_invalid_utf8_and_invalid_xml() {
    hostile_file(b"<rss version=\"2.0\"><channel><title>\xff\xfe</title><item><title>\xc3\x28</title><guid>x</guid></item></channel></rss>", "not a feed lookout can read");
    hostile_file(
        b"<rss version=\"2.0\"><channel><item><title>open",
        "not a feed lookout can read",
    );
}

#[test]
fn hostile_file_larger_than_the_cap() {
    let mut body = b"<rss version=\"2.0\"><channel>".to_vec();
    body.resize(11 << 20, b' ');
    hostile_file(&body, "larger than 10 MiB");
}

#[test]
fn hostile_body_that_never_ends_is_cut_at_the_cap() {
    let server = Server::start(vec![("/endless", Reply::Endless)]);
    let env = env_with_feeds();
    hostile(&env, &server.url("/endless"), "larger than 10 MiB", &[]);
}

#[test]
fn hostile_server_that_never_answers_times_out() {
    let server = Server::start(vec![("/silent", Reply::Silent)]);
    let env = env_with_feeds();
    let took = hostile(
        &env,
        &server.url("/silent"),
        "no answer in time",
        &["--timeout", "1"],
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn hostile_redirect_loop_and_redirect_to_a_file() {
    let server = Server::start(vec![
        ("/a", Reply::Redirect("/b".into())),
        ("/b", Reply::Redirect("/a".into())),
        ("/file", Reply::Redirect("file:///etc/passwd".into())),
    ]);
    let env = env_with_feeds();
    hostile(&env, &server.url("/a"), "more than 5 redirects", &[]);
    let env = env_with_feeds();
    hostile(
        &env,
        &server.url("/file"),
        "which is not an http(s) URL",
        &[],
    );
    assert!(
        !env.query("SELECT group_concat(title) FROM inbox")
            .contains("root:")
    );
}

#[test]
fn hostile_titles_lose_scripts_javascript_links_and_escapes() {
    let env = env_with_feeds();
    let feed = env.file("x.xml", "<rss version=\"2.0\"><channel><title>t</title><item>\
<title>&lt;script&gt;alert(1)&lt;/script&gt;China\u{1b}]52;c;aGk=\u{7}\u{1b}[2J plan</title>\
<link>javascript:alert(1)</link><guid>s</guid>\
<description>&lt;script&gt;steal()&lt;/script&gt;&lt;p&gt;text&lt;/p&gt;</description></item></channel></rss>");
    env.ok_with(&["feed", "add", &feed, "--name", "x"], "added feed");
    env.ok(&["fetch"]);
    let title = env.query("SELECT title FROM inbox");
    assert!(
        !title.contains('\u{1b}') && !title.contains('\u{7}'),
        "{title:?}"
    );
    assert!(
        title.contains("China") && title.contains("plan"),
        "{title:?}"
    );
    assert_eq!(
        env.query("SELECT coalesce(link, 'none') FROM inbox"),
        "none"
    );
    let summary = env.query("SELECT summary FROM inbox");
    assert!(
        !summary.contains("steal") && summary.contains("text"),
        "{summary:?}"
    );
}

#[test]
fn a_feed_of_100000_entries_is_read_in_bounded_time() {
    let env = env_with_feeds();
    let mut doc = String::from("<rss version=\"2.0\"><channel><title>t</title>");
    for i in 0..100_000 {
        doc.push_str(&format!("<item><title>E{i}</title><guid>{i}</guid></item>"));
    }
    doc.push_str("</channel></rss>");
    let feed = env.file("big.xml", &doc);
    env.ok_with(&["feed", "add", &feed, "--name", "big"], "added feed");
    let start = Instant::now();
    assert_eq!(env.ok(&["fetch"]), "big: 100000 new, 0 known\n");
    let took = start.elapsed();
    eprintln!("fetch of 100,000 entries: {took:?}");
    assert!(took < Duration::from_secs(120), "{took:?}");
    let start = Instant::now();
    env.ok_with(
        &["inbox"],
        "50 of 100000 new entries shown, the oldest first; --limit N shows more",
    );
    eprintln!("inbox over 100,000 entries: {:?}", start.elapsed());
}
