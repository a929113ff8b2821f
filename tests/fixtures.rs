//! Fixture harness: `fixtures/<rule>/<name>.input.txt` with `<name>.expected.txt` (text output)
//! and `<name>.expected.json` (articles and fix codes). `SNAPSHOTS=overwrite cargo test --test
//! fixtures` rewrites the expectations; review the diff before committing.
//!
//! Every fixture also checks the invariants: conservation (every visible input character is in
//! the output or deleted by a recorded fix), idempotence (the text output cleans to itself with
//! no fixes), determinism, and fix records that point at lines containing their `before` text.

mod common;

use std::path::Path;

use galley::grammar::Grammar;
use galley::{clean, render, Options};

/// A compact summary of the articles and fixes, for the JSON expectation.
fn summary(doc: &galley::Document) -> serde_json::Value {
    let p = &doc.pages[0];
    let arts: Vec<serde_json::Value> = p
        .articles
        .iter()
        .map(|a| {
            serde_json::json!({
                "place": a.place_text(),
                "kicker": a.kicker.as_ref().map(|b| &b.text),
                "title": a.title.as_ref().map(|b| &b.text),
                "subtitle": a.subtitle.as_ref().map(|b| &b.text),
                "byline": a.byline_text(),
                "blocks": a.blocks.iter().map(|b| format!("{}: {}", b.kind.as_str(), b.text)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let fixes: Vec<String> = p
        .fixes
        .iter()
        .map(|f| {
            format!(
                "{} {:?} -> {:?}",
                f.rule.code,
                f.before(&p.page),
                f.after(&p.page)
            )
        })
        .collect();
    serde_json::json!({"articles": arts, "fixes": fixes})
}

fn check(expected: &Path, actual: &str, overwrite: bool, failures: &mut Vec<String>) {
    if overwrite {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(expected) {
        Ok(e) if e == actual => {}
        Ok(e) => failures.push(format!(
            "{}:\n--- expected\n{e}\n--- actual\n{actual}",
            expected.display()
        )),
        Err(_) => failures.push(format!(
            "{}: missing (run with SNAPSHOTS=overwrite)",
            expected.display()
        )),
    }
}

/// Run one fixture: its invariants and its two expectations. The failures, if any.
fn run_fixture(input: &Path, g: &Grammar, overwrite: bool) -> Vec<String> {
    let opts = Options::default();
    let mut failures = Vec::new();
    let name = input
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace(".input.txt", "");
    let dir = input.parent().unwrap();
    let text = std::fs::read_to_string(input).unwrap();
    let doc = clean(&name, &text, g, &opts);
    let out = render::text::document(&doc) + "\n";
    // Invariants.
    for p in &doc.pages {
        if let Err(e) = p.conservation() {
            failures.push(format!("{name}: {e}"));
        }
        for f in &p.fixes {
            let (l, _) = p.page.position(f.span.start);
            let before = f.before(&p.page);
            let line_text = p.page.line(l);
            let first_line_of_before = before.lines().next().unwrap_or("");
            if !before.is_empty()
                && !before.trim().is_empty()
                && !line_text.contains(first_line_of_before.trim())
            {
                failures.push(format!(
                    "{name}: fix {} at line {l} does not point at `{before}`",
                    f.rule.code
                ));
            }
        }
    }
    let again = clean(&name, &out, g, &opts);
    let out2 = render::text::document(&again) + "\n";
    if out2 != out {
        failures.push(format!(
            "{name}: not idempotent:\n{out}\n--- second pass\n{out2}"
        ));
    }
    let second_fixes: usize = again.pages.iter().map(|p| p.fixes.len()).sum();
    if second_fixes != 0 {
        let codes: Vec<&str> = again
            .pages
            .iter()
            .flat_map(|p| p.fixes.iter().map(|f| f.rule.code))
            .collect();
        failures.push(format!(
            "{name}: the text output still gets fixes: {codes:?}"
        ));
    }
    let det = render::text::document(&clean(&name, &text, g, &opts)) + "\n";
    if det != out {
        failures.push(format!("{name}: not deterministic"));
    }
    check(
        &dir.join(format!("{name}.expected.txt")),
        &out,
        overwrite,
        &mut failures,
    );
    let json = serde_json::to_string_pretty(&summary(&doc)).unwrap() + "\n";
    check(
        &dir.join(format!("{name}.expected.json")),
        &json,
        overwrite,
        &mut failures,
    );
    failures
}

/// A folder named like a rule code (two capitals and three digits) must name a known rule.
fn folder_is_known(folder: &str) -> Result<(), String> {
    let b = folder.as_bytes();
    let code_like = b.len() == 5
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit);
    if code_like && !galley::fix::RULES.iter().any(|r| r.code == folder) {
        return Err(format!(
            "fixtures/{folder}/ is named like a rule code but no rule has that code"
        ));
    }
    Ok(())
}

/// One test case per fixture, named `<folder>/<name>` (`DR001/repeated-line`), so that
/// `cargo test --test fixtures DR001` runs one rule's cases and a failure names its fixture.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let overwrite = std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite");
    let files = common::fixture_inputs();
    let grammar = std::sync::Arc::new(Grammar::default_grammar());
    let mut trials = vec![libtest_mimic::Trial::test("fixture-count", {
        let n = files.len();
        move || {
            if n >= 18 {
                Ok(())
            } else {
                Err(format!("fixture glob found only {n} cases").into())
            }
        }
    })];
    for input in files {
        let folder = input
            .parent()
            .and_then(|d| d.file_name())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let name = input
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".input.txt", "");
        let g = grammar.clone();
        trials.push(libtest_mimic::Trial::test(
            format!("{folder}/{name}"),
            move || {
                folder_is_known(&folder)?;
                let failures = run_fixture(&input, &g, overwrite);
                if failures.is_empty() {
                    Ok(())
                } else {
                    Err(failures.join("\n\n").into())
                }
            },
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}
