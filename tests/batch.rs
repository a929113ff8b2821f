//! A whole edition in one run: a directory of 200+ seed copies and bad files.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const SEED: &str = include_str!("../seeds/000_251e972a222be27a.txt");

fn galley() -> Command {
    Command::cargo_bin("galley").unwrap()
}

fn tree(root: &Path) {
    let d = root.join("edition/a/b");
    std::fs::create_dir_all(&d).unwrap();
    for i in 0..200 {
        let sub = if i % 2 == 0 {
            root.join("edition/a")
        } else {
            d.clone()
        };
        std::fs::write(sub.join(format!("p{i:03}.txt")), SEED).unwrap();
    }
    std::fs::write(root.join("edition/empty.txt"), "").unwrap();
    std::fs::write(
        root.join("edition/bad-utf8.txt"),
        b"first line\n\xc3\x28 broken\n",
    )
    .unwrap();
    std::fs::write(root.join("edition/binary.txt"), b"PK\x03\x04\x00\x00binary").unwrap();
    std::fs::write(root.join("edition/long-line.txt"), "x".repeat(5000)).unwrap();
    std::fs::write(root.join("edition/crlf.txt"), SEED.replace('\n', "\r\n")).unwrap();
    std::fs::write(
        root.join("edition/three.txt"),
        format!("{SEED}\x0C{SEED}\x0C{SEED}\x0C"),
    )
    .unwrap();
    std::fs::write(root.join("edition/notes.md"), "not a page").unwrap();
}

