//! The real binary: exit codes, stdin, formats, errors.

use assert_cmd::Command;

const SEED: &str = "seeds/000_251e972a222be27a.txt";

fn galley() -> Command {
    let mut c = Command::cargo_bin("galley").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.assert().get_output().stdout.clone()).unwrap()
}

#[test]
fn clean_file_and_stdin_agree() {
    let from_file = stdout(galley().args(["clean", "-q", SEED]));
    assert!(
        from_file.starts_with("%galley-text 1\n@place "),
        "{}",
        &from_file[..200]
    );
    let seed = std::fs::read(format!("{}/{SEED}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let from_stdin = stdout(galley().args(["clean", "-q"]).write_stdin(seed.clone()));
    let from_dash = stdout(galley().args(["clean", "-q", "-"]).write_stdin(seed));
    assert_eq!(from_file, from_stdin);
    assert_eq!(from_file, from_dash);
}

#[test]
fn invalid_utf8_names_file_and_offset() {
    let dir = std::env::temp_dir().join(format!("galley-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, b"ok line\n\xff\xfe broken\n").unwrap();
    let out = galley()
        .args(["clean", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.txt") && err.contains("invalid UTF-8 at byte 8"),
        "{err}"
    );
    galley()
        .args(["clean", "no/such/file.txt"])
        .assert()
        .code(2);
}

#[test]
fn json_and_jsonl() {
    let json = stdout(galley().args(["clean", "-q", "--format", "json", SEED]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["source"], SEED);
    let page = &v["pages"][0];
    assert_eq!(page["page"], 1);
    let a = &page["articles"][0];
    for key in [
        "id", "place", "kicker", "title", "subtitle", "byline", "blocks",
    ] {
        assert!(a.get(key).is_some(), "article has {key}");
    }
    let b = &a["blocks"][0];
    assert!(b["kind"].is_string() && b["text"].is_string() && b["lines"][0].is_u64());
    let f = &page["fixes"][0];
    for key in ["code", "rule", "safety", "lines", "before", "after"] {
        assert!(f.get(key).is_some(), "fix has {key}");
    }
    let jsonl = stdout(galley().args(["clean", "-q", "--format", "jsonl", SEED]));
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["type"], "page");
    assert_eq!(lines[0]["source"], SEED);
    assert_eq!(lines[1]["type"], "summary");
}

#[test]
fn check_exit_codes() {
    galley()
        .args(["clean", "--check", "-q", SEED])
        .assert()
        .code(1);
    let text = stdout(galley().args(["clean", "-q", SEED]));
    galley()
        .args(["clean", "--check", "-q"])
        .write_stdin(text)
        .assert()
        .code(0);
}

#[test]
fn rules_and_explain() {
    let rules = stdout(galley().arg("rules"));
    assert!(rules.contains("DR001") && rules.contains("ST001"));
    let ex = stdout(galley().args(["explain", "dr001"]));
    assert!(ex.contains("When it can be wrong"));
    galley().args(["explain", "XX999"]).assert().code(2);
    galley().arg("--help").assert().success();
}

#[test]
fn empty_input_gives_empty_output() {
    let out = stdout(galley().args(["clean", "-q"]).write_stdin(""));
    assert_eq!(out, "");
}

fn stderr(c: &mut Command) -> String {
    String::from_utf8(c.assert().get_output().stderr.clone()).unwrap()
}

/// Issue 9.1: raw lines that look like galley markup are text; only the marker line makes an
/// input galley text, and raw input is never unescaped.
#[test]
fn raw_lines_that_look_like_markup_are_kept() {
    let json = stdout(
        galley()
            .args(["clean", "-q", "--format", "json"])
            .write_stdin("Hello there\n\n\\Vo b\n"),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let texts: Vec<&str> = v["pages"][0]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["blocks"].as_array().unwrap())
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert!(texts.concat().contains("\\Vo b"), "{texts:?}");
    let raw = "# 3 hash line\n\n@byline not a field\n\n---\n\nAnother OCR line.\n\n\\back\n";
    let out = stdout(galley().args(["clean", "-q"]).write_stdin(raw));
    assert!(out.starts_with("%galley-text 1\n"), "{out}");
    assert!(
        out.contains("\n\\# 3 hash line @byline not a field ---\n"),
        "{out}"
    );
    assert!(out.contains("\\back"), "{out}");
    // The output is galley text: it cleans to itself and --check finds nothing.
    assert_eq!(
        stdout(galley().args(["clean", "-q"]).write_stdin(out.clone())),
        out
    );
    galley()
        .args(["clean", "-q", "--check"])
        .write_stdin(out)
        .assert()
        .code(0);
    // --input raw reads even marked text as a raw page; --input galley reads markup without it.
    let forced = stdout(
        galley()
            .args(["clean", "-q", "--input", "galley"])
            .write_stdin("# Title\n\nBody.\n"),
    );
    assert_eq!(forced, "%galley-text 1\n# Title\n\nBody.\n");
    let as_raw = stdout(
        galley()
            .args(["clean", "-q", "--input", "raw"])
            .write_stdin("%galley-text 1\n\\x\n"),
    );
    assert_eq!(as_raw.matches("%galley-text 1").count(), 2, "{as_raw}");
    assert!(as_raw.contains("\\x"), "{as_raw}");
}

/// Issue 9.9: `--check` on a page galley would not change exits 0, and agrees with the summary.
#[test]
fn check_agrees_with_the_summary() {
    let err = stderr(
        galley()
            .args(["clean", "--check"])
            .write_stdin("Hello world.\n"),
    );
    assert!(err.contains("0 fix(es)"), "{err}");
    galley()
        .args(["clean", "--check", "-q"])
        .write_stdin("Hello world.\n")
        .assert()
        .code(0);
}
