//! lookout's CSV through a real spreadsheet: LibreOffice Calc, headless,
//! opening the file as README says and as an eager user might (special
//! numbers detected, spaces trimmed, formulas evaluated), saving it back, and
//! lookout importing what it saved.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::env::{ITEMS_IMPORTED, TestEnv, fixture, have, stderr_of};

/// LibreOffice's CSV import options (its "Filter Options for CSV" token)
/// that README tells a user to choose: comma, double quote, UTF-8 (76),
/// from line 1, and every one of `columns` of type Text (2), so that no cell
/// is taken for a number, a date or a flag.
fn as_readme_says(columns: usize) -> String {
    let text: Vec<String> = (1..=columns).map(|c| format!("{c}/2")).collect();
    format!("CSV:44,34,76,1,{}", text.join("/"))
}

/// The same with every guess a careless open makes: detect special numbers,
/// trim spaces, evaluate formulas.
const EAGER: &str = "CSV:44,34,76,1,,1033,false,true,false,false,true,-1,true";

/// Saving as CSV in UTF-8, comma, double quote.
const SAVE_CSV: &str = "csv:Text - txt - csv (StarCalc):44,34,76,1";

/// Runs LibreOffice headless with a profile of its own (two at once on one
/// profile would hand each other the work), converting `file` into `dir`.
fn soffice(profile: &Path, infilter: Option<&str>, to: &str, file: &Path, dir: &Path) -> PathBuf {
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .arg("--headless");
    if let Some(filter) = infilter {
        cmd.arg(format!("--infilter={filter}"));
    }
    let out = cmd
        .args(["--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    let extension = to.split(':').next().unwrap();
    let made = dir.join(file.with_extension(extension).file_name().unwrap());
    assert!(
        out.status.success() && made.exists(),
        "soffice {to} {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    made
}

/// How many columns the header of a CSV file has.
fn columns(csv: &str) -> usize {
    csv.lines().next().unwrap().split(',').count()
}

/// Opens `csv` in Calc with `infilter`, saves it as a spreadsheet, then
/// saves that back as CSV: a user's open, edit and save.
fn through_calc(env: &TestEnv, csv: &Path, infilter: &str) -> PathBuf {
    let profile = env.dir().join("lo-profile");
    let sheet = soffice(&profile, Some(infilter), "ods", csv, &env.dir().join("ods"));
    soffice(&profile, None, SAVE_CSV, &sheet, &env.dir().join("back"))
}

/// A tracker holding what spreadsheets get wrong: text that looks like a
/// formula behind a space, a cell that begins with a quote, non-ASCII words,
/// a number-like headline, open and qualified dates, an empty summary.
fn tricky() -> TestEnv {
    let env = TestEnv::seeded().today("2025-09-30");
    env.log(&[
        "2025-08-02",
        " =HYPERLINK(I2)",
        "--watch",
        "intl-response",
        "--source",
        "https://example.org/a?b=1&c=(2)",
    ]);
    env.log(&[
        "2025-08-03",
        "国务院发布人工智能行动计划 São Paulo sécurité",
        "--watch",
        "intl-ai-org",
        "--summary",
        "'quoted' =1+1\nsecond line",
        "--actor=-US",
    ]);
    env.log(&["2025-08?", "2024%", "--watch", "intl-ai-org"]);
    env.log(&["../2025-09", "1e10", "--watch", "us-counter-moves"]);
    env
}

#[test]
fn a_timeline_csv_saved_back_by_libreoffice_imports_as_the_same_developments() {
    if !have("soffice") {
        return;
    }
    let env = tricky();
    let csv = env.dir().join("timeline.csv");
    let original = env.ok(&["timeline", "--format", "csv"]);
    std::fs::write(&csv, &original).unwrap();
    let back = through_calc(&env, &csv, &as_readme_says(columns(&original)));
    assert_imports_as(&back, &original);
}

/// Opened carelessly, Calc still keeps formula-like text as text (the
/// guard), non-ASCII words, dates and timestamps; `false` comes back as
/// `FALSE`, which lookout reads. Text that looks like a number is another
/// matter (`1e10` becomes `1.00E+10`): README's Text columns are for that.
#[test]
fn opened_carelessly_in_libreoffice_a_timeline_csv_still_imports_as_it_was() {
    if !have("soffice") {
        return;
    }
    let env = TestEnv::seeded().today("2025-08-10");
    env.log(&["2025-08-02", " =HYPERLINK(I2)", "--watch", "intl-response"]);
    env.log(&[
        "2025-08-03",
        "国务院发布人工智能行动计划 São Paulo",
        "--watch",
        "intl-ai-org",
        "--summary",
        " =1+1",
    ]);
    let csv = env.dir().join("timeline.csv");
    let original = env.ok(&["timeline", "--format", "csv"]);
    std::fs::write(&csv, &original).unwrap();
    let back = through_calc(&env, &csv, EAGER);
    let saved = std::fs::read_to_string(&back).unwrap();
    assert!(
        saved.contains(",FALSE,"),
        "Calc kept the flags' case: {saved}"
    );
    assert_imports_as(&back, &original);
}

/// Imports `back` into a new store holding the seed's watch items, and
/// insists that its timeline CSV is `original`.
fn assert_imports_as(back: &Path, original: &str) {
    let fresh = TestEnv::new();
    fresh.ok_with(&["import", &fixture("watch-items.csv")], ITEMS_IMPORTED);
    let out = fresh.run(&["import", back.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(
        fresh.ok(&["timeline", "--format", "csv"]),
        original,
        "the developments changed on their way through Calc"
    );
}

#[test]
fn a_watch_items_csv_saved_back_by_libreoffice_imports_as_the_same_items() {
    if !have("soffice") {
        return;
    }
    let env = TestEnv::seeded();
    env.ok_with(
        &[
            "watch",
            "add",
            "eu-response",
            " =1+1 the EU's answer",
            "--tag",
            "Europe",
            "--opened",
            "2025-07",
        ],
        "watching eu-response (opened 2025-07)",
    );
    let csv = env.dir().join("items.csv");
    let original = env.ok(&["watch", "list", "--format", "csv"]);
    std::fs::write(&csv, &original).unwrap();
    let back = through_calc(&env, &csv, &as_readme_says(columns(&original)));
    let fresh = TestEnv::new();
    let out = fresh.run(&["import", back.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(fresh.ok(&["watch", "list", "--format", "csv"]), original);
}

/// With `--bom` and README's options, Calc reads the header's first cell as
/// `id` and every non-ASCII word as written; without the UTF-8 option it
/// garbles them, BOM or not (LibreOffice 7.4), which is why README names it.
#[test]
fn with_readmes_options_calc_reads_utf8_and_the_bom_is_not_a_character() {
    if !have("soffice") {
        return;
    }
    let env = tricky();
    let csv = env.dir().join("timeline.csv");
    std::fs::write(&csv, env.ok(&["--bom", "timeline", "--format", "csv"])).unwrap();
    let profile = env.dir().join("lo-profile");
    let header = std::fs::read_to_string(&csv).unwrap();
    let html = soffice(
        &profile,
        Some(&as_readme_says(columns(&header))),
        "html",
        &csv,
        &env.dir().join("html"),
    );
    let page = std::fs::read_to_string(html).unwrap();
    assert!(page.contains("国务院发布人工智能行动计划 São Paulo sécurité"));
    assert!(!page.contains("ï»¿"), "the BOM read as text");
    let guessed = soffice(&profile, None, "html", &csv, &env.dir().join("guessed"));
    let page = String::from_utf8_lossy(&std::fs::read(guessed).unwrap()).into_owned();
    assert!(
        !page.contains("São Paulo"),
        "Calc now reads UTF-8 without being told: README can say less"
    );
}

#[test]
fn bom_begins_a_csv_rejects_file_too_and_it_imports_once_fixed() {
    let env = TestEnv::with_items();
    let bad = env.file(
        "bad.csv",
        "date,kind,watch,headline\n2025-07-26,statement,intl-ai-org,Fine\n2025-13-01,statement,intl-ai-org,Bad month\n",
    );
    let rejects = env.dir().join("rejects.csv");
    let out = env.run(&[
        "--bom",
        "import",
        &bad,
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        text.starts_with("\u{feff}date,kind,watch,headline"),
        "{text}"
    );
    std::fs::write(&rejects, text.replace("2025-13-01", "2025-12-01")).unwrap();
    let out = env.run(&["import", rejects.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(env.json_ids(&["timeline"]).len(), 2);
    // JSON Lines rejects stay JSON Lines: no mark.
    let jsonl = env.file(
        "bad.jsonl",
        "{\"type\":\"development\",\"date\":\"2025-13\",\"kind\":\"statement\",\"headline\":\"x\"}\n",
    );
    let rejects = env.dir().join("rejects.jsonl");
    env.run(&[
        "--bom",
        "import",
        &jsonl,
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&rejects).unwrap().starts_with('{'));
}