fn outputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn edition_with_bad_files() {
    let root = std::env::temp_dir().join(format!("galley-batch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    tree(&root);
    let seed_out = galley()
        .args(["clean", "-q", "-"])
        .write_stdin(SEED)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut runs = Vec::new();
    for j in ["1", "2"] {
        let out = root.join(format!("out{j}"));
        let a = galley()
            .current_dir(&root)
            .args(["clean", "--max-line", "4096", "-j", j, "--out-dir"])
            .arg(&out)
            .arg("edition")
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&a.stderr).to_string();
        for bad in ["bad-utf8.txt", "binary.txt", "long-line.txt"] {
            assert!(err.contains(bad), "{bad} named on stderr:\n{err}");
        }
        assert!(err.contains("invalid UTF-8 at byte 11"), "{err}");
        assert!(err.contains("NUL byte) at byte 4"), "{err}");
        assert!(err.contains("3 failed"), "{err}");
        let files = outputs(&out);
        // 200 copies + empty + crlf + three pages, mirrored; nothing for the bad files or notes.md.
        assert_eq!(
            files.len(),
            203,
            "{:?}",
            files.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        assert!(files
            .iter()
            .any(|(p, _)| p == Path::new("edition/a/b/p001.txt")));
        assert!(files
            .iter()
            .any(|(p, b)| p == Path::new("edition/empty.txt") && b.is_empty()));
        let get = |name: &str| {
            files
                .iter()
                .find(|(p, _)| p == Path::new(name))
                .unwrap()
                .1
                .clone()
        };
        assert!(get("edition/a/p000.txt") == seed_out);
        assert!(
            get("edition/crlf.txt") == seed_out,
            "the CRLF copy is reconstructed like the seed"
        );
        let three = String::from_utf8(get("edition/three.txt")).unwrap();
        let three = galley::render::text::without_marker(&three);
        let pages: Vec<&str> = three.strip_suffix('\n').unwrap().split('\x0C').collect();
        assert_eq!(pages.len(), 3);
        for p in pages {
            let seed_text = String::from_utf8_lossy(&seed_out);
            let seed_text = galley::render::text::without_marker(&seed_text);
            assert!(
                format!("{p}\n") == seed_text,
                "each form-feed page is reconstructed like the seed:\n{}",
                galley::render::diff::unified("page", seed_text, &format!("{p}\n"))
            );
        }
        runs.push(files);
    }
    assert!(runs[0] == runs[1], "-j 1 and -j 2 write the same outputs");
    // Resuming writes nothing new and still reports the bad files.
    let out = root.join("out2");
    let before = outputs(&out);
    galley()
        .current_dir(&root)
        .args([
            "clean",
            "-q",
            "--max-line",
            "4096",
            "--skip-existing",
            "--out-dir",
        ])
        .arg(&out)
        .arg("edition")
        .assert()
        .code(2);
    let after = outputs(&out);
    let names = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&after), names(&before));
    assert!(after == before, "resuming rewrote nothing");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn stdout_order_and_jsonl_summary_do_not_depend_on_threads() {
    let root = std::env::temp_dir().join(format!("galley-order-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let mut list = String::new();
    for i in 0..6 {
        let p = root.join(format!("p{i}.txt"));
        // Different pages: the seed cut at different places.
        let cut: String = SEED.lines().skip(i * 40).collect::<Vec<_>>().join("\n");
        std::fs::write(&p, cut).unwrap();
        list.push_str(&format!("{}\n", p.display()));
    }
    let run = |j: &str| {
        galley()
            .args([
                "clean",
                "-q",
                "--format",
                "jsonl",
                "--files-from",
                "-",
                "-j",
                j,
            ])
            .write_stdin(list.clone())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let text = String::from_utf8(one).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    for (i, l) in lines[..6].iter().enumerate() {
        assert!(
            l["source"]
                .as_str()
                .unwrap()
                .ends_with(&format!("p{i}.txt")),
            "input order kept"
        );
    }
    assert_eq!(lines[6]["type"], "summary");
    assert_eq!(lines[6]["files"], 6);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn broken_pipe_exits_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("galley");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_251e972a222be27a.txt");
    let mut child = Std::new(bin)
        .args(["clean", "-q"])
        .args(std::iter::repeat_n(&seed, 30))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 16];
    stdout.read_exact(&mut buf).unwrap();
    drop(stdout); // like `| head -c 16`
    let out = child.wait_with_output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() || out.status.code().is_none());
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    galley().current_dir(dir).args(args).output().unwrap()
}

fn err_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Issue 9.2: `--out-dir .` in the input directory would replace the raw pages: an error before
/// anything is written. `--in-place` replaces them explicitly and keeps a backup.
#[test]
fn out_dir_never_overwrites_an_input() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    std::fs::write(d.join("a.txt"), "建 成 通 车 。\n").unwrap();
    std::fs::write(d.join("b.txt"), "Hello world.\n").unwrap();
    let o = run_in(d, &["clean", "--out-dir", ".", "a.txt", "b.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", err_of(&o));
    assert!(
        err_of(&o).contains("would overwrite the input `a.txt`"),
        "{}",
        err_of(&o)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("a.txt")).unwrap(),
        "建 成 通 车 。\n"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("b.txt")).unwrap(),
        "Hello world.\n"
    );
    // The same through a directory argument and through an absolute path.
    let o = run_in(d, &["clean", "--out-dir", "..", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", err_of(&o));
    // --in-place: explicit, with a backup; a second run refuses to replace the backup.
    let o = run_in(d, &["clean", "-q", "--in-place", "a.txt"]);
    assert!(o.status.success(), "{}", err_of(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("a.txt.orig")).unwrap(),
        "建 成 通 车 。\n"
    );
    let cleaned = std::fs::read_to_string(d.join("a.txt")).unwrap();
    assert!(cleaned.starts_with("%galley-text 1\n") && cleaned.contains("建成通车。"));
    let o = run_in(d, &["clean", "-q", "--in-place", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err_of(&o).contains("--force"), "{}", err_of(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("a.txt.orig")).unwrap(),
        "建 成 通 车 。\n",
        "the backup of the raw page is kept"
    );
    let o = run_in(d, &["clean", "-q", "--in-place", "--force", "a.txt"]);
    assert!(o.status.success(), "{}", err_of(&o));
}

/// Issue 9.3: an output directory inside the input tree is not read back as input.
#[test]
fn out_dir_inside_the_input_tree_is_not_walked() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    std::fs::create_dir_all(d.join("in")).unwrap();
    std::fs::write(d.join("in/a.txt"), "Hello world.\n").unwrap();
    for _ in 0..3 {
        let o = run_in(d, &["clean", "--out-dir", "in/out", "in"]);
        assert!(o.status.success(), "{}", err_of(&o));
        assert!(err_of(&o).contains("galley: 1 file(s)"), "{}", err_of(&o));
    }
    let files = outputs(&d.join("in"));
    let names: Vec<_> = files.iter().map(|f| f.0.clone()).collect();
    assert_eq!(
        names,
        vec![PathBuf::from("a.txt"), PathBuf::from("out/in/a.txt")],
        "no in/out/in/out/…"
    );
}

/// Issue 9.4: two inputs with the same name mirror under the common base of the inputs; two
/// inputs that would still share an output are an error naming both.
#[test]
fn two_inputs_never_share_an_output() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    for (sub, text) in [("one", "First page.\n"), ("two", "Second page.\n")] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
        std::fs::write(d.join(sub).join("a.txt"), text).unwrap();
    }
    let one = d.join("one/a.txt");
    let two = d.join("two/a.txt");
    let o = galley()
        .args(["clean", "-q", "--out-dir"])
        .arg(d.join("OUT"))
        .arg(&one)
        .arg(&two)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", err_of(&o));
    let out = outputs(&d.join("OUT"));
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(String::from_utf8_lossy(&out[0].1).contains("First page."));
    assert!(String::from_utf8_lossy(&out[1].1).contains("Second page."));
    assert_eq!(out[0].0, PathBuf::from("one/a.txt"));
    // a.txt and a.md both become a.json: an error naming both, nothing written.
    std::fs::write(d.join("one/a.md"), "Third.\n").unwrap();
    let o = galley()
        .args(["clean", "--format", "json", "--glob", "a.*", "--out-dir"])
        .arg(d.join("J"))
        .arg(d.join("one"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = err_of(&o);
    assert!(
        e.contains("a.md") && e.contains("a.txt") && e.contains("both"),
        "{e}"
    );
    assert!(!d.join("J").exists(), "nothing written");
}

/// Issue 9.5 and 9.6: a write error (a full disk, simulated by a file size limit) fails the
/// files it hits, once each, leaves no truncated output and no truncated review page, and the
/// summary counts inputs, pages and failures once each.
#[test]
#[cfg(unix)]
fn full_disk_is_counted_once_and_leaves_nothing_truncated() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    std::fs::create_dir_all(d.join("in")).unwrap();
    // Two large pages (their output exceeds the limit) and one small page.
    std::fs::write(d.join("in/big1.txt"), SEED).unwrap();
    std::fs::write(d.join("in/big2.txt"), SEED).unwrap();
    std::fs::write(d.join("in/small.txt"), "Hello world.\n").unwrap();
    std::fs::write(d.join("review.html"), "old review").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("galley");
    // ulimit -f 4: files stop at 4 KiB; SIGXFSZ ignored, so writes fail with EFBIG.
    let script = format!(
        "ulimit -f 4; trap '' XFSZ; exec '{}' clean --out-dir out --review review.html in",
        bin.display()
    );
    let o = std::process::Command::new("sh")
        .current_dir(d)
        .args(["-c", &script])
        .output()
        .unwrap();
    let e = err_of(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(
        e.contains("galley: 3 file(s), 3 page(s)") && e.contains("3 failed"),
        "two outputs and the review page failed, the three inputs counted once:\n{e}"
    );
    assert_eq!(
        e.lines().filter(|l| l.contains("big1.txt")).count(),
        1,
        "one message per failure:\n{e}"
    );
    let written = outputs(&d.join("out"));
    let names: Vec<_> = written.iter().map(|f| f.0.clone()).collect();
    assert_eq!(
        names,
        vec![PathBuf::from("in/small.txt")],
        "no partial outputs"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("review.html")).unwrap(),
        "old review",
        "the review page is written atomically"
    );
    // Resuming says how many inputs it skipped.
    let o = run_in(d, &["clean", "--skip-existing", "--out-dir", "out", "in"]);
    assert!(o.status.success(), "{}", err_of(&o));
    assert!(
        err_of(&o).contains("galley: 2 file(s)") && err_of(&o).contains("1 skipped"),
        "{}",
        err_of(&o)
    );
}

/// Issue 9.6: outputs are created like other files (the umask decides), not 0600.
#[test]
#[cfg(unix)]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    std::fs::write(d.join("a.txt"), "Hello world.\n").unwrap();
    let bin = assert_cmd::cargo::cargo_bin("galley");
    let script = format!(
        "umask 022; exec '{}' clean -q --out-dir out --review r.html a.txt",
        bin.display()
    );
    let st = std::process::Command::new("sh")
        .current_dir(d)
        .args(["-c", &script])
        .status()
        .unwrap();
    assert!(st.success());
    for f in ["out/a.txt", "r.html"] {
        let mode = std::fs::metadata(d.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{f}");
    }
}

/// Issue 9.10: several inputs on stdout: text marks each file, JSON is one array.
#[test]
fn several_inputs_on_stdout_are_one_document() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    std::fs::write(d.join("a.txt"), "First page.\n").unwrap();
    std::fs::write(d.join("b.txt"), "Second page.\n").unwrap();
    let o = run_in(d, &["clean", "-q", "a.txt", "b.txt"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        text,
        "%galley-text 1\n%file a.txt\nFirst page.\n%galley-text 1\n%file b.txt\nSecond page.\n"
    );
    // Read back as one input, the stream keeps both files' text as separate articles.
    let again = galley()
        .args(["clean", "-q", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(v["pages"][0]["articles"].as_array().unwrap().len(), 2);
    let o = run_in(d, &["clean", "-q", "--format", "json", "a.txt", "b.txt"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let docs = v.as_array().expect("one JSON array");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1]["source"], "b.txt");
    // One file stays one object.
    let o = run_in(d, &["clean", "-q", "--format", "json", "a.txt"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"], "a.txt");
}
