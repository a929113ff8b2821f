//! Stage 3 — lines into blocks: paragraphs, heading groups, bylines, place tags.
//!
//! Contract: [`blocks`] turns the repaired lines of a page into [`Block`]s in reading order
//! (page order, except that a block of two columns read as one is read column by column,
//! CO001). Every non-blank line lands in exactly one block (a line split by a glued byline lands
//! in two), so nothing is dropped: the last branch of the line classifier keeps a line as body
//! text.
//!
//! Paragraphs come from a per-block column-width model. The width `W` of a run of lines is the
//! width most of its lines share; a line is *full* when it reaches `W` (less a tolerance), and a
//! first line is expected one indent shorter. A paragraph ends after a line that ends a sentence
//! and is short (the next word would have fit), before an indented line, and at a blank line —
//! unless the line before the blank is full and does not end a sentence, which makes the blank a
//! column or box break inside the paragraph (fixture `fixtures/LB001/blank-inside`).

mod build;
mod columns;
mod continued;
mod headings;
mod lines;
pub mod model;
mod noise;
mod paragraphs;
mod readback;
mod roles;
mod stacks;
mod widths;

use crate::fix::{Applied, Fix};
use crate::grammar::Grammar;
use crate::parse::{self, chars, Shape};
use crate::repair;
use crate::source::Page;
use crate::Options;
use std::ops::Range;

pub use headings::is_capitals;
pub use model::Label;

use build::build;
use headings::rule_headings;
use lines::{repaired_lines, text_lines, Role};
use readback::galley_blocks;
use roles::{credit_tails, folio_lines, layout, model_bylines};

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An article title.
    Title,
    /// A kicker (引题) above the title.
    Kicker,
    /// A subtitle or deck.
    Subtitle,
    /// A place tag.
    Place,
    /// A section heading inside an article (or a heading group not yet placed).
    Heading,
    /// A paragraph of body text.
    Paragraph,
    /// A picture caption.
    Caption,
    /// A byline or photo credit.
    Byline,
    /// A jump line (continued on / from).
    Jump,
    /// Page furniture: running heads, page numbers.
    Furniture,
    /// OCR noise: no word of the page or of the lexicon, few or garbled letters. Kept where it
    /// stands, never a title or heading.
    Noise,
}

impl Kind {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Title => "title",
            Kind::Kicker => "kicker",
            Kind::Subtitle => "subtitle",
            Kind::Place => "place",
            Kind::Heading => "heading",
            Kind::Paragraph => "paragraph",
            Kind::Caption => "caption",
            Kind::Byline => "byline",
            Kind::Jump => "jump",
            Kind::Furniture => "furniture",
            Kind::Noise => "noise",
        }
    }
}

/// Evidence about a block that stitching weighs.
#[derive(Debug, Clone, Default)]
pub struct Cues {
    /// A doubled-run fix touched the block: it was set bold.
    pub undoubled: bool,
    /// Latin capitals: a headline, not a section heading.
    pub capitals: bool,
    /// Lines in a heading group.
    pub group: usize,
    /// The block came from galley markup.
    pub markup: bool,
    /// Galley markup: this block starts a new article (`---` before it).
    pub starts_article: bool,
    /// The first line continues a sentence (full width, not indented, lowercase…).
    pub starts_mid: bool,
    /// The last line does not end a sentence.
    pub ends_mid: bool,
    /// The page model's label of each line of a heading group (empty without a model).
    pub labels: Vec<Label>,
}

/// A block: pieces of source lines joined by separators.
#[derive(Debug, Clone)]
pub struct Block {
    /// Kind.
    pub kind: Kind,
    /// Byte spans of the page, in reading order.
    pub pieces: Vec<Range<usize>>,
    /// Separators between pieces (`pieces.len() - 1` of them).
    pub seps: Vec<&'static str>,
    /// Cues for stitching.
    pub cues: Cues,
    /// The block's text with every fix applied (filled by [`Classified::render`]).
    pub text: String,
}

impl Block {
    fn new(kind: Kind, piece: Range<usize>) -> Block {
        Block {
            kind,
            pieces: vec![piece],
            seps: Vec::new(),
            cues: Cues::default(),
            text: String::new(),
        }
    }

    /// Put the pieces of `other` after this block's, `sep` between the two; `other`'s cues
    /// are returned for the caller to merge as it needs.
    fn append(&mut self, sep: &'static str, other: Block) -> Cues {
        self.seps.push(sep);
        self.pieces.extend(other.pieces);
        self.seps.extend(other.seps);
        other.cues
    }

