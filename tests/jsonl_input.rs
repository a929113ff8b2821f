//! `galley clean --input jsonl`: JSON lines of `{"id", "text"}` on stdin, one page line per
//! record with its id, in input order, so that Hadoop Streaming, `RDD.pipe`, GNU parallel or a
//! Dask bag can drive the binary.

mod common;

use std::collections::HashMap;

use assert_cmd::Command;
use serde_json::{json, Value};

const SEED: &str = include_str!("../seeds/000_251e972a222be27a.txt");

fn galley() -> Command {
    Command::cargo_bin("galley").unwrap()
}

/// Every raw fixture page without a form feed (one page each), and the seed. (galley text is
/// left out: its markup is format, which the character count below would take for content.)
fn pages() -> Vec<String> {
    let mut v: Vec<String> = common::fixture_inputs()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|t| !t.contains('\x0C') && !t.starts_with(galley::source::MARKER))
        .collect();
    v.push(SEED.to_owned());
    v
}

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Visible characters and how often each occurs.
fn visible(s: &str, counts: &mut HashMap<char, i64>, sign: i64) {
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_default() += sign;
    }
}

/// Every visible input character is in the page line's output (articles, furniture) or in the
/// `before` of a recorded fix.
fn conserved(text: &str, page: &Value) -> Result<(), String> {
    let mut counts = HashMap::new();
    visible(text, &mut counts, 1);
    let mut out = |v: &Value| {
        if let Some(s) = v.as_str() {
            visible(s, &mut counts, -1);
        }
    };
    for a in page["articles"].as_array().unwrap() {
        for key in ["place", "kicker", "title", "subtitle", "byline"] {
            out(&a[key]);
        }
        for b in a["blocks"].as_array().unwrap() {
            out(&b["text"]);
        }
        a["jumps"].as_array().unwrap().iter().for_each(&mut out);
    }
    page["furniture"]
        .as_array()
        .unwrap()
        .iter()
        .for_each(&mut out);
    for f in page["fixes"].as_array().unwrap() {
        out(&f["before"]);
    }
    match counts.iter().find(|(_, n)| **n > 0) {
        Some((c, n)) => Err(format!("`{c}` lost {n} time(s)")),
        None => Ok(()),
    }
}

#[test]
fn thousand_pages_keep_ids_order_and_characters() {
    let pages = pages();
    let mut input = String::new();
    let mut records = Vec::new();
    for i in 0..1000 {
        // Ids are any JSON value: strings and numbers, echoed as they are.
        let id = if i % 3 == 0 {
            json!(i)
        } else {
            json!(format!("page-{i:04}"))
        };
        let text = &pages[i % pages.len()];
        input.push_str(&json!({"id": id, "text": text, "extra": "ignored"}).to_string());
        input.push('\n');
        records.push((id, text));
    }
    let out = galley()
        .args([
            "clean", "-q", "--input", "jsonl", "--format", "jsonl", "-j", "2",
        ])
        .write_stdin(input)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let lines = lines(&out);
    assert_eq!(lines.len(), 1001, "one line per record, then the summary");
    for ((id, text), line) in records.iter().zip(&lines) {
        assert_eq!(line["type"], "page");
        assert_eq!(&line["id"], id, "ids in input order");
        assert_eq!(line["source"], "-");
        assert_eq!(line["page"], 1);
        conserved(text, line).unwrap_or_else(|e| panic!("record {id}: {e}"));
    }
    let summary = &lines[1000];
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["files"], 1000);
    assert_eq!(summary["pages"], 1000);
    assert_eq!(summary["failed"], 0);
}

#[test]
fn a_record_is_cleaned_as_the_same_text_on_stdin() {
    for text in [
        SEED,
        "江北 老街区焕发新活力\n“社区把闲置的厂房改造成居民活动中\n心。”\n",
    ] {
        let alone = lines(
            &galley()
                .args(["clean", "-q", "--format", "jsonl"])
                .write_stdin(text)
                .assert()
                .code(0)
                .get_output()
                .stdout,
        );
        let record = json!({"id": "x", "text": text}).to_string();
        let mut streamed = lines(
            &galley()
                .args(["clean", "-q", "--input", "jsonl"])
                .write_stdin(record + "\n")
                .assert()
                .code(0)
                .get_output()
                .stdout,
        );
        assert_eq!(streamed[0]["id"], "x");
        streamed[0].as_object_mut().unwrap().remove("id");
        assert_eq!(streamed[0], alone[0]);
        assert_eq!(streamed[1], alone[1], "the same summary");
    }
}

