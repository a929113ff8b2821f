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

#[test]
fn fixtures() {
    let overwrite = std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite");
    let g = Grammar::default_grammar();
    let opts = Options::default();
    let files = common::fixture_inputs();
    assert!(
        files.len() >= 18,
        "fixture glob found only {} cases",
        files.len()
    );
    let mut failures = Vec::new();
    for input in &files {
        let name = input
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".input.txt", "");
        let dir = input.parent().unwrap();
        let text = std::fs::read_to_string(input).unwrap();
        let doc = clean(&name, &text, &g, &opts);
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
        let again = clean(&name, &out, &g, &opts);
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
        let det = render::text::document(&clean(&name, &text, &g, &opts)) + "\n";
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
    }
    eprintln!("{} fixtures", files.len());
    assert!(
        failures.is_empty(),
        "{} failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