    /// The pieces of the group's title, from its first title line to its last where the page
    /// model labelled the group (a kicker or a deck beside it is left out), else every piece.
    pub fn title_pieces(&self) -> &[Range<usize>] {
        let labels = &self.cues.labels;
        if labels.len() == self.pieces.len() {
            let first = labels.iter().position(|l| l.title());
            let last = labels.iter().rposition(|l| l.title());
            if let (Some(a), Some(b)) = (first, last) {
                return &self.pieces[a..=b];
            }
        }
        &self.pieces
    }

    /// Did the page model label every line of the group a section heading?
    pub fn section_only(&self) -> bool {
        !self.cues.labels.is_empty() && self.cues.labels.iter().all(|l| *l == Label::Heading)
    }

    /// First and last source line (1-based).
    pub fn lines(&self, page: &Page) -> (usize, usize) {
        if self.pieces.is_empty() {
            return (0, 0);
        }
        let span = self.hull();
        (
            page.line_of(span.start),
            page.line_of(span.end.saturating_sub(1).max(span.start)),
        )
    }

    /// The page span from the block's first byte to its last. Pieces are in reading order,
    /// which is page order except where two columns were read one after the other (CO001).
    pub fn hull(&self) -> Range<usize> {
        let start = self.pieces.iter().map(|p| p.start).min().unwrap_or(0);
        let end = self.pieces.iter().map(|p| p.end).max().unwrap_or(start);
        start..end
    }

    /// The block's raw text: its pieces as the page has them, in reading order, a line feed
    /// between two pieces.
    pub fn raw<'p>(&self, page: &'p Page) -> String {
        let parts: Vec<&'p str> = self.pieces.iter().map(|p| &page.text[p.clone()]).collect();
        parts.join("\n")
    }

    /// Render the text through the applied fixes.
    pub fn render(&mut self, applied: &Applied) {
        let mut t = String::new();
        for (i, p) in self.pieces.iter().enumerate() {
            if i > 0 {
                t.push_str(self.seps.get(i - 1).copied().unwrap_or(""));
            }
            t.push_str(applied.slice(p.clone()).trim_matches(chars::is_space));
        }
        self.text = t;
    }
}

/// The classified page.
#[derive(Debug)]
pub struct Classified {
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
    /// Repair fixes and classification fixes.
    pub fixes: Vec<Fix>,
    /// The page was galley text output (markup read back).
    pub galley: bool,
    /// The page is mostly CJK.
    pub cjk: bool,
    /// The page model decided the line roles (false: a snippet too short for it, or no model,
    /// so the hand rules did).
    pub modelled: bool,
    /// The page with every fix so far applied.
    pub applied: Applied,
}

