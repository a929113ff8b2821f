//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "galley",
    version,
    about = "Reconstruct clean articles from OCR'd or PDF-extracted newspaper pages, with every fix reviewable"
)]
pub struct Cli {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    /// galley text: readable articles that read back as themselves.
    Text,
    /// One JSON object per input.
    Json,
    /// One JSON object per page, then a summary line.
    Jsonl,
    /// The reviewer's view: every fix, grouped by article, uncertain ones first.
    Review,
}

/// How inputs are read.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Input {
    /// galley text when the first line is `%galley-text 1`, a raw page otherwise.
    Auto,
    /// galley text (markup is read) even without the marker line.
    Galley,
    /// A raw page: no line is read as markup, nothing is unescaped.
    Raw,
    /// JSON lines `{"id": …, "text": …}` on stdin, each text read as `auto` on its own; with
    /// `--format jsonl` (the default then), its pages are written tagged with its id, in input
    /// order, and a line that cannot be read or cleaned gets an error line.
    Jsonl,
}

#[derive(clap::Args, Debug)]
pub struct CleanArgs {
    /// Input files and directories; `-` or nothing reads stdin.
    pub paths: Vec<PathBuf>,
    /// Output format [default: text].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Read inputs as galley text or raw pages (auto: the `%galley-text 1` first line decides,
    /// once for the whole input), or stdin as JSON lines of pages (jsonl).
    #[arg(long, value_enum, default_value = "auto")]
    pub input: Input,
    /// Print a unified diff from the raw page to the text output instead.
    #[arg(long)]
    pub diff: bool,
    /// Exit 1 when any fix would apply; write no output.
    #[arg(long)]
    pub check: bool,
    /// Write one output per input under DIR, mirroring the input paths relative to the common
    /// base directory of the inputs; an output that would replace an input, or two inputs with
    /// one output, is an error before anything is written.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// With --out-dir: skip inputs whose output already exists (resume a run).
    #[arg(long, requires = "out_dir")]
    pub skip_existing: bool,
    /// Replace each input file with its text output, keeping the original as FILE.orig.
    #[arg(long, conflicts_with_all = ["out_dir", "diff", "check"])]
    pub in_place: bool,
    /// With --in-place: replace an existing FILE.orig backup.
    #[arg(long, requires = "in_place")]
    pub force: bool,
    /// Which files of a directory to read.
    #[arg(long, default_value = "*.txt")]
    pub glob: String,
    /// Read input paths from LIST, one a line (`-` for stdin).
    #[arg(long, value_name = "LIST")]
    pub files_from: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
    /// Force a grammar (a built-in name or a file) instead of picking a profile per page.
    #[arg(long)]
    pub grammar: Option<String>,
    /// Only these rule codes or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never these rule codes or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Write a self-contained HTML review page to this path.
    #[arg(long, value_name = "HTML")]
    pub review: Option<PathBuf>,
    /// Print fix counts per code and per safety class on stderr.
    #[arg(long)]
    pub stats: bool,
    /// Words (one a line, `#` comments) that count as written, beside each page's own words and
    /// the words of the run's other inputs, when deciding line-end hyphens (`co-operation` keeps
    /// its hyphen, `Samuel` joins `Sam-`/`uel`).
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Vec<PathBuf>,
    /// Longest line accepted, in bytes (at least 1).
    #[arg(long, default_value_t = 1 << 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_line: u64,
    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Subcommand)]
pub enum Cmd {
    /// Reconstruct the articles of pages.
    Clean(CleanArgs),
    /// Score a reconstruction against a gold page, or every page of a directory with gold files
    /// beside it (NAME.EXTRACTOR.txt and NAME.gold.json): rows per page and MEAN rows per
    /// language and extractor.
    Eval {
        /// The gold JSON (for one page).
        #[arg(long)]
        gold: Option<PathBuf>,
        /// The page, or a directory of pages with gold files.
        page: PathBuf,
        /// With a directory: print only the MEAN rows.
        #[arg(long)]
        means: bool,
        /// Grammar: a built-in name or a file.
        #[arg(long)]
        grammar: Option<String>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fit the page model from pages with gold files (NAME.EXTRACTOR.txt or NAME.txt beside
    /// NAME.gold.json, or beside NAME.lines.tsv line labels), print cross-validated scores per
    /// language and extractor, and write the weights.
    Fit {
        /// Directories of pages with gold files.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Directory to write the fitted weights to (model-zh.weights, model-en.weights,
        /// assembly-zh.weights, assembly-en.weights; default: write nothing).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Cross-validation folds (0: skip cross-validation).
        #[arg(long, default_value_t = 4)]
        folds: usize,
        /// Print only the MEAN rows.
        #[arg(long)]
        means: bool,
        /// Also print the cross-validated confusion of line labels.
        #[arg(long)]
        confusion: bool,
    },
    /// Explain a rule code.
    Explain {
        /// The code, e.g. DR001.
        code: String,
    },
    /// List the rule codes.
    Rules,
    /// Check, show and list grammars.
    Grammar {
        #[command(subcommand)]
        cmd: GrammarCmd,
    },
}

#[derive(Subcommand)]
pub enum GrammarCmd {
    /// Validate a grammar file: `path:line:column: what was expected`, exit 2.
    Check {
        /// The grammar file.
        path: PathBuf,
    },
    /// Print a grammar (built-in name or file) in canonical form.
    Show {
        /// A built-in name or a path.
        name: String,
    },
    /// List the built-in grammars and which are profiles.
    List,
}
