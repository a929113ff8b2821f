//! The galley command line: a thin shell over the library.

mod args;
mod report;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use args::{CleanArgs, Cli, Cmd, Format, GrammarCmd};
use galley::batch::{self, Outcome};
use galley::grammar::{Choice, Grammar, Profiles};
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
                writeln!(
                    out,
                    "{}  {:<22} {:<8} {}",
                    r.code,
                    r.name,
                    r.safety.as_str(),
                    r.what
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Explain { code } => {
            let r = fix::rule(&code)
                .with_context(|| format!("no rule `{code}` (see `galley rules`)"))?;
            writeln!(out, "{} ({}) — {}\n", r.code, r.name, r.safety.as_str())?;
            writeln!(
                out,
                "What it fixes\n  {}\n\nWhy\n  {}\n\nExample\n  {}\n\nWhen it can be wrong\n  {}",
                r.what, r.why, r.example, r.wrong
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval {
            gold,
            page,
            grammar,
            json,
        } => {
            let g = load_grammar(grammar.as_deref())?;
            let gold_text = std::fs::read_to_string(&gold)
                .with_context(|| format!("could not read `{}`", gold.display()))?;
            let gold: galley::eval::Gold = serde_json::from_str(&gold_text)
                .with_context(|| format!("could not parse `{}`", gold.display()))?;
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

fn clean(a: CleanArgs, out: &mut impl Write) -> Result<ExitCode> {
    let g = load_grammar(a.grammar.as_deref())?;
    let format = if a.diff {
        batch::Format::Diff
    } else {
        match a.format {
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
                args::Input::Auto => source::Input::Auto,
                args::Input::Galley => source::Input::Galley,
                args::Input::Raw => source::Input::Raw,
            },
        },
        max_line: a.max_line,
        keep_documents: a.review.is_some(),
    };
    let paths = if a.paths.is_empty() && a.files_from.is_none() {
        vec![PathBuf::from("-")]
    } else {
        a.paths.clone()
    };
    let (mut jobs, walk_errors) = batch::expand(&paths, &a.glob, a.files_from.as_deref())?;
    if a.skip_existing {
        if let Some(dir) = &a.out_dir {
            jobs.retain(|j| !batch::output_path(dir, j, format).exists());
        }
    }
    let threads = a.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("could not start the worker threads")?;
    let mut report = Report::new(jobs.len(), a.quiet);
    for e in &walk_errors {
        report.failed(e);
    }
    let mut documents = Vec::new();
    let mut write_error: Option<io::Error> = None;
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
                            let _ = writeln!(io::stderr(), "{}: fixes would apply", job.name());
                        }
                    }
                    documents.extend(document);
                    if a.check || write_error.is_some() {
                        return;
                    }
                    let res = match &a.out_dir {
                        Some(dir) => batch::write_atomic(
                            &batch::output_path(dir, job, format),
                            output.as_bytes(),
                        ),
                        None => out.write_all(output.as_bytes()),
                    };
                    if let Err(e) = res {
                        if e.kind() == io::ErrorKind::BrokenPipe || a.out_dir.is_none() {
                            write_error = Some(e);
                        } else {
                            report.failed(&format!(
                                "could not write the output of `{}`: {e}",
                                job.name()
                            ));
                        }
                    }
                }
            },
        );
    }
    if let Some(e) = write_error {
        report.finish();
        return Err(e.into());
    }
    if format == batch::Format::Jsonl && !a.check && a.out_dir.is_none() {
        let s = &report.stats;
        writeln!(
            out,
            "{}",
            serde_json::json!({"type": "summary", "files": report.files, "pages": s.pages, "articles": s.articles,
                "fixes": s.fixes(), "fixes_by_code": s.by_code, "failed": report.failed})
        )?;
    }
    out.flush()?;
    if let Some(path) = &a.review {
        std::fs::write(path, render::html::page(&documents))
            .with_context(|| format!("could not write `{}`", path.display()))?;
    }
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
