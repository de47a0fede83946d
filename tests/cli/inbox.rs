//! Feeds and the inbox: file feeds of each format, a real HTTP server on
//! 127.0.0.1 started here (conditional requests counted, gzip), the whole
//! round trip to a development and back by undo (hostile feeds: `inbox_hostile`).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::env::TestEnv;

pub(crate) fn feed_fixture(name: &str) -> String {
    format!("{}/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// What the server does for one path.
#[derive(Clone)]
pub(crate) enum Reply {
    /// A feed with an ETag; 304 when the request sends it back.
    Feed(Vec<u8>),
    /// A redirect to this location.
    Redirect(String),
    /// Headers, then bytes for ever (until the client leaves).
    Endless,
    /// Accepts and never answers.
    Silent,
}

/// What the server saw.
#[derive(Default)]
pub(crate) struct Counts {
    requests: AtomicUsize,
    not_modified: AtomicUsize,
    gzipped: AtomicUsize,
}

pub(crate) struct Server {
    port: u16,
    counts: Arc<Counts>,
}

impl Server {
    pub(crate) fn start(routes: Vec<(&'static str, Reply)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let counts = Arc::new(Counts::default());
        let (routes, seen) = (Arc::new(routes), counts.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, seen) = (routes.clone(), seen.clone());
                std::thread::spawn(move || serve(stream, &routes, &seen));
            }
        });
        Server { port, counts }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn count(&self, which: fn(&Counts) -> &AtomicUsize) -> usize {
        which(&self.counts).load(Ordering::SeqCst)
    }
}

fn serve(mut stream: TcpStream, routes: &[(&str, Reply)], counts: &Counts) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push(line.to_ascii_lowercase());
    }
    counts.requests.fetch_add(1, Ordering::SeqCst);
    let path = head
        .first()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let header = |name: &str| head.iter().find(|l| l.starts_with(name)).cloned();
    let Some((_, reply)) = routes.iter().find(|(p, _)| *p == path) else {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        return;
    };
    match reply {
        Reply::Feed(body) => {
            if header("if-none-match:").is_some_and(|l| l.contains("\"v1\"")) {
                counts.not_modified.fetch_add(1, Ordering::SeqCst);
                let _ = stream.write_all(
                    b"HTTP/1.1 304 Not Modified\r\netag: \"v1\"\r\nconnection: close\r\n\r\n",
                );
                return;
            }
            let gzip = header("accept-encoding:").is_some_and(|l| l.contains("gzip"));
            let (body, encoding) = if gzip {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(body).unwrap();
                counts.gzipped.fetch_add(1, Ordering::SeqCst);
                (e.finish().unwrap(), "content-encoding: gzip\r\n")
            } else {
                (body.clone(), "")
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\netag: \"v1\"\r\n{encoding}content-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Redirect(to) => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
        }
        Reply::Endless => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/rss+xml\r\n\r\n<rss>");
            let chunk = vec![b' '; 64 * 1024];
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(60) && stream.write_all(&chunk).is_ok() {}
        }
        Reply::Silent => std::thread::sleep(Duration::from_secs(30)),
    }
}

pub(crate) fn env_with_feeds() -> TestEnv {
    TestEnv::seeded()
}

/// Entries of a feed in the store, whatever their state.
pub(crate) fn entries_of(env: &TestEnv, feed: &str) -> String {
    env.query(&format!(
        "SELECT printf('%d', count(*)) FROM inbox WHERE feed = '{feed}'"
    ))
}

#[test]
fn file_feeds_of_each_format_land_in_the_inbox_with_their_suggestions() {
    let env = env_with_feeds();
    for (ext, name) in [
        ("xml", "rss2"),
        ("rdf", "rss1"),
        ("atom", "atom"),
        ("json", "jsonfeed"),
    ] {
        env.ok_with(
            &[
                "feed",
                "add",
                &feed_fixture(&format!("action-plans.{ext}")),
                "--name",
                name,
                "--match",
                "intl-ai-org=organisation",
                "--match",
                "intl-ai-org=organization",
            ],
            "added feed",
        );
    }
    let out = env.ok(&["fetch"]);
    assert_eq!(
        out,
        "atom: 1 new, 0 known\njsonfeed: 1 new, 0 known\nrss1: 1 new, 0 known\nrss2: 2 new, 0 known\n"
    );
    let csv = env.ok(&["inbox", "--format", "csv"]);
    assert!(csv.contains("5,rss2,2025-07-26,Premier Li Qiang unveils China’s global AI action plan at WAIC,intl-ai-org,https://example.org/ai-plans/china-action-plan"), "{csv}");
    // Markup made text, entities decoded.
    assert!(
        csv.contains("China calls for a unified governance framework & bodies like the UN"),
        "{csv}"
    );
    let atom = env.ok(&["inbox", "--feed", "atom", "--format", "csv"]);
    assert_eq!(atom.lines().count(), 2, "{atom}");
    let only = env.ok(&["inbox", "--watch", "intl-ai-org", "--format", "csv"]);
    assert_eq!(only.lines().count(), 2, "{only}");
    // Read again: nothing new, no journal entry.
    let journal = env.query("SELECT printf('%d', count(*)) FROM journal");
    assert_eq!(env.ok(&["fetch", "rss2"]), "rss2: 0 new, 2 known\n");
    assert_eq!(
        env.query("SELECT printf('%d', count(*)) FROM journal"),
        journal
    );
}

