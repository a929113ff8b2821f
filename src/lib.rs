//! galley turns the plain text of OCR'd or PDF-extracted newspaper pages back into clean
//! articles, and records every change as a fix a person can review.
//!
//! The pipeline, one module per stage, each a function of the previous stage's output:
//!
//! 1. [`source`] decodes bytes and splits pages at form feeds;
//! 2. [`parse::lines`] reads each line's shape with nom (width, indent, ending, markup);
//! 3. [`repair::fixes`] undoubles bold headings and closes letter spacing inside lines;
//! 4. [`classify::blocks`] builds paragraphs from a column-width model, splits off bylines and
//!    finds heading groups and place tags, deciding line joins and hyphens on the way;
//! 5. [`stitch::articles`] assigns titles, places and bylines to bodies (Hungarian algorithm);
//! 6. [`render`] writes text, JSON, JSON Lines and diffs, all from the same list of [`fix::Fix`].
//!
//! Publication knowledge (byline patterns, gazetteers, punctuation) lives in `grammars/` and is
//! read by [`grammar::Grammar`].
//!
//! Front ends: the `galley` binary, and with the cargo feature `python` the Python package
//! (`src/python.rs`, built by maturin from `pyproject.toml`); both clean through [`batch`] (one
//! decoding, reconstruction and conservation check) and render with [`render`].
//!
//! ```
//! let grammar = galley::grammar::Grammar::default_grammar();
//! let doc = galley::clean("page.txt", "江北 老街区焕发新活力\n“社区把闲置的厂房改造成居民活动中\n心。”\n", &grammar, &galley::Options::default());
//! let article = &doc.pages[0].articles[0];
//! assert_eq!(article.title.as_ref().unwrap().text, "老街区焕发新活力");
//! assert_eq!(article.place_text().as_deref(), Some("江北"));
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod classify;
pub mod eval;
pub mod fit;
pub mod fix;
pub mod grammar;
pub mod grams;
pub mod model;
pub mod parse;
pub mod places;
// PyO3's macros (#[pyclass], #[pyfunction], #[pymodule]) expand to unsafe FFI glue; no unsafe
// is written by hand in the module.
#[cfg(feature = "python")]
#[allow(unsafe_code)]
mod python;
pub mod render;
pub mod repair;
pub mod source;
pub mod stitch;

use fix::{Applied, Fix};
use grammar::Grammar;
use source::Page;
use stitch::Article;

/// Which rules run: `--select` and `--ignore` take codes or code prefixes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these codes or prefixes (empty: all).
    pub select: Vec<String>,
    /// Never these codes or prefixes.
    pub ignore: Vec<String>,
    /// How inputs are read: galley text or raw pages (default: the marker line decides).
    pub input: source::Input,
    /// Words of the whole run (its input files and `--vocabulary` files): evidence for
    /// line-end hyphens beside the page's own words.
    pub vocabulary: Option<std::sync::Arc<repair::vocab::Vocab>>,
}

impl Options {
    /// Is the rule `code` (or, for a family prefix, any rule of it) enabled?
    pub fn enabled(&self, code: &str) -> bool {
        let code = code.to_ascii_uppercase();
        let hit = |p: &String| {
            let p = p.to_ascii_uppercase();
            code.starts_with(&p) || p.starts_with(&code)
        };
        let selected = self.select.is_empty() || self.select.iter().any(hit);
        let ignored = self
            .ignore
            .iter()
            .any(|p| code.starts_with(&p.to_ascii_uppercase()));
        selected && !ignored
    }
}

/// One reconstructed page.
#[derive(Debug)]
pub struct PageResult {
    /// The source page.
    pub page: Page,
    /// Articles in reading order.
    pub articles: Vec<Article>,
    /// Page furniture.
    pub furniture: Vec<classify::Block>,
    /// Every fix, in page order.
    pub fixes: Vec<Fix>,
    /// The page with every edit applied.
    pub applied: Applied,
    /// The page was galley's own output.
    pub galley: bool,
    /// The profile picked for the page and its score (`None` when a grammar was forced).
    pub profile: Option<(String, f64)>,
}

impl PageResult {
    /// Every block of the page.
    pub fn all_blocks(&self) -> impl Iterator<Item = &classify::Block> {
        self.articles
            .iter()
            .flat_map(Article::all_blocks)
            .chain(self.furniture.iter())
    }

    /// Fixes a reviewer should look at.
    pub fn review_count(&self) -> usize {
        self.fixes
            .iter()
            .filter(|f| f.safety == fix::Safety::Review)
            .count()
    }

    /// Text edits (fixes that change characters), not structural decisions.
    pub fn edits(&self) -> impl Iterator<Item = &Fix> {
        self.fixes.iter().filter(|f| f.replacement.is_some())
    }

