//! Reviewing fixes: the diff applies and reproduces the text output, the review view and the
//! diff of the seed are snapshots, rule selection really switches rules off, and the HTML review
//! page renders in a real browser.

mod common;

use std::path::Path;

use assert_cmd::Command;
use galley::grammar::Grammar;
use galley::{clean, render, Options};

const SEED: &str = include_str!("../seeds/000_251e972a222be27a.txt");

fn galley() -> Command {
    let mut c = Command::cargo_bin("galley").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/seed")
        .join(name);
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs (SNAPSHOTS=overwrite to accept):\n{}",
        path.display(),
        render::diff::unified(name, &expected, actual)
    );
}

#[test]
fn diff_applies_to_every_fixture_and_the_seed() {
    let g = Grammar::default_grammar();
    let mut inputs = vec![("seed".to_owned(), SEED.to_owned())];
    for f in common::fixture_inputs() {
        inputs.push((
            f.display().to_string(),
            std::fs::read_to_string(&f).unwrap(),
        ));
    }
    assert!(inputs.len() > 10);
    for (name, text) in inputs {
        let doc = clean(&name, &text, &g, &Options::default());
        let out = render::text::document(&doc) + "\n";
        let diff = render::diff::unified(&name, &text, &out);
        let patched = common::apply_unified(&text, &diff).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            patched, out,
            "{name}: the diff does not reproduce the output"
        );
    }
}

#[test]
fn diff_applies_with_patch() {
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("patch(1) is not installed; the in-test applier covers the diff");
        return;
    }
    let dir = std::env::temp_dir().join(format!("galley-patch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("page.txt");
    std::fs::write(&page, SEED).unwrap();
    let stdout = |args: &[&str]| {
        galley()
            .args(args)
            .arg(&page)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let diff = stdout(&["clean", "-q", "--diff"]);
    let text = stdout(&["clean", "-q"]);
    std::fs::write(dir.join("page.diff"), &diff).unwrap();
    let st = std::process::Command::new("patch")
        .arg("-s")
        .arg(&page)
        .arg(dir.join("page.diff"))
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(
        std::fs::read(&page).unwrap(),
        text,
        "patched page equals the text output byte for byte"
    );
}

#[test]
fn seed_review_and_diff_snapshots() {
    let doc = clean(
        "seeds/000_251e972a222be27a.txt",
        SEED,
        &Grammar::default_grammar(),
        &Options::default(),
    );
    snapshot("seed.review.txt", &render::review::document(&doc));
    let out = render::text::document(&doc) + "\n";
    snapshot(
        "seed.diff",
        &render::diff::unified("seeds/000_251e972a222be27a.txt", SEED, &out),
    );
}

#[test]
fn select_and_ignore_switch_rules_off() {
    let g = Grammar::default_grammar();
    let run = |opts: Options| clean("seed", SEED, &g, &opts);
    let all = run(Options::default());
    assert!(all.pages[0]
        .fixes
        .iter()
        .any(|f| f.rule.code.starts_with("DR")));
    let no_dr = run(Options {
        ignore: vec!["DR".into()],
        ..Options::default()
    });
    assert!(no_dr.pages[0]
        .fixes
        .iter()
        .all(|f| !f.rule.code.starts_with("DR")));
    let text = render::text::document(&no_dr);
    assert!(
        text.contains("智能门禁系统智能门禁系统"),
        "the doubled heading stays doubled"
    );
    no_dr.pages[0].conservation().unwrap();
    let only_sp = run(Options {
        select: vec!["SP001".into()],
        ..Options::default()
    });
    assert!(!only_sp.pages[0].fixes.is_empty());
    assert!(only_sp.pages[0]
        .fixes
        .iter()
        .all(|f| f.rule.code == "SP001"));
    only_sp.pages[0].conservation().unwrap();
}

#[test]
fn stats_count_fixes_per_code_and_safety() {
    let out = galley()
        .args(["clean", "-q", "--stats", "seeds/000_251e972a222be27a.txt"])
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("DR001") && err.contains("review") && err.contains("certain"),
        "{err}"
    );
}

/// The review page in headless Chromium: articles and fixes are rendered. `.ci/run` installs
/// Chromium and sets GALLEY_E2E=1, so CI never skips this; elsewhere it runs when Chromium is
/// installed.
#[test]
fn review_page_renders_in_chromium() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let required = std::env::var("GALLEY_E2E").is_ok();
    let Some(chromium) = chromium else {
        assert!(!required, "GALLEY_E2E is set but no Chromium is installed");
        eprintln!("no Chromium: end-to-end review test skipped");
        return;
    };
    let dir = std::env::temp_dir().join(format!("galley-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("review.html");
    galley()
        .args(["clean", "-q", "--review"])
        .arg(&html)
        .arg("seeds/000_251e972a222be27a.txt")
        .assert()
        .success();
    let profile = dir.join("profile");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("galley review"),
        "page loaded: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every article galley made is rendered (the count comes from galley's own JSON).
    let json = galley()
        .args([
            "clean",
            "-q",
            "--format",
            "json",
            "seeds/000_251e972a222be27a.txt",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let made = v["pages"][0]["articles"].as_array().unwrap().len();
    assert!(made >= 11, "{made} articles");
    let articles = dom.matches("<article ").count();
    assert_eq!(articles, made, "all articles rendered");
    for title in [
        "走出科技创新发展实践路径",
        "东升大桥完成承台施工",
        "巴南“背篼书屋”添新书",
    ] {
        assert!(dom.contains(title), "{title} rendered");
    }
    assert!(
        dom.contains("data-code=\"DR001\"") && dom.contains("class=\"fix review\""),
        "fixes marked"
    );
    // Screenshot for reviewers of galley itself (kept next to the page).
    let _ = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--window-size=1600,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", dir.join("review.png").display()))
        .arg(format!("file://{}", html.display()))
        .output();
}
