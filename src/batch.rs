//! The batch driver: inputs, parallel workers, per-file isolation, atomic outputs.
//!
//! Contract: [`expand`] turns paths (files, directories, `-`) and a file list into [`Job`]s in a
//! stable order; [`run`] processes them on a rayon pool in chunks and hands each [`Outcome`] to a
//! sink *in input order*, so output never depends on the thread count and memory is bounded by a
//! chunk of files, not by the number of files. A failing file (unreadable, not UTF-8, binary, a
//! line too long, a panic, a conservation violation) becomes that file's error; the run goes on.
//! This module and the binary are the only places that touch the file system.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::grammar::Choice;
use crate::render::{self, Stats};
use crate::repair::hyphen;
use crate::repair::vocab::Vocab;
use crate::{source, Document, Options};

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The file, or `None` for stdin.
    pub path: Option<PathBuf>,
    /// Its relative path under an output directory.
    pub rel: PathBuf,
}

impl Job {
    /// How the input is named in messages and JSON.
    pub fn name(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "-".to_owned(),
        }
    }
}

/// Errors that stop a run before it starts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The `--glob` pattern is not valid.
    #[error("invalid glob `{glob}`")]
    Glob {
        /// The pattern.
        glob: String,
        /// Why.
        source: globset::Error,
    },
    /// The file list could not be read.
    #[error("could not read the file list `{path}`")]
    FileList {
        /// The list.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// An output would replace an input.
    #[error("the output of `{input}` would overwrite the input `{overwritten}` (`{output}`); nothing was written (choose another --out-dir, or --in-place to replace inputs)")]
    OverwritesInput {
        /// The input whose output it is.
        input: String,
        /// The input it would replace.
        overwritten: String,
        /// The output path.
        output: String,
    },
    /// Two inputs would be written to the same output.
    #[error("`{first}` and `{second}` would both be written to `{output}`; nothing was written")]
    Collision {
        /// The first input.
        first: String,
        /// The second input.
        second: String,
        /// The shared output path.
        output: String,
    },
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// galley text.
    Text,
    /// One JSON object per input.
    Json,
    /// One JSON object per page.
    Jsonl,
    /// The reviewer's view.
    Review,
    /// A unified diff from the raw input to the text output.
    Diff,
}

impl Format {
    /// File extension under `--out-dir`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Review => "review.txt",
            Format::Diff => "diff",
        }
    }
}

/// How to process a batch.
#[derive(Debug, Clone)]
pub struct Config {
    /// Output format.
    pub format: Format,
    /// Rule selection.
    pub options: Options,
    /// Longest line accepted, in bytes (0: any).
    pub max_line: usize,
    /// Keep the documents (for the HTML review page).
    pub keep_documents: bool,
}

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// Cleaned.
    Done {
        /// The rendered output in the chosen format.
        output: String,
        /// Whether fixes would apply (`--check`).
        pending: bool,
        /// Counts.
        stats: Stats,
        /// The document, when kept.
        document: Option<Document>,
    },
    /// Failed: the reason, naming the file and position where there is one.
    Failed(String),
}

/// `p` made absolute (against the current directory) with `.` and `..` resolved lexically.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The deepest directory holding every argument (the common base of their parent directories),
/// absolute.
fn common_base(args: &[PathBuf]) -> PathBuf {
    let mut base: Option<PathBuf> = None;
    for a in args.iter().filter(|a| a.as_os_str() != "-") {
        let parent = absolute(a)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        base = Some(match base {
            None => parent,
            Some(b) => b
                .components()
                .zip(parent.components())
                .take_while(|(x, y)| x == y)
                .map(|(x, _)| x)
                .collect(),
        });
    }
    base.unwrap_or_default()
}

