//! The galley command line: a thin shell over the library.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use galley::grammar::Grammar;
use galley::{fix, render, source, Options};

#[derive(Parser)]
#[command(
    name = "galley",
    version,
    about = "Reconstruct clean articles from OCR'd or PDF-extracted newspaper pages"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Jsonl,
    Review,
}

#[derive(Subcommand)]
enum Cmd {
    /// Reconstruct the articles of pages (files, or `-`/nothing for stdin).
    Clean {
        /// Input files; `-` or none reads stdin.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Grammar: a built-in name or a file.
        #[arg(long)]
        grammar: Option<String>,
        /// Only these rule codes or prefixes (comma-separated).
        #[arg(long, value_delimiter = ',')]
        select: Vec<String>,
        /// Never these rule codes or prefixes (comma-separated).
        #[arg(long, value_delimiter = ',')]
        ignore: Vec<String>,
        /// Print a unified diff from the raw page to the text output instead.
        #[arg(long)]
        diff: bool,
        /// Exit 1 when any fix would apply; print nothing else.
        #[arg(long)]
        check: bool,
        /// Write a self-contained HTML review page to this path.
        #[arg(long, value_name = "HTML")]
        review: Option<PathBuf>,
        /// Print fix counts per code and per safety class on stderr.
        #[arg(long)]
        stats: bool,
        /// Longest line accepted, in bytes.
        #[arg(long, default_value_t = 1 << 20)]
        max_line: usize,
        /// No summary on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Score a reconstruction against a gold page.
    Eval {
        /// The gold JSON.
        #[arg(long)]
        gold: PathBuf,
        /// The page.
        page: PathBuf,
        /// Grammar: a built-in name or a file.
        #[arg(long)]
        grammar: Option<String>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Explain a rule code.
    Explain {
        /// The code, e.g. DR001.
        code: String,
    },
    /// List the rule codes.
    Rules,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<io::Error>() {
                if io.kind() == io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            let _ = writeln!(io::stderr(), "galley: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn load_grammar(name: Option<&str>) -> Result<Grammar> {
    match name {
        None => Ok(Grammar::default_grammar()),
        Some(n) => Grammar::resolve(n).map_err(|e| anyhow::anyhow!("{e}")),
    }
}

fn read_input(path: &Path, max_line: usize) -> Result<(String, String)> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        io::stdin()
            .read_to_end(&mut b)
            .context("could not read stdin")?;
        ("-".to_owned(), b)
    } else {
        let b =
            std::fs::read(path).with_context(|| format!("could not read `{}`", path.display()))?;
        (path.display().to_string(), b)
    };
    let text = source::decode(&bytes, max_line)
        .map_err(|e| anyhow::anyhow!("could not read `{name}`: {e}"))?;
    Ok((name, text))
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
            let (name, text) = read_input(&page, 0)?;
            let doc = galley::clean(&name, &text, &g, &Options::default());
            let first = doc.pages.first().context("the page is empty")?;
            let s = galley::eval::score(&gold, first);
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
            } else {
                write!(out, "{}", s.report())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Clean {
            paths,
            format,
            grammar,
            select,
            ignore,
            diff,
            check,
            review,
            stats,
            max_line,
            quiet,
        } => {
            let g = load_grammar(grammar.as_deref())?;
            let opts = Options { select, ignore };
            let paths = if paths.is_empty() {
                vec![PathBuf::from("-")]
            } else {
                paths
            };
            let mut failed = 0;
            let mut pending = false;
            let mut counts = render::Stats::default();
            let mut reviewed = Vec::new();
            for p in &paths {
                let (name, text) = match read_input(p, max_line) {
                    Ok(x) => x,
                    Err(e) => {
                        writeln!(io::stderr(), "galley: {e:#}")?;
                        failed += 1;
                        continue;
                    }
                };
                let doc = galley::clean(&name, &text, &g, &opts);
                for pg in &doc.pages {
                    if let Err(e) = pg.conservation() {
                        writeln!(
                            io::stderr(),
                            "galley: `{name}`: conservation check failed: {e}"
                        )?;
                        failed += 1;
                    }
                }
                counts.add(&doc);
                let rendered = render::text::document(&doc);
                let rendered_nl = if rendered.is_empty() {
                    rendered.clone()
                } else {
                    format!("{rendered}\n")
                };
                if check {
                    if rendered_nl != text && !(text.is_empty() && rendered.is_empty()) {
                        pending = true;
                        if !quiet {
                            writeln!(io::stderr(), "{name}: fixes would apply")?;
                        }
                    }
                    continue;
                }
                if diff {
                    write!(out, "{}", render::diff::unified(&name, &text, &rendered_nl))?;
                    continue;
                }
                match format {
                    Format::Text => write!(out, "{rendered_nl}")?,
                    Format::Review => write!(out, "{}", render::review::document(&doc))?,
                    Format::Json => writeln!(out, "{}", render::json::document(&doc))?,
                    Format::Jsonl => write!(out, "{}", render::json::lines_of(&doc))?,
                }
                if review.is_some() {
                    reviewed.push(doc);
                }
            }
            if let Some(path) = &review {
                std::fs::write(path, render::html::page(&reviewed))
                    .with_context(|| format!("could not write `{}`", path.display()))?;
            }
            let (pages, articles, fixes) = (counts.pages, counts.articles, counts.fixes());
            if format == Format::Jsonl && !check && !diff {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"type": "summary", "files": paths.len(), "pages": pages, "articles": articles, "fixes": fixes, "failed": failed})
                )?;
            }
            out.flush()?;
            if stats {
                write!(io::stderr(), "{}", counts.report())?;
            }
            if !quiet {
                let fam: Vec<String> = counts
                    .by_family()
                    .iter()
                    .map(|(f, n)| format!("{f} {n}"))
                    .collect();
                writeln!(
                    io::stderr(),
                    "galley: {} file(s), {pages} page(s), {articles} article(s), {fixes} fix(es) ({}); {failed} failed",
                    paths.len(),
                    fam.join(", ")
                )?;
            }
            Ok(if failed > 0 {
                ExitCode::from(2)
            } else if check && pending {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
