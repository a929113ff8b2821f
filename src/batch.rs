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
    #[error("invalid glob `{glob}`: {source}")]
    Glob {
        /// The pattern.
        glob: String,
        /// Why.
        source: globset::Error,
    },
    /// The file list could not be read.
    #[error("could not read the file list `{path}`: {source}")]
    FileList {
        /// The list.
        path: String,
        /// Why.
        source: std::io::Error,
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

fn safe_rel(p: &Path) -> Option<PathBuf> {
    if p.is_absolute()
        || p.components()
            .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return None;
    }
    Some(
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect(),
    )
}

/// Expand paths and a file list into jobs: files as given, directories walked recursively in
/// sorted order keeping the files whose name matches `glob`, `-` for stdin.
pub fn expand(
    paths: &[PathBuf],
    glob: &str,
    files_from: Option<&str>,
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
            for entry in walkdir::WalkDir::new(&p).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() && matcher.is_match(e.file_name()) => {
                        found.push(e.into_path())
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(format!("could not read `{}`: {e}", p.display())),
                }
            }
            for f in found {
                let rel = safe_rel(&f).unwrap_or_else(|| {
                    f.strip_prefix(&p)
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|_| f.clone())
                });
                jobs.push(Job { path: Some(f), rel });
            }
        } else {
            let rel = safe_rel(&p)
                .unwrap_or_else(|| p.file_name().map(PathBuf::from).unwrap_or_default());
            jobs.push(Job { path: Some(p), rel });
        }
    }
    Ok((jobs, errors))
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
    let name = job.name();
    let bytes = match read(job) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(e),
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        process_bytes(&name, &bytes, grammar, config)
    }));
    match result {
        Ok(o) => o,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Outcome::Failed(format!("`{name}`: internal error (please report): {msg}"))
        }
    }
}

/// Clean bytes named `name`.
pub fn process_bytes(name: &str, bytes: &[u8], grammar: &Choice, config: &Config) -> Outcome {
    let text = match source::decode(bytes, config.max_line) {
        Ok(t) => t,
        Err(e) => return Outcome::Failed(format!("could not read `{name}`: {e}")),
    };
    let pages: Vec<source::Page> = source::pages_as(&text, config.options.input);
    let results: Vec<crate::PageResult> = pages
        .into_par_iter()
        .map(|p| crate::clean_page_with(p, grammar, &config.options))
        .collect();
    let doc = Document {
        source: name.to_owned(),
        pages: results,
    };
    for p in &doc.pages {
        if let Err(e) = p.conservation() {
            return Outcome::Failed(format!(
                "`{name}`: conservation check failed (a bug; nothing written): {e}"
            ));
        }
    }
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
        Format::Diff => render::diff::unified(name, &text, &text_out),
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

/// Write `bytes` to `path` atomically: a temporary file in the same directory, then a rename, so
/// that an interrupted run never leaves a truncated output.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
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
        assert_eq!(safe_rel(Path::new("../x.txt")), None);
        assert_eq!(
            safe_rel(Path::new("./a/x.txt")),
            Some(PathBuf::from("a/x.txt"))
        );
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