/// Expand paths and a file list into jobs: files as given, directories walked recursively in
/// sorted order keeping the files whose name matches `glob` (never entering `exclude`, the
/// output directory), `-` for stdin.
///
/// Each job's `rel` (where its output goes under `--out-dir`) is its path relative to the common
/// base of the arguments: the deepest directory that holds every file and directory named on the
/// command line or in the list. So `a.txt b.txt` mirror as `a.txt`, `b.txt`; `edition` as
/// `edition/…`; `/x/one/a.txt /x/two/a.txt` as `one/a.txt`, `two/a.txt`.
pub fn expand(
    paths: &[PathBuf],
    glob: &str,
    files_from: Option<&str>,
    exclude: Option<&Path>,
) -> Result<(Vec<Job>, Vec<String>), BatchError> {
    let matcher = globset::Glob::new(glob)
        .map_err(|source| BatchError::Glob {
            glob: glob.to_owned(),
            source,
        })?
        .compile_matcher();
    let mut paths = paths.to_vec();
    if let Some(list) = files_from {
        let text = if list == "-" {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map(|_| s)
        } else {
            std::fs::read_to_string(list)
        }
        .map_err(|source| BatchError::FileList {
            path: list.to_owned(),
            source,
        })?;
        paths.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(PathBuf::from),
        );
    }
    let base = common_base(&paths);
    let rel_of = |f: &Path| -> PathBuf {
        let abs = absolute(f);
        abs.strip_prefix(&base)
            .map(Path::to_path_buf)
            .ok()
            .filter(|r| !r.as_os_str().is_empty())
            .or_else(|| f.file_name().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("stdin"))
    };
    let excluded = exclude.and_then(|d| std::fs::canonicalize(d).ok());
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            jobs.push(Job {
                path: None,
                rel: PathBuf::from("stdin"),
            });
            continue;
        }
        if p.is_dir() {
            let mut found: Vec<PathBuf> = Vec::new();
            let walk = walkdir::WalkDir::new(&p)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    // The output directory inside the input tree holds outputs, not inputs.
                    !(e.depth() > 0
                        && e.file_type().is_dir()
                        && excluded.is_some()
                        && std::fs::canonicalize(e.path()).ok() == excluded)
                });
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_file() && matcher.is_match(e.file_name()) => {
                        found.push(e.into_path())
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(format!("could not read `{}`: {e}", p.display())),
                }
            }
            for f in found {
                let rel = rel_of(&f);
                jobs.push(Job { path: Some(f), rel });
            }
        } else {
            let rel = rel_of(&p);
            jobs.push(Job { path: Some(p), rel });
        }
    }
    Ok((jobs, errors))
}

/// The output path of every job under `out_dir`, checked before anything is written: an output
/// that is an input file (`--out-dir .` in the input directory) or two inputs with one output
/// are errors naming the inputs. The same file given twice is one input.
pub fn plan_outputs(
    jobs: &[Job],
    out_dir: &Path,
    format: Format,
) -> Result<Vec<PathBuf>, BatchError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let inputs: std::collections::HashMap<PathBuf, &Job> = jobs
        .iter()
        .filter_map(|j| j.path.as_deref().and_then(canonical).map(|c| (c, j)))
        .collect();
    let mut seen: std::collections::HashMap<PathBuf, &Job> = std::collections::HashMap::new();
    let mut outs = Vec::with_capacity(jobs.len());
    for j in jobs {
        let out = output_path(out_dir, j, format);
        if let Some(victim) = canonical(&out).and_then(|c| inputs.get(&c)) {
            return Err(BatchError::OverwritesInput {
                input: j.name(),
                overwritten: victim.name(),
                output: out.display().to_string(),
            });
        }
        if let Some(first) = seen.get(&absolute(&out)) {
            let same = first.path.is_some()
                && first.path.as_deref().and_then(canonical)
                    == j.path.as_deref().and_then(canonical);
            if !same {
                return Err(BatchError::Collision {
                    first: first.name(),
                    second: j.name(),
                    output: out.display().to_string(),
                });
            }
        }
        seen.insert(absolute(&out), j);
        outs.push(out);
    }
    Ok(outs)
}

/// Read a job's bytes.
fn read(job: &Job) -> Result<Vec<u8>, String> {
    match &job.path {
        None => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| format!("could not read stdin: {e}"))?;
            Ok(b)
        }
        Some(p) => std::fs::read(p).map_err(|e| format!("could not read `{}`: {e}", p.display())),
    }
}