#[test]
fn bad_lines_fail_alone_and_say_where() {
    let mut input = Vec::new();
    let good = |id: &str| format!("{}\n", json!({"id": id, "text": "A line of text.\n"}));
    input.extend(good("a").bytes());
    input.extend(b"{not json\n");
    input.extend(good("b").bytes());
    input.extend(b"\n"); // blank lines are skipped but counted
    input.extend(format!("{}\n", json!({"id": "no-text"})).bytes());
    input.extend(format!("{}\n", json!({"id": 7, "text": 12})).bytes());
    input.extend(format!("{}\n", json!({"text": "no id"})).bytes());
    input.extend(b"{\"id\": \"bad-utf8\", \"text\": \"\xff\"}\n");
    input.extend(format!("{}\n", json!({"id": "nul", "text": "a\u{0}b"})).bytes());
    input.extend(format!("{}\n", json!({"id": "two", "text": "One.\n\x0CTwo.\n"})).bytes());
    input.extend(good("c").bytes());
    let assert = galley()
        .args(["clean", "-q", "--input", "jsonl"])
        .write_stdin(input)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let lines = lines(&assert.get_output().stdout);
    let got: Vec<(String, Value, Value)> = lines
        .iter()
        .map(|l| {
            (
                l["type"].as_str().unwrap().to_owned(),
                l["id"].clone(),
                l["line"].clone(),
            )
        })
        .collect();
    let want = [
        ("page", json!("a"), Value::Null),
        ("error", Value::Null, json!(2)),
        ("page", json!("b"), Value::Null),
        ("error", json!("no-text"), json!(5)),
        ("error", json!(7), json!(6)),
        ("error", Value::Null, json!(7)),
        ("error", Value::Null, json!(8)),
        ("error", json!("nul"), json!(9)),
        ("page", json!("two"), Value::Null),
        ("page", json!("two"), Value::Null),
        ("page", json!("c"), Value::Null),
        ("summary", Value::Null, Value::Null),
    ];
    let want: Vec<(String, Value, Value)> = want
        .into_iter()
        .map(|(t, i, l)| (t.to_owned(), i, l))
        .collect();
    assert_eq!(got, want);
    assert_eq!(lines[8]["page"], 1);
    assert_eq!(lines[9]["page"], 2, "a text with a form feed is two pages");
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("line 2, column 2: not JSON: key must be a string"));
    assert!(lines[7]["error"]
        .as_str()
        .unwrap()
        .contains("binary content (NUL byte) at byte 1"));
    assert_eq!(lines[11]["failed"], 6);
    assert!(
        stderr.contains("galley: line 2, column 2: not JSON"),
        "{stderr}"
    );
    galley()
        .args(["clean", "--input", "jsonl", "--format", "json"])
        .write_stdin("")
        .assert()
        .code(2);
}

#[test]
fn vocabulary_files_apply_to_every_record() {
    let dir = std::env::temp_dir().join(format!("galley-jsonl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let words = dir.join("words.txt");
    std::fs::write(&words, "# an edition's spelling\nGal-ley\n").unwrap();
    let text = "The old Gal-\nley press printed the new sheet and the\nfarmers of the county read it well.\n";
    let record = format!("{}\n", json!({"id": 1, "text": text})).repeat(2);
    let title = |args: &[&str]| -> Vec<String> {
        lines(
            &galley()
                .args(args)
                .write_stdin(record.clone())
                .assert()
                .code(0)
                .get_output()
                .stdout,
        )[..2]
            .iter()
            .map(|l| {
                l["articles"][0]["blocks"][0]["text"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let plain = title(&["clean", "-q", "--input", "jsonl"]);
    assert!(
        plain.iter().all(|t| t.starts_with("The old Galley press")),
        "{plain:?}"
    );
    let with = title(&[
        "clean",
        "-q",
        "--input",
        "jsonl",
        "--vocabulary",
        words.to_str().unwrap(),
    ]);
    assert!(
        with.iter().all(|t| t.starts_with("The old Gal-ley press")),
        "{with:?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
