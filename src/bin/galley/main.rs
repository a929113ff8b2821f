//! The galley command line: a thin shell over the library.

mod args;
mod report;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;

use args::{CleanArgs, Cli, Cmd, Format, GrammarCmd};
use galley::batch::{self, Outcome};
use galley::grammar::{Choice, Grammar, Profiles};
use galley::repair::vocab::Vocab;
use galley::{fix, render, source, Options};
use report::Report;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS; // `galley … | head`
            }
            let _ = writeln!(io::stderr(), "galley: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `--grammar NAME|PATH` forces one grammar; without it each page picks its profile.
fn load_grammar(name: Option<&str>) -> Result<Choice> {
    match name {
        None => Ok(Choice::Auto(Profiles::builtin())),
        Some(n) => Grammar::resolve(n)
            .map(|g| Choice::Forced(Box::new(g)))
            .map_err(|e| anyhow::anyhow!("{e}")),
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let mut out = io::stdout().lock();
    match cli.cmd {
        Cmd::Rules => {
            for r in fix::RULES {
                writeln!(out, "{}", r.listing())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Explain { code } => {
            write!(out, "{}", fix::lookup(&code)?.explanation())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            gold,
            page,
            means,
            grammar,
            json,
        } => {
            let g = load_grammar(grammar.as_deref())?;
            if page.is_dir() {
                let pages = galley::fit::load_dir(&page)?;
                let scored: Vec<_> = pages
                    .iter()
                    .filter(|p| p.line_labels.is_none())
                    .map(|p| (p, galley::fit::score_page(p, &g)))
                    .collect();
                let rows = galley::fit::table(&scored);
                if json {
                    writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
                } else {
                    write!(out, "{}", galley::fit::format_table(&rows, means))?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            let gold = gold.context("`--gold GOLD.json` is needed to score one page")?;
            let gold = galley::fit::read_gold(&gold)?;
            let bytes = if page.as_os_str() == "-" {
                let mut b = Vec::new();
                io::stdin().read_to_end(&mut b)?;
                b
            } else {
                std::fs::read(&page)
                    .with_context(|| format!("could not read `{}`", page.display()))?
            };
            let name = page.display().to_string();
            let text = source::decode(&bytes, 0)
                .map_err(|e| anyhow::anyhow!("could not read `{name}`: {e}"))?;
            let page = source::pages(&text)
                .into_iter()
                .next()
                .context("the page is empty")?;
            let first = &galley::clean_page_with(page, &g, &Options::default());
            let s = galley::eval::score(&gold, first);
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
            } else {
                write!(out, "{}", s.report())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Fit {
            dirs,
            out: out_dir,
            folds,
            means,
            confusion,
        } => {
            let mut pages = Vec::new();
            for dir in &dirs {
                pages.extend(galley::fit::load_dir(dir)?);
            }
            if confusion && folds > 1 {
                let (zh, en) = galley::fit::cross_validate_lines(&pages, folds);
                writeln!(out, "line labels, zh (cross-validated):")?;
                write!(out, "{}", galley::fit::format_confusion(&zh))?;
                writeln!(out, "line labels, en (cross-validated):")?;
                write!(out, "{}", galley::fit::format_confusion(&en))?;
            }
            if folds > 1 {
                let scored = galley::fit::cross_validate(&pages, folds);
                writeln!(out, "cross-validated ({folds} folds, every page scored by models fitted without it):")?;
                write!(
                    out,
                    "{}",
                    galley::fit::format_table(&galley::fit::table(&scored), means)
                )?;
            }
            let fitted = galley::fit::fit_all(&pages);
            if let Some(dir) = out_dir {
                // A new profile's folder is made, as `--out-dir` of `clean` does.
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("could not create `{}`", dir.display()))?;
                for (name, text) in fitted.files() {
                    let path = dir.join(name);
                    std::fs::write(&path, text)
                        .with_context(|| format!("could not write `{}`", path.display()))?;
                    writeln!(out, "wrote {}", path.display())?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Clean(a) => clean(a, &mut out),
        Cmd::Grammar { cmd } => match cmd {
            GrammarCmd::Check { path } => {
                let g = Grammar::load(&path).map_err(|e| anyhow::anyhow!("{e}"))?;
                writeln!(
                    out,
                    "{}: ok ({} includes)",
                    path.display(),
                    g.includes.len()
                )?;
                Ok(ExitCode::SUCCESS)
            }
            GrammarCmd::Show { name } => {
                let g = Grammar::resolve(&name).map_err(|e| anyhow::anyhow!("{e}"))?;
                write!(out, "{}", g.canonical())?;
                Ok(ExitCode::SUCCESS)
            }
            GrammarCmd::List => {
                for n in Grammar::builtin_names() {
                    let mark = if galley::grammar::PROFILES.contains(&n) {
                        "profile"
                    } else {
                        ""
                    };
                    writeln!(out, "{n:<14} {mark}")?;
                }
                Ok(ExitCode::SUCCESS)
            }
        },
    }
}

/// Refuse option combinations that would silently do something else than asked.
fn check_args(a: &CleanArgs) -> Result<()> {
    if a.diff && a.format.is_some_and(|f| f != Format::Text) {
        anyhow::bail!(
            "--diff writes a unified diff and cannot be combined with --format {}",
            format_name(a.format.unwrap_or(Format::Text))
        );
    }
    if a.in_place && a.format.is_some_and(|f| f != Format::Text) {
        anyhow::bail!("--in-place replaces inputs with galley text; it takes no --format");
    }
    fix::check_selection(a.select.iter().chain(&a.ignore))?;
    Ok(())
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Text => "text",
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Review => "review",
    }
}

/// Where the outputs go.
enum Dest {
    /// All to stdout, in input order; `several` marks the file boundaries.
    Stdout { several: bool },
    /// One file per input under this directory (checked by `batch::plan_outputs`).
    Files(PathBuf),
    /// Over each input, which is kept as FILE.orig.
    InPlace { force: bool },
}

/// Replace `path` with `bytes`, keeping the original as `path.orig`.
fn replace_in_place(path: &std::path::Path, bytes: &[u8], force: bool) -> Result<()> {
    let mut backup = path.as_os_str().to_owned();
    backup.push(".orig");
    let backup = PathBuf::from(backup);
    if backup.exists() && !force {
        anyhow::bail!(
            "`{}` was not replaced: the backup `{}` exists (--force replaces it)",
            path.display(),
            backup.display()
        );
    }
    let original =
        std::fs::read(path).with_context(|| format!("could not read `{}`", path.display()))?;
    batch::write_atomic(&backup, &original)
        .with_context(|| format!("could not write the backup `{}`", backup.display()))?;
    batch::write_atomic(path, bytes)
        .with_context(|| format!("could not replace `{}`", path.display()))?;
    Ok(())
}

/// The words of the run, for line-end hyphens: every input file when there are several, and the
/// `--vocabulary` files. `None` for a single input without a vocabulary file (its own words are
/// the page's).
fn run_vocabulary(
    a: &CleanArgs,
    pool: &rayon::ThreadPool,
    jobs: &[batch::Job],
    g: &Choice,
    max_line: usize,
) -> Result<Option<Arc<Vocab>>> {
    let files = jobs.iter().filter(|j| j.path.is_some()).count();
    if files < 2 && a.vocabulary.is_empty() {
        return Ok(None);
    }
    let mut v = if files >= 2 {
        batch::vocabulary(pool, jobs, g, max_line)
    } else {
        Vocab::default()
    };
    add_vocabulary_files(&mut v, &a.vocabulary)?;
    Ok(Some(Arc::new(v)))
}

/// Add the words of `--vocabulary` files (one a line, `#` comments).
fn add_vocabulary_files(v: &mut Vocab, files: &[PathBuf]) -> Result<()> {
    for path in files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read the vocabulary `{}`", path.display()))?;
        for line in text.lines() {
            v.add_word(line);
        }
    }
    Ok(())
}

/// `--input jsonl`: JSON lines of pages on stdin, one output line per page tagged with its
/// record's id, in input order, then the summary line.
fn clean_records(a: CleanArgs, out: &mut impl Write) -> Result<ExitCode> {
    let refused = [
        (
            a.format.is_some_and(|f| f != Format::Jsonl),
            "--format other than jsonl",
        ),
        (a.diff, "--diff"),
        (a.check, "--check"),
        (a.out_dir.is_some(), "--out-dir"),
        (a.in_place, "--in-place"),
        (a.review.is_some(), "--review"),
        (a.files_from.is_some(), "--files-from"),
        (
            a.paths.iter().any(|p| p.as_os_str() != "-"),
            "file arguments",
        ),
    ];
    if let Some((_, what)) = refused.iter().find(|(bad, _)| *bad) {
        anyhow::bail!("--input jsonl reads JSON lines from stdin and writes JSON lines to stdout; it takes no {what}");
    }
    fix::check_selection(a.select.iter().chain(&a.ignore))?;
    let g = load_grammar(a.grammar.as_deref())?;
    let config = batch::Config {
        format: batch::Format::Jsonl,
        options: Options {
            select: a.select.clone(),
            ignore: a.ignore.clone(),
            input: source::Input::Auto,
            // The --vocabulary files, the same for every record (a stream has no run to read
            // words from before it starts).
            vocabulary: if a.vocabulary.is_empty() {
                None
            } else {
                let mut v = Vocab::default();
                add_vocabulary_files(&mut v, &a.vocabulary)?;
                Some(Arc::new(v))
            },
        },
        max_line: usize::try_from(a.max_line).unwrap_or(usize::MAX),
        keep_documents: false,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.jobs.unwrap_or(0))
        .build()
        .context("could not start the worker threads")?;
    let mut report = Report::new(0, a.quiet);
    report.unit = "record(s)";
    let mut write_error: Option<io::Error> = None;
    let chunk = 16 * pool.current_num_threads().max(1);
    let mut stdin = io::stdin().lock();
    batch::run_records(&pool, &mut stdin, &g, &config, chunk, &mut |r| {
        match (&r.stats, &r.error) {
            (Some(stats), _) => report.done(stats),
            (None, Some(e)) => report.failed(e),
            (None, None) => {}
        }
        if write_error.is_none() {
            if let Err(e) = out.write_all(r.output.as_bytes()) {
                write_error = Some(e);
            }
        }
    })
    .context("could not read stdin")?;
    if let Some(e) = write_error {
        return Err(anyhow::Error::new(e).context("could not write to stdout"));
    }
    writeln!(out, "{}", summary_line(&report))?;
    out.flush().context("could not write to stdout")?;
    finish(&report, &a)
}

/// The JSON Lines summary record of a run.
fn summary_line(report: &Report) -> serde_json::Value {
    let s = &report.stats;
    serde_json::json!({"type": "summary", "files": report.files, "pages": s.pages, "articles": s.articles,
        "fixes": s.fixes(), "fixes_by_code": s.by_code, "failed": report.failed,
        "skipped": report.skipped.unwrap_or(0)})
}

/// End a run: the progress line, `--stats`, the summary on stderr, and the exit code (2 when a
/// page failed, 1 when `--check` found pending fixes).
fn finish(report: &Report, a: &CleanArgs) -> Result<ExitCode> {
    report.finish();
    if a.stats {
        write!(io::stderr(), "{}", report.stats.report())?;
    }
    if !a.quiet {
        writeln!(io::stderr(), "{}", report.summary())?;
    }
    Ok(if report.failed > 0 {
        ExitCode::from(2)
    } else if a.check && report.pending > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn clean(a: CleanArgs, out: &mut impl Write) -> Result<ExitCode> {
    if a.input == args::Input::Jsonl {
        return clean_records(a, out);
    }
    check_args(&a)?;
    let g = load_grammar(a.grammar.as_deref())?;
    let format = if a.diff {
        batch::Format::Diff
    } else {
        match a.format.unwrap_or(Format::Text) {
            Format::Text => batch::Format::Text,
            Format::Json => batch::Format::Json,
            Format::Jsonl => batch::Format::Jsonl,
            Format::Review => batch::Format::Review,
        }
    };
    let config = batch::Config {
        format,
        options: Options {
            select: a.select.clone(),
            ignore: a.ignore.clone(),
            input: match a.input {
                // `--input jsonl` is read by `clean_records`.
                args::Input::Auto | args::Input::Jsonl => source::Input::Auto,
                args::Input::Galley => source::Input::Galley,
                args::Input::Raw => source::Input::Raw,
            },
            vocabulary: None,
        },
        max_line: usize::try_from(a.max_line).unwrap_or(usize::MAX),
        keep_documents: a.review.is_some(),
    };
    let paths = if a.paths.is_empty() && a.files_from.is_none() {
        vec![PathBuf::from("-")]
    } else {
        a.paths.clone()
    };
    let (mut jobs, walk_errors) = batch::expand(
        &paths,
        &a.glob,
        a.files_from.as_deref(),
        a.out_dir.as_deref(),
    )?;
    if a.in_place && jobs.iter().any(|j| j.path.is_none()) {
        anyhow::bail!("--in-place needs files, not stdin");
    }
    if let Some(review) = &a.review {
        let target = std::fs::canonicalize(review).ok();
        if let Some(j) = jobs.iter().find(|j| {
            target.is_some()
                && j.path
                    .as_deref()
                    .and_then(|p| std::fs::canonicalize(p).ok())
                    == target
        }) {
            anyhow::bail!(
                "--review `{}` would overwrite the input `{}`; nothing was written",
                review.display(),
                j.name()
            );
        }
    }
    // The run's vocabulary counts every input, also those --skip-existing leaves out.
    let all_jobs = jobs.clone();
    let mut skipped = None;
    let mut dest = match &a.out_dir {
        Some(dir) => {
            batch::plan_outputs(&jobs, dir, format)?;
            if a.skip_existing {
                let before = jobs.len();
                jobs.retain(|j| !batch::output_path(dir, j, format).exists());
                skipped = Some(before - jobs.len());
            }
            Dest::Files(dir.clone())
        }
        None if a.in_place => Dest::InPlace { force: a.force },
        None => Dest::Stdout {
            several: jobs.len() > 1 || a.files_from.is_some() || paths.iter().any(|p| p.is_dir()),
        },
    };
    let threads = a.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("could not start the worker threads")?;
    let mut config = config;
    config.options.vocabulary = run_vocabulary(&a, &pool, &all_jobs, &g, config.max_line)?;
    let mut report = Report::new(jobs.len(), a.quiet);
    report.skipped = skipped;
    for e in &walk_errors {
        report.failed(e);
    }
    let json_array =
        matches!(dest, Dest::Stdout { several: true }) && format == batch::Format::Json && !a.check;
    if json_array {
        out.write_all(b"[\n")?;
    }
    let mut documents = Vec::new();
    let mut write_error: Option<io::Error> = None;
    let mut written = 0usize;
    let chunk = 4 * pool.current_num_threads().max(1);
    {
        batch::run(
            &pool,
            &jobs,
            &g,
            &config,
            chunk,
            &mut |job, outcome| match outcome {
                Outcome::Failed(e) => report.failed(&e),
                Outcome::Done {
                    output,
                    pending,
                    stats,
                    document,
                } => {
                    report.done(&stats);
                    if pending {
                        report.pending += 1;
                        if a.check && !a.quiet {
                            let fixes = stats.fixes();
                            let what = if fixes > 0 {
                                format!("{fixes} fix(es) would apply")
                            } else {
                                "the layout would change (no fixes)".to_owned()
                            };
                            let _ = writeln!(io::stderr(), "{}: {what}", job.name());
                        }
                    }
                    documents.extend(document);
                    if a.check || write_error.is_some() {
                        return;
                    }
                    let res = match &mut dest {
                        Dest::Files(dir) => {
                            let path = &batch::output_path(dir, job, format);
                            batch::write_atomic(path, output.as_bytes()).map_err(|e| {
                                format!(
                                    "could not write `{}` (the output of `{}`): {e}",
                                    path.display(),
                                    job.name()
                                )
                            })
                        }
                        Dest::InPlace { force } => {
                            let path = job.path.as_deref().expect("--in-place has files");
                            replace_in_place(path, output.as_bytes(), *force)
                                .map_err(|e| format!("{e:#}"))
                        }
                        Dest::Stdout { several } => {
                            let framed = frame(&output, &job.name(), format, *several, written);
                            written += 1;
                            if let Err(e) = out.write_all(framed.as_bytes()) {
                                write_error = Some(e);
                            }
                            Ok(())
                        }
                    };
                    if let Err(e) = res {
                        report.output_failed(&e);
                    }
                }
            },
        );
    }
    if let Some(e) = write_error {
        report.finish();
        return Err(anyhow::Error::new(e).context("could not write to stdout"));
    }
    if json_array {
        out.write_all(if written > 0 { b"\n]\n" } else { b"]\n" })?;
    }
    if format == batch::Format::Jsonl && !a.check && matches!(dest, Dest::Stdout { .. }) {
        writeln!(out, "{}", summary_line(&report))?;
    }
    out.flush().context("could not write to stdout")?;
    if let Some(path) = &a.review {
        if let Err(e) = batch::write_atomic(path, render::html::page(&documents).as_bytes()) {
            report.output_failed(&format!(
                "could not write the review page `{}`: {e}",
                path.display()
            ));
        }
    }
    finish(&report, &a)
}

/// One input's output on a stream shared with others: text gets a `%file NAME` line after its
/// marker line, JSON objects become elements of one array (the caller writes the brackets).
fn frame(output: &str, name: &str, format: batch::Format, several: bool, index: usize) -> String {
    if !several {
        return output.to_owned();
    }
    match format {
        batch::Format::Text => {
            let body = render::text::without_marker(output);
            format!("{}\n%file {name}\n{body}", source::MARKER)
        }
        batch::Format::Json => {
            let sep = if index > 0 { ",\n" } else { "" };
            format!("{sep}{}", output.trim_end())
        }
        _ => output.to_owned(),
    }
}