/// Clean one input: decode, reconstruct every page (in parallel), check conservation, render.
pub fn process(job: &Job, grammar: &Choice, config: &Config) -> Outcome {
    match read(job) {
        Ok(bytes) => process_isolated(&job.name(), &bytes, grammar, config),
        Err(e) => Outcome::Failed(e),
    }
}

/// The message of a panic caught in input `name`.
fn panic_message(name: &str, panic: Box<dyn std::any::Any + Send>) -> String {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("`{name}`: internal error (please report): {msg}")
}

/// [`process_bytes`], with a panic becoming the input's error.
pub fn process_isolated(name: &str, bytes: &[u8], grammar: &Choice, config: &Config) -> Outcome {
    catch_unwind(AssertUnwindSafe(|| {
        process_bytes(name, bytes, grammar, config)
    }))
    .unwrap_or_else(|panic| Outcome::Failed(panic_message(name, panic)))
}

/// Decode and reconstruct the input `name` (its pages in parallel) and check conservation;
/// returns the decoded text and the document, or the input's error, naming it and the position.
fn reconstruct(
    name: &str,
    bytes: &[u8],
    grammar: &Choice,
    options: &Options,
    max_line: usize,
) -> Result<(String, Document), String> {
    let text =
        source::decode(bytes, max_line).map_err(|e| format!("could not read `{name}`: {e}"))?;
    let pages: Vec<source::Page> = source::pages_as(&text, options.input);
    let results: Vec<crate::PageResult> = pages
        .into_par_iter()
        .map(|p| crate::clean_page_with(p, grammar, options))
        .collect();
    let doc = Document {
        source: name.to_owned(),
        pages: results,
    };
    for p in &doc.pages {
        if let Err(e) = p.conservation() {
            return Err(format!(
                "`{name}`: conservation check failed (a bug; nothing written): {e}"
            ));
        }
    }
    Ok((text, doc))
}

/// The document of one input, as `galley clean` builds it before rendering: decoded (lines
/// up to `max_line` bytes, 0: any), every page reconstructed, conservation checked. Every
/// failure, a panic included, is the input's error, with the message the command line prints.
pub fn document(
    name: &str,
    bytes: &[u8],
    grammar: &Choice,
    options: &Options,
    max_line: usize,
) -> Result<Document, String> {
    catch_unwind(AssertUnwindSafe(|| {
        reconstruct(name, bytes, grammar, options, max_line)
    }))
    .unwrap_or_else(|panic| Err(panic_message(name, panic)))
    .map(|(_, doc)| doc)
}

/// Clean bytes named `name`.
pub fn process_bytes(name: &str, bytes: &[u8], grammar: &Choice, config: &Config) -> Outcome {
    let (text, doc) = match reconstruct(name, bytes, grammar, &config.options, config.max_line) {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(e),
    };
    let text_out = render::text::document(&doc);
    let text_out = if text_out.is_empty() {
        text_out
    } else {
        text_out + "\n"
    };
    // The marker line is format: a raw page that galley would only mark is not pending.
    let pending = render::text::without_marker(&text_out) != render::text::without_marker(&text)
        && !(text.trim().is_empty() && text_out.is_empty());
    let output = match config.format {
        Format::Text => text_out,
        Format::Json => render::json::document(&doc) + "\n",
        Format::Jsonl => render::json::lines_of(&doc),
        Format::Review => render::review::document(&doc),
        // The diff applies to the file as it is on disk (BOM and line ends included).
        Format::Diff => {
            let raw = String::from_utf8_lossy(bytes);
            let new = render::diff::in_conventions_of(&raw, &text_out);
            render::diff::unified(name, &raw, &new)
        }
    };
    let mut stats = Stats::default();
    stats.add(&doc);
    Outcome::Done {
        output,
        pending,
        stats,
        document: config.keep_documents.then_some(doc),
    }
}

