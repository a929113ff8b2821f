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