    /// Conservation: every visible character of the page is in exactly one block's output or
    /// deleted by a recorded fix. Returns the first violation.
    pub fn conservation(&self) -> Result<(), String> {
        let text = &self.page.text;
        let mut owner = vec![0u8; text.len()];
        for b in self.all_blocks() {
            for p in &b.pieces {
                for o in &mut owner[p.clone()] {
                    *o += 1;
                }
            }
        }
        let mut deleted = vec![false; text.len()];
        // galley's own markup (`# `, `@place `, `---`) is format, not content.
        if self.galley {
            for n in 1..=self.page.line_count() {
                let span = self.page.line_span(n);
                let line = &text[span.clone()];
                let (ind, markup, content) = parse::split_line(line);
                if markup.is_some() {
                    // `%file NAME` is format as a whole; other markup is a prefix of content.
                    let end = if markup == Some(parse::Markup::File) {
                        span.end
                    } else {
                        span.start + line.len() - content.len()
                    };
                    for d in &mut deleted[span.start + ind.len()..end] {
                        *d = true;
                    }
                }
            }
        }
        for f in self.edits() {
            let keep: usize = f
                .replacement
                .as_deref()
                .map(parse::chars::visible)
                .unwrap_or(0);
            let before = &text[f.span.clone()];
            // An edit keeps `keep` visible characters of its span (undoubling keeps one copy).
            let mut seen = 0;
            for (i, c) in before.char_indices() {
                if !c.is_whitespace() {
                    seen += 1;
                    if seen > keep {
                        deleted[f.span.start + i] = true;
                    }
                }
            }
        }
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            match owner[i] {
                1 => {}
                0 if deleted[i] => {}
                0 => {
                    let (l, col) = self.page.position(i);
                    return Err(format!("page {}, line {l}, column {col}: `{c}` is in no block and no fix deleted it", self.page.number));
                }
                n => {
                    let (l, col) = self.page.position(i);
                    return Err(format!(
                        "page {}, line {l}, column {col}: `{c}` is in {n} blocks",
                        self.page.number
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A cleaned input: its pages.
#[derive(Debug)]
pub struct Document {
    /// The input's name (path or `-`).
    pub source: String,
    /// Its pages.
    pub pages: Vec<PageResult>,
}

/// The blocks of an article that galley text writes with markup (`# `, `## `, `@field `): all
/// but its paragraphs.
fn marked_blocks(a: &Article) -> impl Iterator<Item = &classify::Block> {
    a.all_blocks().filter(|b| {
        let in_body = a.blocks.iter().any(|x| std::ptr::eq(x, *b));
        !in_body
            || matches!(
                b.kind,
                classify::Kind::Heading | classify::Kind::Caption | classify::Kind::Noise
            )
    })
}

/// Reconstruct one page.
pub fn clean_page(page: Page, grammar: &Grammar, opts: &Options) -> PageResult {
    let shapes = parse::lines(&page, grammar);
    let repairs = repair::fixes(&page, &shapes, grammar, opts);
    let mut classified = classify::blocks(&page, &shapes, repairs, grammar, opts);
    let stitched = stitch::articles(&page, &classified, grammar, opts);
    let mut fixes = std::mem::take(&mut classified.fixes);
    fixes.extend(
        stitched
            .fixes
            .into_iter()
            .filter(|f| opts.enabled(f.rule.code)),
    );
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut articles = stitched.articles;
    let mut furniture = stitched.furniture;
    let mut applied = classified.applied;
    // What galley text marks (titles, headings, fields) is undoubled once more, as repaired, so
    // that the output is a fixed point.
    if opts.enabled(fix::DR001.code) {
        let marked = articles
            .iter()
            .flat_map(marked_blocks)
            .chain(furniture.iter())
            .map(|b| b.pieces.as_slice());
        if repair::doubled::settle(&page, marked, grammar, &mut fixes) {
            applied = Applied::new(&page.text, &fixes);
            for a in articles.iter_mut() {
                let fields = a.place.iter_mut().chain(a.kicker.iter_mut());
                let heads = a.title.iter_mut().chain(a.subtitle.iter_mut());
                let rest = a.blocks.iter_mut().chain(a.bylines.iter_mut());
                for b in fields.chain(heads).chain(rest).chain(a.jumps.iter_mut()) {
                    b.render(&applied);
                }
            }
            for b in furniture.iter_mut() {
                b.render(&applied);
            }
        }
    }
    PageResult {
        applied,
        page,
        articles,
        furniture,
        fixes,
        galley: classified.galley,
        profile: None,
    }
}

/// Reconstruct one page with the grammar the choice gives it (a forced one, or the best
/// profile for the page).
pub fn clean_page_with(page: Page, choice: &grammar::Choice, opts: &Options) -> PageResult {
    let (g, profile) = choice.for_page(&page.text);
    let mut r = clean_page(page, g, opts);
    r.profile = profile;
    r
}

/// Reconstruct every page of decoded text. Whether the text is galley's own output is decided
/// once, for the whole text, by `opts.input` (by default: its first line is [`source::MARKER`]).
pub fn clean(source_name: &str, text: &str, grammar: &Grammar, opts: &Options) -> Document {
    Document {
        source: source_name.to_owned(),
        pages: source::pages_as(text, opts.input)
            .into_iter()
            .map(|p| clean_page(p, grammar, opts))
            .collect(),
    }
}