/// The run's vocabulary: the words of every input file, for the hyphen decisions of each page
/// (an edition's pages share their words: `co-operation` written on one page keeps the hyphen of
/// `co-`/`operation` on the next). Read once before cleaning, in parallel; stdin and files that
/// cannot be read or decoded are left out here (they fail, or are cleaned, on their own later).
pub fn vocabulary(
    pool: &rayon::ThreadPool,
    jobs: &[Job],
    grammar: &Choice,
    max_line: usize,
) -> Vocab {
    pool.install(|| {
        jobs.par_iter()
            .filter(|j| j.path.is_some())
            .map(|j| {
                let mut v = Vocab::default();
                let text = read(j).ok().and_then(|b| source::decode(&b, max_line).ok());
                if let Some(text) = text {
                    add_input(&mut v, &text, grammar);
                }
                v
            })
            .reduce(Vocab::default, |mut a, b| {
                a.merge(b);
                a
            })
    })
}

/// Add the words of one decoded input to a run's vocabulary, page by page, each page read with
/// the hyphen marks of its grammar.
pub fn add_input(v: &mut Vocab, text: &str, grammar: &Choice) {
    for page in text.split('\x0C') {
        let (g, _) = grammar.for_page(page);
        v.add_text(page, &|c| hyphen::is_mark(g, c));
    }
}

/// Process `jobs` on `pool`, `chunk` files at a time, handing outcomes to `sink` in input order
/// (the sink runs on the calling thread).
pub fn run(
    pool: &rayon::ThreadPool,
    jobs: &[Job],
    grammar: &Choice,
    config: &Config,
    chunk: usize,
    sink: &mut dyn FnMut(&Job, Outcome),
) {
    for group in jobs.chunks(chunk.max(1)) {
        let outcomes: Vec<Outcome> = pool.install(|| {
            group
                .par_iter()
                .map(|j| process(j, grammar, config))
                .collect()
        });
        for (j, o) in group.iter().zip(outcomes) {
            sink(j, o);
        }
    }
}

/// One line of `--input jsonl`: `{"id": …, "text": "…"}` (other fields are ignored).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The id, any JSON value, echoed on every output line of the record.
    pub id: serde_json::Value,
    /// The page text.
    pub text: String,
}

/// Read one JSON line (`number` is 1-based, for messages). On failure, the id when the line
/// has one (null otherwise) and the reason naming the line.
pub fn record(line: &str, number: usize) -> Result<Record, (serde_json::Value, String)> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        // serde_json counts lines inside the record; the position that helps is the column.
        let what = e.to_string();
        let what = what
            .rsplit_once(" at line ")
            .map_or(what.as_str(), |(w, _)| w);
        let at = format!("line {number}, column {}", e.column());
        (serde_json::Value::Null, format!("{at}: not JSON: {what}"))
    })?;
    let serde_json::Value::Object(mut o) = v else {
        return Err((
            serde_json::Value::Null,
            format!("line {number}: expected an object {{\"id\": …, \"text\": …}}"),
        ));
    };
    let id = o.remove("id");
    match (id, o.remove("text")) {
        (Some(id), Some(serde_json::Value::String(text))) => Ok(Record { id, text }),
        (None, _) => Err((
            serde_json::Value::Null,
            format!("line {number}: the object has no `id`"),
        )),
        (Some(id), Some(_)) => Err((id, format!("line {number}: `text` is not a string"))),
        (Some(id), None) => Err((id, format!("line {number}: the object has no `text`"))),
    }
}

/// What became of one record of `--input jsonl`.
#[derive(Debug)]
pub struct RecordOutcome {
    /// The 1-based line number.
    pub line: usize,
    /// The output lines: the record's pages tagged with its id, or one error line.
    pub output: String,
    /// Counts, when it was cleaned.
    pub stats: Option<Stats>,
    /// Why it failed, naming the line.
    pub error: Option<String>,
}

/// Clean one line of `--input jsonl` as `galley clean` cleans the same text on stdin (named
/// `-`, decoded, with no run vocabulary: a record's output never depends on the others).
pub fn process_record(
    line: &str,
    number: usize,
    grammar: &Choice,
    config: &Config,
) -> RecordOutcome {
    let failed = |id: &serde_json::Value, e: String| RecordOutcome {
        line: number,
        output: render::json::error_line(id, number, &e),
        stats: None,
        error: Some(e),
    };
    let r = match record(line, number) {
        Ok(r) => r,
        Err((id, e)) => return failed(&id, e),
    };
    match document(
        "-",
        r.text.as_bytes(),
        grammar,
        &config.options,
        config.max_line,
    ) {
        Ok(doc) => {
            let mut stats = Stats::default();
            stats.add(&doc);
            RecordOutcome {
                line: number,
                output: render::json::lines_with_id(&doc, &r.id),
                stats: Some(stats),
                error: None,
            }
        }
        Err(e) => failed(&r.id, format!("line {number}: {e}")),
    }
}