/// Classify the lines of a page into blocks.
pub fn blocks(
    page: &Page,
    shapes: &[Shape],
    repairs: Vec<Fix>,
    grammar: &Grammar,
    opts: &Options,
) -> Classified {
    let cjk = parse::is_cjk_page(&page.text);
    let applied = Applied::new(&page.text, &repairs);
    let lines = repaired_lines(page, shapes, &repairs, &applied, grammar, cjk);
    let unwoven = columns::unweave(page, &applied, &repairs, lines, grammar, opts, cjk);
    // Whether the page is galley text was decided once for the whole input (source::pages).
    let galley = page.galley;
    let mut fixes = unwoven.keep_repairs(repairs);
    fixes.extend(unwoven.fixes);
    let mut lines = unwoven.lines;
    let mut modelled = false;
    let blocks = if galley {
        galley_blocks(&lines)
    } else {
        layout(&mut lines, grammar, opts, cjk);
        let rule_heading = rule_headings(&lines, grammar, cjk);
        // The page model decides pages; a snippet of a few lines has no layout to learn from
        // (the dev pages have 100 text lines and more) and keeps the hand rules.
        let min_lines = grammar.setting("model_min_lines", 20.0) as usize;
        let text_count = lines.iter().filter(|l| l.role != Role::Blank).count();
        let model = model::for_page(grammar, cjk).filter(|_| text_count >= min_lines);
        let folio = if cjk {
            Vec::new()
        } else {
            folio_lines(&lines, grammar)
        };
        let mut labels = model.map(|m| {
            let idx = text_lines(&lines);
            let feats = model::features(&lines, &idx, &rule_heading, grammar, cjk);
            let mut allowed = model::allowed(&lines, &idx, grammar);
            let columns = grammar.list("column");
            for (a, k) in allowed.iter_mut().zip(&idx) {
                if folio.binary_search(k).is_ok() {
                    *a &= 1 << Label::Other.index();
                }
                // A standing column's name alone on its line is the kicker over a title.
                if columns.is_some_and(|c| c.contains(lines[*k].text.trim())) {
                    *a &= 1 << Label::Kicker.index();
                }
            }
            let mut labels = vec![None; lines.len()];
            for (k, y) in idx.into_iter().zip(model::decide(&m, &feats, &allowed)) {
                labels[k] = Some(y);
            }
            labels
        });
        if let (Some(ls), false) = (labels.as_mut(), cjk) {
            stacks::relabel(&lines, ls, grammar);
            stacks::section_heads(&lines, ls, grammar);
        }
        if let Some(ls) = &labels {
            model_bylines(&mut lines, ls);
            modelled = true;
        }
        if let (Some(ls), true) = (labels.as_mut(), cjk) {
            roles::title_tails(&mut lines, ls, grammar);
        }
        let tails = credit_tails(&mut lines, grammar);
        let words = repair::hyphen::Words::new(
            lines
                .iter()
                .filter(|l| l.role == Role::Text)
                .map(|l| l.text.as_str()),
            opts.vocabulary.as_deref(),
            grammar,
        );
        for &k in &folio {
            lines[k].role = Role::Furniture;
        }
        let display = noise::display_lines(&lines, labels.as_deref(), &rule_heading);
        if !cjk {
            noise::mark(&mut lines, &display, &words);
        }
        // A stray fragment standing alone (`the`, `had`: a word of a column line) heads no
        // group: the model's label for it is dropped, and the hand rules place it in the body.
        let one_word = grammar.setting("one_word_fragments", 0.0) >= 0.5;
        let fragments: Vec<usize> = (0..lines.len())
            .filter(|&k| {
                !cjk && display[k]
                    && lines[k].role == Role::Text
                    && noise::stray_fragment(&lines, &display, k, one_word)
            })
            .collect();
        if let Some(ls) = labels.as_mut() {
            for &k in &fragments {
                ls[k] = None;
            }
        }
        // Display lines that are still text (not bylines, furniture or noise) head groups;
        // without a model, neither do the credit tails the hand rules took for headings.
        let heading: Vec<bool> = display
            .iter()
            .enumerate()
            .map(|(k, &d)| {
                d && lines[k].role == Role::Text
                    && (labels.is_some() || !tails.contains(&k))
                    && !fragments.contains(&k)
            })
            .collect();
        build(
            page,
            &lines,
            &heading,
            labels.as_deref(),
            words,
            opts,
            cjk,
            &mut fixes,
        )
    };
    let mut c = Classified {
        blocks,
        fixes,
        galley,
        cjk,
        modelled,
        applied: Applied::new("", &[]),
    };
    c.render(page);
    c
}

/// The lines the page model labels: their repaired text, source line number, features and the
/// labels they may take.
#[derive(Debug)]
pub struct ModelLines {
    /// Repaired text of each line.
    pub texts: Vec<String>,
    /// 1-based line number of each in the page.
    pub line_numbers: Vec<usize>,
    /// Features of each line.
    pub feats: Vec<Vec<crate::model::Feat>>,
    /// Allowed labels of each line (bit masks).
    pub allowed: Vec<u32>,
}

/// The repaired lines of a raw page with their features for the page model, and the text of
/// each (for aligning gold pages in `galley fit`). `None` for galley's own text.
pub fn model_lines(
    page: &Page,
    shapes: &[Shape],
    repairs: &[Fix],
    grammar: &Grammar,
    opts: &Options,
) -> Option<ModelLines> {
    let cjk = parse::is_cjk_page(&page.text);
    let applied = Applied::new(&page.text, repairs);
    let lines = repaired_lines(page, shapes, repairs, &applied, grammar, cjk);
    if page.galley {
        return None;
    }
    let mut lines = columns::unweave(page, &applied, repairs, lines, grammar, opts, cjk).lines;
    layout(&mut lines, grammar, opts, cjk);
    let rule_heading = rule_headings(&lines, grammar, cjk);
    let idx = text_lines(&lines);
    let feats = model::features(&lines, &idx, &rule_heading, grammar, cjk);
    let allowed = model::allowed(&lines, &idx, grammar);
    Some(ModelLines {
        texts: idx.iter().map(|&k| lines[k].text.clone()).collect(),
        line_numbers: idx.iter().map(|&k| lines[k].shape.no).collect(),
        feats,
        allowed,
    })
}

impl Classified {
    /// Apply every fix and render each block's text.
    pub fn render(&mut self, page: &Page) {
        self.applied = Applied::new(&page.text, &self.fixes);
        for b in &mut self.blocks {
            b.render(&self.applied);
        }
    }
}