/// Adds the server's feed and fetches it twice: all new, then 304.
fn fetch_twice(env: &TestEnv, server: &Server) {
    env.ok_with(
        &[
            "feed",
            "add",
            &server.url("/plans.xml"),
            "--name",
            "plans",
            "--watch",
            "us-counter-moves",
        ],
        "added feed",
    );
    assert_eq!(env.ok(&["fetch"]), "plans: 2 new, 0 known\n");
    // The second fetch sends the ETag back: 304, nothing new, no entry.
    let journal = env.query("SELECT printf('%d', count(*)) FROM journal");
    assert_eq!(env.ok(&["fetch"]), "plans: unchanged (304)\n");
    assert_eq!(server.count(|c| &c.not_modified), 1);
    assert_eq!(server.count(|c| &c.requests), 2);
    // The first answer came gzipped, and was read.
    assert_eq!(server.count(|c| &c.gzipped), 1);
    assert_eq!(
        env.query("SELECT printf('%d', count(*)) FROM journal"),
        journal
    );
}

/// Accepts entry 1 (the US plan): the development is the entry's.
fn accept_first(env: &TestEnv) -> String {
    let id = env.ok_with(
        &[
            "inbox",
            "accept",
            "1",
            "--watch",
            "us-counter-moves=developing",
            "--kind",
            "plan-release",
        ],
        "from inbox entry",
    );
    let id = id.trim().to_string();
    let dev: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", &id, "--format", "json"])).unwrap();
    assert_eq!(
        dev["sources"][0],
        "https://example.org/ai-plans/us-action-plan"
    );
    assert_eq!(dev["date"], "2025-07-23");
    assert_eq!(
        dev["headline"],
        "The U.S. releases a comprehensive AI Action Plan"
    );
    assert!(
        dev["summary"]
            .as_str()
            .unwrap()
            .starts_with("Under the Trump administration, three pillars")
    );
    id
}

#[test]
fn round_trip_over_http_add_fetch_accept_status_undo() {
    let body = std::fs::read(feed_fixture("action-plans.xml")).unwrap();
    let server = Server::start(vec![("/plans.xml", Reply::Feed(body))]);
    let env = env_with_feeds();
    fetch_twice(&env, &server);
    let before = env.ok(&["status", "--watch", "us-counter-moves", "--format", "json"]);
    let id = accept_first(&env);
    let id = id.as_str();
    let after = env.ok(&["status", "--watch", "us-counter-moves", "--format", "json"]);
    assert_ne!(before, after);
    assert!(after.contains("\"developing\""), "{after}");
    assert!(
        !env.ok(&["inbox", "--format", "csv"])
            .contains("us-action-plan")
    );
    // The journal's feed and inbox lines read back.
    env.ok(&["check"]);
    // This store's alone: the tracker's text form (export, and sync's) has neither.
    let exported = env.ok(&["export"]);
    assert!(exported.contains(id), "{exported}");
    assert!(!exported.contains(r#""type":"feed""#) && !exported.contains(r#""type":"inbox""#));
    // Dismiss, then undo both: the entry is offered again, the status back.
    env.ok_with(&["inbox", "dismiss", "2"], "dismissed inbox entr");
    env.ok_with(&["undo"], "(inbox dismiss, 1 record");
    env.ok_with(&["undo"], "(inbox accept,");
    assert_eq!(
        env.ok(&["status", "--watch", "us-counter-moves", "--format", "json"]),
        before
    );
    assert!(
        env.ok(&["inbox", "--format", "csv"])
            .contains("us-action-plan")
    );
    // Undo the fetch: the entries go, and the next fetch reads the feed whole.
    env.ok_with(&["undo"], "(fetch, ");
    assert_eq!(entries_of(&env, "plans"), "0");
    assert_eq!(env.ok(&["fetch"]), "plans: 2 new, 0 known\n");
}

#[test]
fn an_entry_without_a_usable_date_needs_date_and_a_repeat_is_refused() {
    let env = env_with_feeds();
    let feed = env.file("far.xml", r#"<rss version="2.0"><channel><title>t</title>
<item><title>The U.S. releases a comprehensive AI Action Plan</title><guid>a</guid><pubDate>Mon, 01 Jan 10000 00:00:00 GMT</pubDate></item>
</channel></rss>"#);
    env.ok_with(&["feed", "add", &feed, "--name", "far"], "added feed");
    env.ok(&["fetch"]);
    env.refused(
        &["inbox", "accept", "1"],
        65,
        "when it happened with --date",
    );
    let id = env.ok_with(
        &[
            "inbox",
            "accept",
            "1",
            "--date",
            "2025-07-23",
            "--watch",
            "us-counter-moves",
        ],
        "from inbox entry",
    );
    assert!(!id.trim().is_empty());
    // The same news from another feed: a repeat of what is logged, refused.
    let again = env.file("again.xml", &std::fs::read_to_string(&feed).unwrap());
    env.ok_with(&["feed", "add", &again, "--name", "again"], "added feed");
    env.ok(&["fetch", "again"]);
    env.refused(
        &[
            "inbox",
            "accept",
            "2",
            "--date",
            "2025-07-23",
            "--watch",
            "us-counter-moves",
        ],
        65,
        "records this already",
    );
}

#[test]
fn match_words_are_found_whole_case_and_accents_aside() {
    let env = env_with_feeds();
    let feed = env.file(
        "fr.json",
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[
{"id":"a","title":"Plan d'action : SÉCURITÉ de l'IA","content_text":"x","date_published":"2025-07-26T08:00:00Z"},
{"id":"b","title":"Insécurités","content_text":"y","date_published":"2025-07-26T08:00:00Z"}]}"#,
    );
    env.ok_with(
        &[
            "feed",
            "add",
            &feed,
            "--name",
            "fr",
            "--match",
            "intl-response=securite",
        ],
        "added feed",
    );
    env.ok(&["fetch"]);
    let csv = env.ok(&["inbox", "--watch", "intl-response", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("SÉCURITÉ"), "{csv}");
}