/// Clean JSON lines from `input` (`--input jsonl`) on `pool`, `chunk` lines at a time, handing
/// each line's outcome to `sink` in input order: memory is bounded by a chunk, not by the
/// stream. Blank lines are skipped (they count for line numbers). Fails only when `input`
/// cannot be read.
pub fn run_records(
    pool: &rayon::ThreadPool,
    input: &mut dyn std::io::BufRead,
    grammar: &Choice,
    config: &Config,
    chunk: usize,
    sink: &mut dyn FnMut(RecordOutcome),
) -> std::io::Result<()> {
    let mut number = 0usize;
    let mut buf = Vec::new();
    loop {
        let mut group: Vec<(usize, Result<String, String>)> = Vec::with_capacity(chunk.max(1));
        while group.len() < chunk.max(1) {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            number += 1;
            // A line that is not UTF-8 is that record's error, not the stream's.
            match std::str::from_utf8(&buf) {
                Ok(line) if line.trim().is_empty() => {}
                Ok(line) => {
                    group.push((number, Ok(line.trim_end_matches(['\n', '\r']).to_owned())))
                }
                Err(e) => group.push((
                    number,
                    Err(format!(
                        "line {number}: invalid UTF-8 at byte {} of the line",
                        e.valid_up_to()
                    )),
                )),
            }
        }
        if group.is_empty() {
            return Ok(());
        }
        let outcomes: Vec<RecordOutcome> = pool.install(|| {
            group
                .par_iter()
                .map(|(n, l)| match l {
                    Ok(l) => process_record(l, *n, grammar, config),
                    Err(e) => RecordOutcome {
                        line: *n,
                        output: render::json::error_line(&serde_json::Value::Null, *n, e),
                        stats: None,
                        error: Some(e.clone()),
                    },
                })
                .collect()
        });
        outcomes.into_iter().for_each(&mut *sink);
    }
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, then a rename, so
/// that an interrupted run or a full disk never leaves a truncated output (the old file, if any,
/// stays whole). The file is created like any other (mode 0666 less the umask), not private to
/// its owner as temporary files are.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // open(2) applies the umask to this mode.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Where a job's output goes under `out_dir`.
pub fn output_path(out_dir: &Path, job: &Job, format: Format) -> PathBuf {
    let mut rel = job.rel.clone();
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stdin".into());
    rel.set_file_name(format!("{stem}.{}", format.extension()));
    out_dir.join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_mirror_inputs() {
        let job = Job {
            path: Some("a/b/p1.txt".into()),
            rel: "a/b/p1.txt".into(),
        };
        assert_eq!(
            output_path(Path::new("out"), &job, Format::Json),
            PathBuf::from("out/a/b/p1.json")
        );
        assert_eq!(
            common_base(&["/x/one/a.txt".into(), "/x/two/a.txt".into()]),
            PathBuf::from("/x")
        );
        assert_eq!(
            common_base(&["/x/one/a.txt".into()]),
            PathBuf::from("/x/one")
        );
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn bad_bytes_fail_alone() {
        let g = Choice::Auto(crate::grammar::Profiles::builtin());
        let config = Config {
            format: Format::Text,
            options: Options::default(),
            max_line: 0,
            keep_documents: false,
        };
        match process_bytes("bad.txt", b"ok\n\xff", &g, &config) {
            Outcome::Failed(e) => assert!(e.contains("bad.txt") && e.contains("byte 3"), "{e}"),
            Outcome::Done { .. } => panic!("invalid UTF-8 accepted"),
        }
        match process_bytes("empty.txt", b"", &g, &config) {
            Outcome::Done {
                output, pending, ..
            } => assert!(output.is_empty() && !pending),
            Outcome::Failed(e) => panic!("{e}"),
        }
    }
}
