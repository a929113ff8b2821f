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

/// Issue 9.7: the diff applies with `patch` to the file as it is on disk, BOM and CRLF line ends
/// included, and an absolute path gives well-formed `a/` `b/` headers.
#[test]
fn diff_applies_to_crlf_and_bom_pages_with_patch() {
    if std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("patch(1) is not installed");
        return;
    }
    let seed = std::fs::read_to_string(format!("{}/{SEED}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let t = tempfile::tempdir().unwrap();
    let cases = [
        ("crlf.txt", seed.replace('\n', "\r\n")),
        ("bom.txt", format!("\u{FEFF}{seed}")),
        (
            "both.txt",
            format!("\u{FEFF}{}", seed.replace('\n', "\r\n")),
        ),
        ("lf.txt", seed.clone()),
    ];
    let lf_text = stdout(galley().args(["clean", "-q", SEED]));
    for (name, content) in cases {
        let page = t.path().join(name);
        std::fs::write(&page, &content).unwrap();
        // An absolute path: the headers are `a/<path without the leading slash>`.
        let diff = stdout(galley().args(["clean", "-q", "--diff"]).arg(&page));
        let first = diff.lines().next().unwrap();
        assert!(
            first.starts_with("--- a/") && !first.starts_with("--- a//"),
            "{first}"
        );
        std::fs::write(t.path().join("page.diff"), &diff).unwrap();
        let out = std::process::Command::new("patch")
            .arg(&page)
            .arg(t.path().join("page.diff"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        // The patched file is the text output in the page's own conventions, and it is a
        // fixed point.
        let patched = std::fs::read(&page).unwrap();
        let decoded = galley::source::decode(&patched, 0).unwrap();
        assert_eq!(decoded, lf_text, "{name}");
        assert_eq!(
            patched.starts_with(b"\xEF\xBB\xBF"),
            content.starts_with('\u{FEFF}'),
            "{name}: BOM kept as it was"
        );
        galley()
            .args(["clean", "-q", "--check"])
            .arg(&page)
            .assert()
            .code(0);
    }
}

/// Issue 9.9: messages that were untrue or missing.
#[test]
fn untrue_or_silent_messages() {
    let t = tempfile::tempdir().unwrap();
    // UTF-16 is named as such, with and without a byte order mark.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Hello world.\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let p = t.path().join("u16.txt");
    std::fs::write(&p, &utf16).unwrap();
    let e = stderr(galley().arg("clean").arg(&p));
    assert!(e.contains("UTF-16LE") && !e.contains("NUL"), "{e}");
    std::fs::write(&p, &utf16[2..]).unwrap();
    let e = stderr(galley().arg("clean").arg(&p));
    assert!(e.contains("UTF-16LE"), "{e}");
    // Unknown rule codes are errors naming the code and the valid prefixes.
    let o = galley()
        .args(["clean", "--select", "DR,XX9"])
        .write_stdin("x\n")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("`XX9`") && e.contains("DR, SP"), "{e}");
    galley()
        .args(["clean", "--ignore", "nope"])
        .write_stdin("x\n")
        .assert()
        .code(2);
    galley()
        .args(["clean", "-q", "--select", "sp,DR001"])
        .write_stdin("x\n")
        .assert()
        .success();
    // --skip-existing without --out-dir, --diff with --format json, --max-line 0.
    for args in [
        &["clean", "--skip-existing", "-"][..],
        &["clean", "--diff", "--format", "json", "-"],
        &["clean", "--max-line", "0", "-"],
    ] {
        let o = galley()
            .args(args)
            .write_stdin("x\n")
            .assert()
            .code(2)
            .get_output()
            .clone();
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    let e = stderr(galley().args(["clean", "--diff", "--format", "json", "-"]));
    assert!(e.contains("--diff") && e.contains("json"), "{e}");
    // OS and glob errors are printed once.
    let e = stderr(galley().args(["clean", "--glob", "[", "."]));
    assert_eq!(e.matches("unclosed character class").count(), 1, "{e}");
    let e = stderr(galley().args(["clean", "--files-from", "no/such/list"]));
    assert_eq!(e.matches("No such file").count(), 1, "{e}");
    // `grammar show nope` says what is wrong, without an empty position and caret.
    let e = stderr(galley().args(["grammar", "show", "nope"]));
    assert!(
        e.contains("nope: no built-in grammar") && !e.contains(":0:0") && !e.contains('^'),
        "{e}"
    );
}

/// A write error on stdout (a full disk) is reported once and exits 2.
#[test]
#[cfg(target_os = "linux")]
fn full_stdout_is_reported_once() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("galley"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["clean", SEED])
        .stdout(full)
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert_eq!(e.matches("No space left").count(), 1, "{e}");
}

/// Issue 9.11: `clean --format json` output serves as gold for `galley eval` (users correct it
/// into gold); the output scored against itself is perfect.
#[test]
fn eval_accepts_clean_json_as_gold() {
    let t = tempfile::tempdir().unwrap();
    let json = stdout(galley().args(["clean", "-q", "--format", "json", SEED]));
    let gold = t.path().join("gold.json");
    std::fs::write(&gold, json).unwrap();
    let report = stdout(
        galley()
            .args(["eval", "--json", "--gold"])
            .arg(&gold)
            .arg(SEED),
    );
    let v: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(v["paragraph_f1"], 1.0, "{report}");
    assert_eq!(v["titles_right"], v["articles"], "{report}");
    std::fs::write(&gold, "{\"nothing\": 1}").unwrap();
    let e = stderr(galley().args(["eval", "--gold"]).arg(&gold).arg(SEED));
    assert!(e.contains("gold.json") && e.contains("`articles`"), "{e}");
}

/// Issue 9.11: the README documents every option of `galley clean`, and not the old line limit.
#[test]
fn readme_documents_every_clean_option() {
    let readme =
        std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let help = stdout(galley().args(["clean", "--help"]));
    for word in help.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        if let Some(opt) = word.strip_prefix("--") {
            if opt.len() > 1 && opt != "help" {
                assert!(readme.contains(&format!("--{opt}")), "README lacks --{opt}");
            }
        }
    }
    assert!(readme.contains("1 MiB") && readme.contains("%galley-text 1"));
    assert!(readme.contains("\"type\": \"page\"") && readme.contains("\"profile\""));
}

#[test]
fn fit_writes_a_new_profile_folder() {
    // Two dev pages with their gold: `fit --out` makes the folder and writes the four weight
    // files, which `fit` would write for a paper of one's own.
    let root = std::env::temp_dir().join(format!("galley-fit-{}", std::process::id()));
    let pages = root.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/devpages");
    for name in [
        "en-01.pdfminer.txt",
        "en-01.gold.json",
        "zh-01.pdfminer.txt",
        "zh-01.gold.json",
    ] {
        std::fs::copy(dev.join(name), pages.join(name)).unwrap();
    }
    let out = root.join("my-paper").join("weights");
    galley()
        .args(["fit", "--folds", "0", "--out"])
        .arg(&out)
        .arg(&pages)
        .assert()
        .success();
    for name in [
        "model-zh.weights",
        "model-en.weights",
        "assembly-zh.weights",
        "assembly-en.weights",
    ] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(
            text.starts_with('#'),
            "{name}: {}",
            &text[..text.len().min(80)]
        );
    }
    std::fs::remove_dir_all(&root).unwrap();
}
