//! The HTML report and the TimelineJS export, checked by real clients:
//! headless Chromium renders the page, and the real TimelineJS library (its
//! npm package, never a CDN) loads the export. Both tests fail, rather than
//! skip, when CI is set and a client is missing (`.ci/run` installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::env::{TestEnv, stderr_of};

/// Chromium, if this machine has it.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(|name| {
            let out = Command::new("which").arg(name).output().ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// A client the test needs; in CI its absence is a failure.
fn required<T>(what: &str, found: Option<T>) -> Option<T> {
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is missing, and CI is set"
        );
        crate::env::skipped(&format!("{what} is missing"));
    }
    found
}

/// Loads `page` in headless Chromium, lets its scripts run, and returns the
/// DOM as it then stands; with `screenshot`, also writes a PNG there.
fn render(browser: &Path, page: &Path, screenshot: Option<&Path>) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        "--virtual-time-budget=15000",
        "--window-size=1200,900",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()));
    if let Some(png) = screenshot {
        let out = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--hide-scrollbars",
            ])
            .arg(format!(
                "--user-data-dir={}",
                profile.path().join("shot").display()
            ))
            .arg("--window-size=1200,900")
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap();
        assert!(
            png.exists(),
            "no screenshot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = cmd
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The document's title as the page's scripts left it.
fn page_title(dom: &str) -> String {
    dom.split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or("")
        .to_string()
}

/// The `data-id` of every mark in the rendered DOM.
fn mark_ids(dom: &str) -> Vec<String> {
    let mut ids: Vec<String> = dom
        .split("<rect ")
        .skip(1)
        .filter(|tag| tag.contains("class=\"mark"))
        .filter_map(|tag| {
            let start = tag.find("data-id=\"")? + "data-id=\"".len();
            Some(tag[start..start + tag[start..].find('"')?].to_string())
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

const HOSTILE: &str = "<img src=x onerror=\"document.title='pwned'\"> & <b>bold</b>";

#[test]
fn the_html_report_draws_every_development_and_keeps_hostile_text_as_text() {
    let Some(browser) = required("chromium", chromium()) else {
        return;
    };
    let env = TestEnv::seeded();
    let hostile = env.log(&[
        "2025-07-28",
        HOSTILE,
        "--watch",
        "intl-response=emerging",
        "--summary",
        HOSTILE,
    ]);
    // An interval and a development that is due: drawn like the others
    // (the seed's open starts fade in; this one is hollow).
    env.log(&[
        "2025-06/2025-08-15",
        "Talks this summer",
        "--watch",
        "intl-ai-org",
    ]);
    let due = env.log(&[
        "2025-09-15",
        "The summit is due",
        "--scheduled",
        "--watch",
        "intl-response=developing",
    ]);
    let page = env.dir().join("timeline.html");
    env.ok_with(
        &[
            "timeline",
            "--format",
            "html",
            "--output",
            page.to_str().unwrap(),
        ],
        &format!("wrote 11 developments to {}", page.display()),
    );
    let screenshot = env.dir().join("timeline.png");
    let dom = render(&browser, &page, Some(&screenshot));
    assert!(
        dom.contains(&format!(r#"class="mark scheduled" data-id="{due}""#)),
        "the scheduled mark"
    );
    assert!(
        dom.contains(r#"fill="url(#fade-none)""#),
        "an open start fades in"
    );

    let mut expected: Vec<String> = env.json_ids(&["timeline"]);
    expected.sort();
    assert_eq!(
        mark_ids(&dom),
        expected,
        "one mark (or more, one per lane) for every development"
    );
    assert!(
        !dom.contains("<img"),
        "the hostile headline became an element"
    );
    assert_eq!(page_title(&dom), "Timeline", "the hostile headline ran");
    assert!(
        dom.contains(
            "&lt;img src=x onerror=\"document.title='pwned'\"&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
        ) || dom.contains("&lt;img src=x onerror=\"document.title=&#39;pwned&#39;\"&gt;"),
        "the hostile headline is not shown as text"
    );
    assert!(mark_ids(&dom).contains(&hostile));

    // The status page too, as of a date, and the dossier.
    for (args, name, what) in [
        (
            vec!["status", "--as-of", "2025-08-01", "--format", "html"],
            "status.html",
            "the status report",
        ),
        (
            vec!["watch", "show", "intl-response", "--format", "html"],
            "dossier.html",
            "the dossier of intl-response",
        ),
    ] {
        let page = env.dir().join(name);
        let mut full = args.clone();
        full.extend_from_slice(&["--output", page.to_str().unwrap()]);
        env.ok_with(&full, &format!("wrote {what} to {}", page.display()));
        let dom = render(&browser, &page, None);
        assert!(!dom.contains("<img"), "{name}");
        assert!(!page_title(&dom).contains("pwned"), "{name}");
        assert!(!mark_ids(&dom).is_empty(), "{name} draws no marks");
    }
}

/// The TimelineJS package, installed by `.ci/run` with npm under target/js.
fn timelinejs() -> Option<PathBuf> {
    let dir = std::env::var_os("LOOKOUT_TIMELINEJS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/js/node_modules/@knight-lab/timelinejs")
        });
    dir.join("dist/js/timeline.js").exists().then_some(dir)
}

#[test]
fn the_timelinejs_export_loads_in_timelinejs_with_a_slide_per_development() {
    let Some(browser) = required("chromium", chromium()) else {
        return;
    };
    let Some(library) = required("the TimelineJS npm package (target/js)", timelinejs()) else {
        return;
    };
    let env = TestEnv::seeded();
    env.log(&["2025-07-28", HOSTILE, "--watch", "intl-response"]);
    // An interval has an end date too; a scheduled development is a slide as well.
    env.log(&[
        "2025-06/2025-08-15",
        "Talks this summer",
        "--watch",
        "intl-ai-org",
    ]);
    env.log_warned(
        &["2025-09-15", "The summit is due", "--scheduled"],
        &["bears on no watch item"],
    );
    let json = env.ok(&["timeline", "--format", "timelinejs"]);
    assert!(json.contains(r#""end_date""#), "{json}");
    let count = env.json_ids(&["timeline"]).len();
    let page = env.dir().join("timelinejs.html");
    let html = format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>loading</title>
<link rel="stylesheet" href="file://{lib}/dist/css/timeline.css">
<script src="file://{lib}/dist/js/timeline.js"></script></head>
<body><div id="tl" style="width: 1000px; height: 600px"></div>
<script>
var data = {json};
try {{
  var timeline = new TL.Timeline('tl', data, {{ font: null }});
  setTimeout(function () {{
    document.title = 'slides:' + document.querySelectorAll('.tl-slide').length
      + ' hostile-elements:' + document.querySelectorAll('#tl img[src="x"]').length;
  }}, 3000);
}} catch (e) {{ document.title = 'error:' + e; }}
</script></body></html>"#,
        lib = library.display()
    );
    std::fs::write(&page, html).unwrap();
    let dom = render(&browser, &page, None);
    let title = page_title(&dom);
    assert_eq!(
        title,
        format!("slides:{count} hostile-elements:0"),
        "TimelineJS said: {title}"
    );
}

/// The page README.md shows a screenshot of (scripts/screenshot.sh).
#[test]
fn the_seed_status_page_renders_its_linked_developments() {
    let Some(browser) = required("chromium", chromium()) else {
        return;
    };
    let env = TestEnv::seeded();
    let page = env.dir().join("seed.html");
    let out = env.run(&[
        "status",
        "--as-of",
        "2025-08-01",
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    let dom = render(&browser, &page, None);
    assert_eq!(mark_ids(&dom).len(), 7, "the seed's linked developments");
}

/// Every `href` in a rendered DOM.
fn hrefs(dom: &str) -> Vec<String> {
    dom.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.find('"').map(|end| rest[..end].to_string()))
        .collect()
}

/// The md and html reports with hostile text in a headline, a question and
/// sources, loaded in Chromium (the Markdown rendered as GitHub renders
/// it): nothing runs, no element is made of user text, and every link goes
/// to a web or mail address.
#[test]
fn hostile_markup_in_md_and_html_reports_is_inert_in_a_browser() {
    let Some(browser) = required("chromium", chromium()) else {
        return;
    };
    let (env, _) = crate::hostile_reports::hostile_env();
    let mut pages = Vec::new();
    for (n, (name, md)) in crate::hostile_reports::reports(&env, "md")
        .into_iter()
        .enumerate()
    {
        let page = env.dir().join(format!("md-{n}.html"));
        let html = crate::hostile_reports::markdown_to_html(&md);
        let doc = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>report</title></head><body>{html}</body></html>"
        );
        std::fs::write(&page, doc).unwrap();
        pages.push((format!("{name} (md)"), page));
    }
    for (n, (name, html)) in crate::hostile_reports::reports(&env, "html")
        .into_iter()
        .enumerate()
    {
        let page = env.dir().join(format!("html-{n}.html"));
        std::fs::write(&page, html).unwrap();
        pages.push((format!("{name} (html)"), page));
    }
    for (name, page) in pages {
        let dom = render(&browser, &page, None);
        let title = page_title(&dom);
        assert!(
            !title.contains("pwned") && !title.contains("md") && !title.contains("src"),
            "{name}: a script ran: {title}"
        );
        assert!(
            !dom.contains("<img"),
            "{name}: an element made of user text"
        );
        assert!(!dom.contains("<script"), "{name}: a script element");
        assert!(
            dom.contains("&lt;img src=x onerror="),
            "{name}: the headline is not shown as text"
        );
        for href in hrefs(&dom) {
            assert!(
                href.starts_with("https://") || href.starts_with("mailto:"),
                "{name}: a link to {href}"
            );
        }
        // Every report but status lists the development and its sources.
        assert!(
            name.starts_with("status")
                || hrefs(&dom)
                    .iter()
                    .any(|h| h.starts_with("https://example.org/a%29%5D%28javascript")),
            "{name}: the address with ]( in it is not one encoded link"
        );
    }
}

/// The status page in a phone's width (420 CSS pixels): the page does not
/// scroll sideways, and no row of the table or cell in it runs tall (a
/// table squeezed to a phone made cells of a word a line, rows ~470 px
/// tall). Chromium's window is at least 500 pixels wide, so the page is
/// laid out in a frame 420 wide (`srcdoc`, of the same origin), where a
/// script appended to it puts what it found in the outer page's title.
#[test]
fn the_status_page_reads_on_a_phone() {
    let Some(browser) = required("chromium", chromium()) else {
        return;
    };
    for (name, env) in [
        ("briefing", TestEnv::briefing()),
        ("long", crate::status::long_tracker()),
    ] {
        let html = env.ok(&["status", "--format", "html"]);
        let measure = r#"<script>
const rows = [...document.querySelectorAll('tbody tr')].map(r => r.getBoundingClientRect().height);
const cells = [...document.querySelectorAll('tbody td')].map(c => c.getBoundingClientRect().height);
parent.document.title = JSON.stringify({
  inner: window.innerWidth,
  scroll: document.documentElement.scrollWidth,
  rows: rows.length,
  tallest_row: Math.max(...rows),
  tallest_cell: Math.max(...cells),
  table_overflow: Math.max(0, ...[...document.querySelectorAll('.scroll')]
    .map(d => d.scrollWidth - d.clientWidth)),
});
</script>"#;
        let page = env.dir().join(format!("{name}-phone.html"));
        let inner = html
            .replace("</body>", &format!("{measure}</body>"))
            .replace('&', "&amp;")
            .replace('"', "&quot;");
        let outer = format!(
            "<!DOCTYPE html><html><head><title>unmeasured</title></head><body style=\"margin:0\">\
             <iframe style=\"width:420px;height:900px;border:0\" srcdoc=\"{inner}\"></iframe>\
             </body></html>"
        );
        std::fs::write(&page, outer).unwrap();
        let profile = tempfile::tempdir().unwrap();
        let out = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--hide-scrollbars",
                "--window-size=800,1000",
                "--virtual-time-budget=5000",
                "--dump-dom",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap();
        assert!(out.status.success(), "chromium failed: {}", stderr_of(&out));
        let dom = String::from_utf8(out.stdout).unwrap();
        let title = page_title(&dom).replace("&quot;", "\"");
        let found: serde_json::Value =
            serde_json::from_str(&title).unwrap_or_else(|_| panic!("{name}: {title}"));
        let number = |key: &str| found[key].as_f64().unwrap_or_else(|| panic!("{found}"));
        assert!(
            number("inner") <= 420.0,
            "{name}: not a phone's width: {found}"
        );
        assert!(number("rows") >= 2.0, "{name}: {found}");
        assert!(
            number("scroll") <= number("inner"),
            "{name}: the page scrolls sideways: {found}"
        );
        assert!(
            number("table_overflow") <= 0.0,
            "{name}: the table scrolls sideways: {found}"
        );
        assert!(
            number("tallest_cell") <= 200.0,
            "{name}: a cell runs tall: {found}"
        );
        assert!(
            number("tallest_row") <= 700.0,
            "{name}: a row runs tall: {found}"
        );
    }
}

/// A slide shows its date once, and a source's link is the whole address,
/// `(EU)` and apostrophe included (issue: TimelineJS's own linking cut them).
#[test]
fn timelinejs_slides_show_the_date_once_and_link_whole_sources() {
    let Some(browser) = required("chromium", chromium()) else {
        return;
    };
    let Some(library) = required("the TimelineJS npm package (target/js)", timelinejs()) else {
        return;
    };
    let env = TestEnv::seeded();
    let wiki = "https://en.wikipedia.org/wiki/Artificial_Intelligence_Act_(EU)";
    let apostrophe = "https://example.org/it's";
    let id = env.log(&[
        "2025-01?/2025-02~",
        "Talks over the winter",
        "--watch",
        "intl-response",
        "--source",
        wiki,
        "--source",
        apostrophe,
        "--source",
        "State Council press office",
    ]);
    let json = env.ok(&["timeline", "--format", "timelinejs"]);
    let page = env.dir().join("slides.html");
    let html = format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>loading</title>
<link rel="stylesheet" href="file://{lib}/dist/css/timeline.css">
<script src="file://{lib}/dist/js/timeline.js"></script></head>
<body><div id="tl" style="width: 1000px; height: 600px"></div><pre id="out"></pre>
<script>
var data = {json};
try {{
  var timeline = new TL.Timeline('tl', data, {{ font: null }});
  setTimeout(function () {{
    var slide = document.getElementById('{id}');
    var links = Array.from(slide.querySelectorAll('.tl-text-content a')).map(function (a) {{
      return a.getAttribute('href') + ' ' + a.textContent;
    }});
    document.getElementById('out').textContent = JSON.stringify({{
      date: slide.querySelector('.tl-headline-date').textContent,
      links: links
    }});
  }}, 3000);
}} catch (e) {{ document.getElementById('out').textContent = 'error:' + e; }}
</script></body></html>"#,
        lib = library.display()
    );
    std::fs::write(&page, html).unwrap();
    let dom = render(&browser, &page, None);
    let out = dom
        .split("<pre id=\"out\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or("")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let seen: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(seen["date"], "2025-01?/2025-02~", "{seen}");
    assert_eq!(
        seen["links"],
        serde_json::json!([
            format!("{wiki} en.wikipedia.org/wiki/Artificial_Intelligence_Act_(EU)"),
            format!("{apostrophe} example.org/it's"),
        ]),
        "{seen}"
    );
}
