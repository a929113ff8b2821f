//! Stage 3 — lines into blocks: paragraphs, heading groups, bylines, place tags.
//!
//! Contract: [`blocks`] turns the repaired lines of a page into [`Block`]s in page order. Every
//! non-blank line lands in exactly one block (a line split by a glued byline lands in two), so
//! nothing is dropped: the last branch of the line classifier keeps a line as body text.
//!
//! Paragraphs come from a per-block column-width model. The width `W` of a run of lines is the
//! width most of its lines share; a line is *full* when it reaches `W` (less a tolerance), and a
//! first line is expected one indent shorter. A paragraph ends after a line that ends a sentence
//! and is short (the next word would have fit), before an indented line, and at a blank line —
//! unless the line before the blank is full and does not end a sentence, which makes the blank a
//! column or box break inside the paragraph (fixture `fixtures/paragraphs/blank-inside`).

pub mod model;

use std::ops::Range;

use crate::fix::{Applied, Fix, BY001, LB001, PB001, ST005};
use crate::grammar::{Grammar, PatternKind};
use crate::parse::{self, chars, End, Markup, Shape};
use crate::repair::{self, join};
use crate::source::Page;
use crate::Options;
pub use model::Label;

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
    /// Byte spans of the page, in order.
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

    /// First and last source line (1-based).
    pub fn lines(&self, page: &Page) -> (usize, usize) {
        let a = self
            .pieces
            .first()
            .map(|p| page.line_of(p.start))
            .unwrap_or(0);
        let b = self
            .pieces
            .last()
            .map(|p| page.line_of(p.end.saturating_sub(1).max(p.start)))
            .unwrap_or(0);
        (a, b)
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
    /// Blocks in page order.
    pub blocks: Vec<Block>,
    /// Repair fixes and classification fixes.
    pub fixes: Vec<Fix>,
    /// The page was galley text output (markup read back).
    pub galley: bool,
    /// The page is mostly CJK.
    pub cjk: bool,
    /// The page with every fix so far applied.
    pub applied: Applied,
}

/// The role of a line before paragraphs are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Blank,
    Text,
    Byline,
    Place,
    Jump,
    Furniture,
}

/// Per-line view after repairs.
struct Line {
    shape: Shape,
    text: String,
    role: Role,
    /// Char index where a glued byline starts, and whether it continues on the next line.
    glued: Option<(usize, bool)>,
    headlike: bool,
    undoubled: bool,
    /// Column width of the line's neighbourhood.
    w: usize,
    /// Width of the line as extracted, before repairs (justification spaces included).
    raw_width: usize,
    /// The line is names alone (an `author` pattern): a byline if it stands under a title.
    author: bool,
    /// Cells a Latin line may stop short of its column and still be full (proportional type).
    slack: usize,
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
    let mut lines = repaired_lines(page, shapes, &repairs, &applied, grammar, cjk);
    // Whether the page is galley text was decided once for the whole input (source::pages).
    let galley = page.galley;
    let mut fixes = repairs;
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
        let labels = model.map(|m| {
            let idx = text_lines(&lines);
            let feats = model::features(&lines, &idx, &rule_heading, grammar, cjk);
            let allowed = model::allowed(&lines, &idx, grammar);
            let mut labels = vec![None; lines.len()];
            for (k, y) in idx.into_iter().zip(model::decide(&m, &feats, &allowed)) {
                labels[k] = Some(y);
            }
            labels
        });
        let heading: Vec<bool> = match &labels {
            Some(ls) => lines
                .iter()
                .zip(ls)
                .map(|(l, y)| l.role == Role::Text && y.is_some_and(Label::display))
                .collect(),
            None => rule_heading,
        };
        if let Some(ls) = &labels {
            model_bylines(&mut lines, ls);
        }
        build(
            page,
            &lines,
            &heading,
            labels.as_deref(),
            grammar,
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
        applied: Applied::new("", &[]),
    };
    c.render(page);
    c
}

/// Each line of the page after repairs, with its shape measured again where a repair changed it.
fn repaired_lines(
    page: &Page,
    shapes: &[Shape],
    repairs: &[Fix],
    applied: &Applied,
    grammar: &Grammar,
    cjk: bool,
) -> Vec<Line> {
    let undoubled_lines: Vec<usize> = repairs
        .iter()
        .filter(|f| f.rule.code.starts_with("DR"))
        .map(|f| page.line_of(f.span.start))
        .collect();
    let mut lines: Vec<Line> = shapes
        .iter()
        .map(|s| {
            let text = applied
                .slice(s.span.clone())
                .trim_matches(chars::is_space)
                .to_owned();
            // A line no repair touched keeps the shape parse measured.
            let untouched = s.markup.is_none()
                && text.len() == s.span.len()
                && text == page.text[s.span.clone()];
            let mut shape = if untouched {
                s.clone()
            } else {
                parse::shape_plain(s.no, s.span.start, &text, grammar, cjk)
            };
            shape.span = s.span.clone();
            shape.indent = s.indent;
            shape.markup = s.markup.clone();
            if text.is_empty() && s.markup.is_none() {
                shape.end = End::None;
            }
            Line {
                role: if shape.blank() {
                    Role::Blank
                } else {
                    Role::Text
                },
                shape,
                text,
                glued: None,
                headlike: false,
                undoubled: undoubled_lines.contains(&s.no),
                w: 0,
                raw_width: s.width,
                author: false,
                slack: 0,
            }
        })
        .collect();
    // A line a repair emptied (a heading line drawn twice) is gone, not a blank line: the
    // lines around it stay together (fixture `fixtures/doubled/repeated-title-lines`).
    let emptied =
        |k: usize, l: &Line| l.text.is_empty() && !shapes[k].blank() && shapes[k].markup.is_none();
    for k in 1..lines.len() {
        if emptied(k, &lines[k]) && lines[k].undoubled && !emptied(k - 1, &lines[k - 1]) {
            lines[k - 1].undoubled = true; // the copy that stays was drawn twice too
        }
    }
    let mut k = 0;
    lines.retain(|l| {
        let gone = emptied(k, l);
        k += 1;
        !gone
    });
    lines
}

/// Column widths, slack, rule roles and heading cues of the lines of a raw page.
fn layout(lines: &mut [Line], grammar: &Grammar, opts: &Options, cjk: bool) {
    column_widths(lines, cjk);
    if !cjk {
        latin_slack(lines);
    }
    roles(lines, grammar, opts);
    // Where paragraphs are indented, a line with the paragraph indent starts a paragraph.
    let para_indent = paragraph_indent(lines);
    for l in lines.iter_mut() {
        let para_start = para_indent.is_some_and(|pi| l.shape.indent.abs_diff(pi) <= 1);
        l.headlike = l.role == Role::Text && !para_start && headlike(l, grammar);
    }
    authors_under_titles(lines);
}

/// Indexes of the non-blank lines: the sequence the page model labels.
fn text_lines(lines: &[Line]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&k| lines[k].role != Role::Blank)
        .collect()
}

/// Short text lines the model calls bylines become bylines (the grammar's patterns are one of
/// its features; names alone and credits in forms the grammar lacks are found this way). A byline
/// belongs to body text: on a page with no body line the label is not taken.
fn model_bylines(lines: &mut [Line], labels: &[Option<Label>]) {
    let body = labels
        .iter()
        .filter(|y| matches!(y, Some(Label::Start | Label::Body)))
        .count();
    if body == 0 {
        return;
    }
    for (l, y) in lines.iter_mut().zip(labels) {
        if *y == Some(Label::Byline)
            && l.role == Role::Text
            && l.glued.is_none()
            && l.shape.chars <= 40
        {
            l.role = Role::Byline;
        }
    }
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
    let mut lines = repaired_lines(page, shapes, repairs, &applied, grammar, cjk);
    if page.galley {
        return None;
    }
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

/// galley's own text output: markup says what each line is.
fn galley_blocks(lines: &[Line]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut new_article = true;
    for l in lines {
        if l.role == Role::Blank {
            continue;
        }
        let prefix = match &l.shape.markup {
            Some(Markup::Escape) => 1,
            Some(Markup::Title) => 2,
            Some(Markup::Heading) => 3,
            Some(Markup::Field(n)) => n.len() + 2,
            // The marker and `%file` lines are format; a new input starts a new article.
            Some(Markup::Separator | Markup::Marker | Markup::File) => {
                new_article = true;
                continue;
            }
            None => 0,
        };
        let kind = match &l.shape.markup {
            Some(Markup::Title) => Kind::Title,
            Some(Markup::Heading) => Kind::Heading,
            Some(Markup::Field(n)) => match n.as_str() {
                "place" => Kind::Place,
                "kicker" => Kind::Kicker,
                "subtitle" => Kind::Subtitle,
                "byline" => Kind::Byline,
                "caption" => Kind::Caption,
                "jump" => Kind::Jump,
                "furniture" => Kind::Furniture,
                _ => Kind::Paragraph,
            },
            _ => Kind::Paragraph,
        };
        let span = l.shape.span.clone();
        let start = (span.start + prefix).min(span.end);
        // A field name galley does not know keeps its prefix as text: nothing is dropped.
        let start =
            if kind == Kind::Paragraph && !matches!(l.shape.markup, None | Some(Markup::Escape)) {
                span.start
            } else {
                start
            };
        if start >= span.end {
            continue; // markup with nothing after it
        }
        let mut b = Block::new(kind, start..span.end);
        b.cues.markup = true;
        b.cues.starts_article = std::mem::take(&mut new_article);
        out.push(b);
    }
    out
}

/// Column width per line: the modal width of the raw block around it (blocks of four lines and
/// more), else of the nearest such block, else of the page. For ragged Latin text the width is a
/// high percentile instead, since full lines vary by a word.
fn column_widths(lines: &mut [Line], cjk: bool) {
    let widths_of = |ls: &[Line]| -> usize {
        // Lines ending in punctuation may hang it past the column edge (kinsoku); lines ending in
        // a letter or character measure the column exactly, so they decide when there are enough.
        let text: Vec<&Line> = ls.iter().filter(|l| l.role != Role::Blank).collect();
        let exact: Vec<usize> = text
            .iter()
            .filter(|l| l.shape.end == End::Word)
            .map(|l| l.shape.width)
            .collect();
        let ws: Vec<usize> = if exact.len() >= 3 {
            exact
        } else {
            text.iter().map(|l| l.shape.width).collect()
        };
        if cjk {
            repair::modal_width(ws.into_iter())
        } else {
            let mut ws = ws;
            ws.sort_unstable();
            ws.get((ws.len() * LATIN_WIDTH_PERCENTILE / 100).min(ws.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        }
    };
    let page_w = widths_of(lines);
    // Raw blocks with their own width when they have enough lines.
    let spans: Vec<(usize, usize, usize)> = raw_blocks(lines)
        .into_iter()
        .map(|(s, e)| {
            (
                s,
                e,
                if e - s >= 4 {
                    widths_of(&lines[s..e])
                } else {
                    0
                },
            )
        })
        .collect();
    for k in 0..spans.len() {
        let (s, e, w) = spans[k];
        let w = if w > 0 {
            w
        } else {
            // Nearest block with its own width.
            let mut best: Option<(usize, usize)> = None;
            for &(s2, e2, w2) in &spans {
                if w2 == 0 {
                    continue;
                }
                let d = if s2 >= e {
                    s2 - e
                } else {
                    s.saturating_sub(e2)
                };
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, w2));
                }
            }
            best.map(|b| b.1).unwrap_or(page_w)
        };
        // A block within 15% of the page's width is set in the page's main column.
        let w = if cjk && page_w > 0 && w.abs_diff(page_w) * 100 <= page_w * 15 {
            page_w
        } else {
            w
        };
        // A long Latin block without blank lines (ALTO, OCR text) runs through several columns
        // of different widths: measure each line against its neighbours.
        if !cjk && e - s > 2 * LATIN_WINDOW {
            let local: Vec<usize> = (s..e)
                .map(|k| {
                    let a = k.saturating_sub(LATIN_WINDOW).max(s);
                    let b = (k + LATIN_WINDOW + 1).min(e);
                    widths_of(&lines[a..b])
                })
                .collect();
            for (l, w) in lines[s..e].iter_mut().zip(local) {
                l.w = w.max(1);
            }
            continue;
        }
        for l in &mut lines[s..e] {
            l.w = w.max(1);
        }
    }
}

/// Text set in proportional type counts fewer characters on a line of many wide letters: a line
/// may stop a few cells short of the column and still have been full. Measure how short lines
/// that certainly go on (the next line starts with a lowercase word) stop, and allow that much.
/// Text wrapped by character count (most tests, fixed-width extractors) gets no slack.
fn latin_slack(lines: &mut [Line]) {
    let mut fits: Vec<usize> = Vec::new();
    for pair in lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.role != Role::Text
            || b.role != Role::Text
            || !matches!(a.shape.end, End::Word | End::Pause)
            || !b
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() && c.is_lowercase())
        {
            continue;
        }
        let unit = chars::str_width(b.text.split(' ').next().unwrap_or(""), false);
        let used = a.shape.width + a.shape.indent + 1 + unit;
        // How far the next word would have fitted (0: it would not).
        fits.push((a.w + 1).saturating_sub(used));
    }
    if fits.len() < 20 {
        return;
    }
    fits.sort_unstable();
    let slack = fits[fits.len() * 9 / 10];
    for l in lines.iter_mut() {
        l.slack = slack.min(l.w / 5);
    }
}

/// The percentile of line widths that measures a ragged Latin column: full lines vary by a word
/// in proportional type. (The 75th was measured too: worse on the pdftotext dev pages, where
/// lines glued from two columns pull every high percentile up.)
const LATIN_WIDTH_PERCENTILE: usize = 90;

/// Lines either side of a line that measure its column in a long Latin block.
const LATIN_WINDOW: usize = 12;

fn chars_of(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Bylines, credits, place tags, jump lines and furniture; glued bylines.
fn roles(lines: &mut [Line], grammar: &Grammar, opts: &Options) {
    let n = lines.len();
    for i in 0..n {
        if lines[i].role != Role::Text || lines[i].shape.markup.is_some() {
            continue;
        }
        let cs = chars_of(&lines[i].text);
        let next_blank = i + 1 >= n || lines[i + 1].role == Role::Blank;
        let full = lines[i].shape.width * 5 >= lines[i].w * 4;
        // Cheap layout tests first: a byline is short and not a full line with text after it.
        if cs.len() <= 40
            && (!full || next_blank)
            && (grammar.matches(PatternKind::Byline, &cs)
                || grammar.matches(PatternKind::Credit, &cs))
        {
            lines[i].role = Role::Byline;
            continue;
        }
        if cs.len() <= 16 && grammar.matches(PatternKind::Author, &cs) {
            lines[i].author = true;
        }
        if cs.len() <= 8 && grammar.matches(PatternKind::Place, &cs) {
            lines[i].role = Role::Place;
            continue;
        }
        if cs.len() <= 60 && grammar.matches(PatternKind::Jump, &cs) {
            lines[i].role = Role::Jump;
            continue;
        }
        if cs.len() <= 6
            && grammar.matches(PatternKind::Furniture, &cs)
            && next_blank
            && (i == 0 || lines[i - 1].role == Role::Blank)
        {
            lines[i].role = Role::Furniture;
            continue;
        }
    }
    if !opts.enabled(BY001.code) {
        return;
    }
    // Glued bylines: after a sentence end, the rest of the line (with the next line, when that is
    // short) matches a byline or credit.
    for i in 0..n {
        if lines[i].role != Role::Text || lines[i].shape.markup.is_some() {
            continue;
        }
        let cs = chars_of(&lines[i].text);
        // A byline continued on the next line: that line is a byline itself, or short.
        let next: Option<Vec<char>> = (i + 1 < n
            && (lines[i + 1].role == Role::Byline
                || (lines[i + 1].role == Role::Text
                    && lines[i + 1].text.chars().count() <= 24
                    && lines[i + 1].shape.width * 5 < lines[i + 1].w * 4)))
            .then(|| chars_of(&lines[i + 1].text));
        let last_in_block = i + 1 >= n || lines[i + 1].role == Role::Blank;
        if next.is_none() && !last_in_block {
            continue;
        }
        for k in 1..cs.len() {
            let prev = cs[k - 1];
            let ends = grammar.in_class("sentence_end", prev)
                || (grammar.in_class("close_quote", prev)
                    && k >= 2
                    && grammar.in_class("sentence_end", cs[k - 2]));
            if !ends {
                continue;
            }
            let mut s = k;
            while s < cs.len() && chars::is_space(cs[s]) {
                s += 1;
            }
            if s >= cs.len() || cs.len() - s > 30 {
                continue;
            }
            let suffix = &cs[s..];
            let is_by = |t: &[char]| {
                grammar.matches(PatternKind::Byline, t) || grammar.matches(PatternKind::Credit, t)
            };
            if let Some(nx) = &next {
                let mut comb = suffix.to_vec();
                comb.push(' ');
                comb.extend(nx);
                if is_by(&comb) {
                    lines[i].glued = Some((s, true));
                    lines[i + 1].role = Role::Byline;
                    break;
                }
            }
            if last_in_block
                && is_by(suffix)
                && (s > k || suffix.iter().any(|&c| chars::is_space(c)))
            {
                lines[i].glued = Some((s, false));
                break;
            }
        }
    }
}

/// Raw blocks: maximal runs of non-blank lines, as (start, end) line indexes.
fn raw_blocks(lines: &[Line]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].role == Role::Blank {
            i += 1;
            continue;
        }
        let s = i;
        while i < lines.len() && lines[i].role != Role::Blank {
            i += 1;
        }
        out.push((s, i));
    }
    out
}

/// Names alone on a line right under a title (only blanks between) with text after them are
/// the byline of a commentary or column (人民日报: title / 李洪兴 / text).
fn authors_under_titles(lines: &mut [Line]) {
    let n = lines.len();
    for i in 0..n {
        if !lines[i].author || lines[i].role != Role::Text {
            continue;
        }
        let prev = (0..i).rev().find(|&k| lines[k].role != Role::Blank);
        let next = (i + 1..n).find(|&k| lines[k].role != Role::Blank);
        let under_title = prev
            .is_some_and(|k| lines[k].headlike && !lines[k].author && lines[k].role == Role::Text);
        // Text after: a body line, or the first line of a block of several lines.
        let text_after = next.is_some_and(|k| {
            lines[k].role == Role::Text
                && (!lines[k].headlike || lines.get(k + 1).is_some_and(|l| l.role == Role::Text))
        });
        if under_title && text_after {
            lines[i].role = Role::Byline;
            lines[i].headlike = false;
        }
    }
}

/// The indent most indented lines share, when at least three lines are indented.
fn paragraph_indent(lines: &[Line]) -> Option<usize> {
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for l in lines
        .iter()
        .filter(|l| l.role != Role::Blank && l.shape.indent > 0)
    {
        *counts.entry(l.shape.indent).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|&(_, n)| n >= 3)
        .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)))
        .map(|(i, _)| i)
}

/// Could the line be (part of) a title or heading?
/// A line of Latin capitals (a headline or a deck in capitals): at least three letters, all
/// uppercase, mostly letters.
pub fn is_capitals(text: &str) -> bool {
    let letters = text.chars().filter(|&c| chars::is_latin(c)).count();
    letters >= 3
        && text
            .chars()
            .filter(|&c| chars::is_latin(c))
            .all(char::is_uppercase)
        && letters * 10 >= text.chars().filter(|c| !c.is_whitespace()).count() * 6
}

fn headlike(l: &Line, grammar: &Grammar) -> bool {
    let s = &l.shape;
    let max = grammar.setting("title_max_chars", 40.0) as usize;
    if s.chars == 0 || s.chars > max.max(60) || l.glued.is_some() {
        return false;
    }
    // Capitals are display type whatever their punctuation (HINTS OF FASHION, / LAW.- FRIDAY).
    if is_capitals(&l.text) && s.end != End::Hyphen {
        return true;
    }
    if s.chars > max {
        return false;
    }
    if matches!(s.end, End::Pause | End::Hyphen | End::Open | End::Colon) {
        return false;
    }
    if s.end == End::Sentence {
        // Headings may ask or exclaim; a full stop ends body text.
        let last = l
            .text
            .chars()
            .rev()
            .find(|c| !grammar.in_class("close_quote", *c));
        if !matches!(last, Some('？' | '！' | '?' | '!')) {
            return false;
        }
    }
    // An unclosed quote or bracket: the text goes on in the next line.
    let (open, close) = (grammar.class("open_quote"), grammar.class("close_quote"));
    let is = |set: &[char], c: char| set.binary_search(&c).is_ok();
    let opens = l
        .text
        .chars()
        .filter(|&c| is(open, c) && !is(close, c))
        .count();
    let closes = l
        .text
        .chars()
        .filter(|&c| is(close, c) && !is(open, c))
        .count();
    if opens > closes {
        return false;
    }
    let stops = l
        .text
        .chars()
        .filter(|&c| matches!(c, '。' | '；' | ';'))
        .count();
    let commas = l.text.chars().filter(|&c| matches!(c, '，' | ',')).count();
    if stops > 0 || commas > 1 {
        return false;
    }
    // Mostly letters or Han: not a row of numbers or punctuation.
    s.han + s.latin >= (s.chars / 2).max(1)
}

/// A Latin line set as display type: capitals, or title case (every word of four letters or more
/// capitalised) in at most eight words, with no more than one comma and no inner sentence end.
fn latin_display(l: &Line) -> bool {
    if l.role != Role::Text || l.glued.is_some() || l.shape.han > 0 || l.shape.latin < 3 {
        return false;
    }
    if matches!(
        l.shape.end,
        End::Pause | End::Hyphen | End::Open | End::Colon
    ) {
        return false;
    }
    if is_capitals(&l.text) {
        return l.shape.chars <= 60;
    }
    let words: Vec<&str> = l.text.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || l.shape.chars > 45 || l.shape.inner_stops > 0 {
        return false;
    }
    let starts_upper = |w: &str| {
        w.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase)
    };
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let long: Vec<&&str> = words.iter().filter(|w| letters(w) >= 4).collect();
    // Inner full stops other than abbreviations (a single capital) mean a sentence goes on.
    let inner_sentence = words[..words.len() - 1]
        .iter()
        .any(|w| w.ends_with(['.', '?', '!']) && letters(w) > 2);
    starts_upper(words[0])
        && !long.is_empty()
        && long.iter().all(|w| starts_upper(w))
        && !inner_sentence
}

/// Headings inside a block with no blank lines around them (ALTO and OCR text often has none):
/// a stack of display lines after a line that ends a sentence, followed by a line that starts
/// one. Each line must be short for its column, so the short last line of a paragraph in title
/// case is only taken when the line before it closed a sentence too.
fn inline_latin_headings(lines: &[Line], heading: &mut [bool]) {
    let n = lines.len();
    let mut k = 0;
    while k < n {
        // After a sentence end or a heading, or at the top of a block.
        let (after, top) = match k.checked_sub(1).map(|j| (j, &lines[j])) {
            None => (true, true),
            Some((_, p)) if p.role == Role::Blank => (true, true),
            Some((j, p)) => (
                p.role == Role::Text && (heading[j] || p.shape.end == End::Sentence),
                false,
            ),
        };
        if !after || lines[k].role != Role::Text || heading[k] {
            k += 1;
            continue;
        }
        let mut e = k;
        // A stack of display lines (at the top of a block only capitals: a title-case line
        // there may as well open the text).
        if !top || is_capitals(&lines[k].text) {
            e = display_stack(lines, heading, k);
        }
        // A deck right under a headline: title-case words run over lines to a sentence end.
        let under_headline = if e > k { true } else { k > 0 && heading[k - 1] };
        if under_headline {
            e = deck_end(lines, heading, e);
        }
        if e > k {
            for h in heading.iter_mut().take(e).skip(k) {
                *h = true;
            }
            k = e;
        } else {
            k += 1;
        }
    }
}

/// Does the line open a sentence (or is it no text line at all)?
fn starts_sentence(l: &Line) -> bool {
    l.role != Role::Text
        || l.text
            .chars()
            .find(|c| !matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '„' | '»' | '«'))
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Short for its column: a heading line, or the last line of a paragraph.
fn short_line(l: &Line) -> bool {
    l.shape.width * 5 <= l.w * 4
}

/// The end of a stack of display lines from `k` that a sentence follows (`k`: none).
fn display_stack(lines: &[Line], heading: &[bool], k: usize) -> usize {
    let n = lines.len();
    let mut e = k;
    while e < n && e - k < 6 && !heading[e] && latin_display(&lines[e]) && short_line(&lines[e]) {
        e += 1;
    }
    // The stack ends where a sentence starts; drop trailing lines until it does.
    while e > k && (e >= n || lines[e].role == Role::Blank || !starts_sentence(&lines[e])) {
        // A stack running to a blank line or the end is a heading only when all capitals.
        if (e >= n || lines[e].role == Role::Blank) && (k..e).all(|j| is_capitals(&lines[j].text)) {
            break;
        }
        e -= 1;
    }
    // Title-case lines must be followed by body text, not another short line.
    let body_after = e < n && lines[e].role == Role::Text && !short_line(&lines[e]);
    if e > k && (body_after || (k..e).any(|j| is_capitals(&lines[j].text))) {
        e
    } else {
        k
    }
}

/// A deck from `k`: two to four lines (set in the column's measure), the first opening with a capital, ending in a
/// sentence end, whose long words are nearly all capitalised (`Commissioners Agree to Survey /
/// the Eastern Channel.`), followed by a line that opens a sentence. Returns its end (`k`: none).
fn deck_end(lines: &[Line], heading: &[bool], k: usize) -> usize {
    let n = lines.len();
    if k >= n || !starts_sentence(&lines[k]) {
        return k;
    }
    let mut e = k;
    while e < n && e - k < 4 {
        let l = &lines[e];
        if l.role != Role::Text
            || heading[e]
            || l.glued.is_some()
            || l.shape.han > 0
            || l.shape.chars > 60
            || matches!(l.shape.end, End::Open | End::Colon)
        {
            return k;
        }
        e += 1;
        if l.shape.end == End::Sentence {
            break;
        }
    }
    if e - k < 2
        || lines[e - 1].shape.end != End::Sentence
        || (e < n && !starts_sentence(&lines[e]))
    {
        return k;
    }
    let text: String = lines[k..e]
        .iter()
        .map(|l| l.text.trim_end_matches('-'))
        .collect::<Vec<_>>()
        .join(" ");
    let stops: usize = lines[k..e].iter().map(|l| l.shape.inner_stops).sum();
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let long: Vec<&str> = text
        .split_whitespace()
        .filter(|w| letters(w) >= 4)
        .collect();
    let caps = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    if stops <= 1 && long.len() >= 3 && caps * 4 >= long.len() * 3 {
        e
    } else {
        k
    }
}

/// Is the line full for its column? A first line is allowed one indent less.
fn is_full(l: &Line, first: bool, cjk: bool) -> bool {
    if !cjk {
        // Ragged Latin lines, measured with their indent: full within a long word of the column.
        return l.shape.width + l.shape.indent + (l.w / 6).max(4) >= l.w;
    }
    // Justified CJK lines: full within a few cells; a first line one indent (two ideographs) less.
    let tol = 3;
    let indent = if first { 4 } else { 0 };
    l.shape.width + tol + indent >= l.w
}

/// Wider than its column: set across columns (a title), not a line of the column's text.
fn too_wide(l: &Line) -> bool {
    l.shape.width * 4 > l.w * 5 && l.shape.width > l.w + 4
}

/// Would the first unit of `b` have fitted at the end of `a`? Then `a` ended early.
fn ended_early(a: &Line, b: &Line, cjk: bool, a_first: bool) -> bool {
    let unit: usize = if cjk {
        b.text
            .chars()
            .next()
            .map(|c| chars::width(c, true))
            .unwrap_or(2)
            .max(2)
    } else {
        chars::str_width(b.text.split(' ').next().unwrap_or(""), false)
    };
    let slack = if cjk { 2 } else { a.slack };
    // Latin lines are measured with their indent (the column includes it).
    let latin_indent = if cjk { 0 } else { a.shape.indent };
    // A first line is one indent short of the column by design.
    let indent = if a_first && a.shape.indent == 0 {
        if cjk {
            4
        } else {
            0
        }
    } else {
        0
    };
    a.shape.width + latin_indent + 1 + unit + slack + indent <= a.w
}

/// The line of an item known to be a line.
fn items_line(items: &[Item], i: usize) -> usize {
    match items[i] {
        Item::Line(k) => k,
        Item::Blank => unreachable!("heading groups hold lines only"),
    }
}

/// An item of the page before stitching.
enum Item {
    Line(usize),
    Blank,
}

#[allow(clippy::too_many_arguments)]
fn build(
    page: &Page,
    lines: &[Line],
    heading: &[bool],
    labels: Option<&[Option<Label>]>,
    grammar: &Grammar,
    opts: &Options,
    cjk: bool,
    fixes: &mut Vec<Fix>,
) -> Vec<Block> {
    let words = repair::hyphen::Words::new(
        lines
            .iter()
            .filter(|l| l.role == Role::Text)
            .map(|l| l.text.as_str()),
        opts.vocabulary.as_deref(),
        grammar,
    );
    let enabled = |c: &str| opts.enabled(c);
    // Join two lines of one block (a paragraph, or a Latin heading broken at a hyphen): the
    // separator, and the hyphen fix if any.
    let join_lines = |a: &Line, b: &Line, fixes: &mut Vec<Fix>| -> &'static str {
        let d = join::decide(&a.text, a.shape.span.end, &b.text, &words, cjk, &enabled);
        if let Some(f) = d.fix {
            fixes.push(f);
        }
        d.sep
    };
    let label = |k: usize| labels.and_then(|ls| ls[k]);

    // Walk the lines, building blocks.
    let mut blocks: Vec<Block> = Vec::new();
    let mut para: Option<Block> = None;
    let mut prev_line: Option<usize> = None; // last body line of the open paragraph
    let mut blank_since = false;
    let mut items: Vec<Item> = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        items.push(if l.role == Role::Blank {
            Item::Blank
        } else {
            Item::Line(k)
        });
    }
    let close =
        |para: &mut Option<Block>, blocks: &mut Vec<Block>, lines: &[Line], last: Option<usize>| {
            if let Some(mut p) = para.take() {
                if let Some(l) = last {
                    p.cues.ends_mid = lines[l].shape.end != End::Sentence;
                }
                blocks.push(p);
            }
        };
    let mut idx = 0;
    while idx < items.len() {
        let k = match items[idx] {
            Item::Blank => {
                blank_since = true;
                idx += 1;
                continue;
            }
            Item::Line(k) => k,
        };
        let l = &lines[k];
        if heading[k] {
            close(&mut para, &mut blocks, lines, prev_line);
            prev_line = None;
            // Consecutive heading lines (no blank between) form one group.
            let mut g = Block::new(Kind::Heading, l.shape.span.clone());
            g.cues.labels.extend(label(k));
            g.cues.group = 1;
            g.cues.undoubled = l.undoubled;
            g.cues.capitals = is_capitals(&l.text);
            let mut j = idx + 1;
            while let Some(Item::Line(k2)) = items.get(j) {
                if !heading[*k2] || starts_new_group(label(items_line(&items, j - 1)), label(*k2)) {
                    break;
                }
                g.cues.labels.extend(label(*k2));
                g.pieces.push(lines[*k2].shape.span.clone());
                // A Latin heading broken at a hyphen rejoins like body text.
                let pk = items_line(&items, j - 1);
                let prev = &lines[pk];
                let same_field = label(pk).is_some() && label(pk) == label(*k2);
                if same_field || (!cjk && prev.shape.end == End::Hyphen) {
                    g.seps.push(join_lines(prev, &lines[*k2], fixes));
                } else {
                    g.seps.push(" ");
                }
                g.cues.group += 1;
                g.cues.undoubled |= lines[*k2].undoubled;
                j += 1;
            }
            blocks.push(g);
            idx = j;
            blank_since = false;
            continue;
        }
        match l.role {
            Role::Byline | Role::Place | Role::Jump | Role::Furniture => {
                close(&mut para, &mut blocks, lines, prev_line);
                prev_line = None;
                let kind = match l.role {
                    Role::Byline => Kind::Byline,
                    Role::Place => Kind::Place,
                    Role::Jump => Kind::Jump,
                    _ => Kind::Furniture,
                };
                // A byline continuing a glued one joins it.
                if kind == Kind::Byline {
                    if let Some(b) = blocks.last_mut() {
                        if b.kind == Kind::Byline && b.cues.group == 99 {
                            b.pieces.push(l.shape.span.clone());
                            b.seps.push(" ");
                            b.cues.group = 1;
                            idx += 1;
                            blank_since = false;
                            continue;
                        }
                    }
                }
                blocks.push(Block::new(kind, l.shape.span.clone()));
                idx += 1;
                blank_since = false;
                continue;
            }
            _ => {}
        }
        // Body text.
        let (body_span, glued) = match l.glued {
            Some((at, cont)) => {
                let byte = l
                    .text
                    .char_indices()
                    .nth(at)
                    .map(|(b, _)| b)
                    .unwrap_or(l.text.len());
                // Map the split through the repaired text back to the page: find the suffix.
                let suffix = &l.text[byte..];
                let src = &page.text[l.shape.span.clone()];
                let src_at = src.rfind(
                    suffix
                        .chars()
                        .next()
                        .map(|c| c.to_string())
                        .unwrap_or_default()
                        .as_str(),
                );
                let src_at = find_suffix_start(src, suffix)
                    .or(src_at)
                    .unwrap_or(src.len());
                let split = l.shape.span.start + src_at;
                (
                    l.shape.span.start..split,
                    Some((split..l.shape.span.end, cont)),
                )
            }
            None => (l.shape.span.clone(), None),
        };
        match (&mut para, prev_line) {
            (Some(p), Some(pk)) => {
                let a = &lines[pk];
                let inferred = match label(k) {
                    Some(y) => y != Label::Body,
                    None => paragraph_break(a, l, blank_since, cjk, lines, k, p.pieces.len() == 1),
                };
                // With PB001 off only blank lines part paragraphs; with LB001 off every blank does.
                let brk = if blank_since {
                    inferred || !opts.enabled(LB001.code)
                } else {
                    inferred && opts.enabled(PB001.code)
                };
                if brk {
                    if !blank_since {
                        fixes.push(
                            Fix::decision(&PB001, l.shape.span.clone(), "new paragraph")
                                .because(break_reason(a, l, cjk)),
                        );
                    }
                    close(&mut para, &mut blocks, lines, prev_line);
                    let mut b = Block::new(Kind::Paragraph, body_span.clone());
                    b.cues.starts_mid = starts_mid(l, cjk);
                    para = Some(b);
                } else {
                    let sep = join_lines(a, l, fixes);
                    if blank_since {
                        let gap = a.shape.span.end..l.shape.span.start;
                        fixes.push(Fix::decision(&LB001, gap, "joined").because(format!(
                            "line {} is full-width and does not end a sentence",
                            a.shape.no
                        )));
                    }
                    p.pieces.push(body_span.clone());
                    p.seps.push(sep);
                }
            }
            _ => {
                close(&mut para, &mut blocks, lines, prev_line);
                let mut b = Block::new(Kind::Paragraph, body_span.clone());
                b.cues.starts_mid = starts_mid(l, cjk);
                para = Some(b);
            }
        }
        prev_line = Some(k);
        blank_since = false;
        if let Some((span, cont)) = glued {
            close(&mut para, &mut blocks, lines, prev_line);
            prev_line = None;
            let mut b = Block::new(Kind::Byline, span.clone());
            if cont {
                b.cues.group = 99; // the next line's byline joins this one
            }
            fixes.push(
                Fix::decision(&BY001, span, "byline")
                    .because("a byline pattern matches the end of the line after a sentence end"),
            );
            blocks.push(b);
        }
        idx += 1;
    }
    close(&mut para, &mut blocks, lines, prev_line);
    if opts.enabled(ST005.code) {
        continue_bodies(page, &mut blocks, cjk, grammar, fixes);
    }
    blocks
}

/// The hand rules for heading lines (display type set apart from running text): one of the
/// page model's features, and its answer when no model is loaded.
fn rule_headings(lines: &[Line], grammar: &Grammar, cjk: bool) -> Vec<bool> {
    let n = lines.len();
    // A place glued to the end of a title is taken only when a byline of the page names it.
    let byline_places: Vec<String> = lines
        .iter()
        .filter_map(|l| match (l.role, l.glued) {
            (Role::Byline, _) => grammar.leading_place(&l.text),
            (Role::Text, Some((at, _))) => {
                grammar.leading_place(&l.text.chars().skip(at).collect::<String>())
            }
            _ => None,
        })
        .collect();
    let confirmed = |p: &str| byline_places.iter().any(|b| b == p);
    // Decide which text lines are heading lines.
    let mut heading = vec![false; n];
    for (s, e) in raw_blocks(lines) {
        let text_lines: Vec<usize> = (s..e).filter(|&k| lines[k].role == Role::Text).collect();
        if text_lines.is_empty() {
            continue;
        }
        let prev_nonblank = (0..s).rev().find(|&k| lines[k].role != Role::Blank);
        let next_nonblank = (e..n).find(|&k| lines[k].role != Role::Blank);
        // Heading lines are short for their column (a doubled heading may be wider).
        let short = |l: &Line| l.undoubled || l.shape.width * 5 <= l.w * 4 || too_wide(l);
        let all_headlike = text_lines.iter().all(|&k| lines[k].headlike);
        let all_short = text_lines.iter().all(|&k| short(&lines[k]));
        if all_headlike && text_lines.len() <= 4 {
            // Short lines may still be a paragraph fragment continued after a column break: the
            // last line reaches the column edge (a lone line: one indent less) without ending a
            // sentence, and the next block starts full-width.
            let last = &lines[*text_lines.last().unwrap()];
            let lone = text_lines.len() == 1;
            // The next block goes on with the text: a full line, or the short last line of a
            // paragraph ending a sentence.
            let cont_next = next_nonblank.is_some_and(|k| {
                let nx = &lines[k];
                let tail = nx.shape.end == End::Sentence
                    && lines.get(k + 1).is_none_or(|l| l.role == Role::Blank)
                    && !nx.headlike;
                nx.role == Role::Text
                    && (is_full(nx, false, cjk) || tail)
                    && !too_wide(nx)
                    && nx.shape.indent == 0
            });
            // Latin text goes on when the next line's first word would not have fitted.
            let latin_goes_on = !cjk
                && next_nonblank.is_some_and(|k| {
                    lines[k].role == Role::Text
                        && !is_capitals(&lines[k].text)
                        && !ended_early(last, &lines[k], cjk, lone)
                });
            let continued = !last.undoubled
                && !is_capitals(&last.text)
                && last.shape.end != End::Sentence
                && ((is_full(last, lone, cjk) && !too_wide(last) && cont_next) || latin_goes_on);
            let continues_prev = prev_nonblank.is_some_and(|k| {
                lines[k].role == Role::Text
                    && lines[k].glued.is_none()
                    && !heading[k]
                    && matches!(
                        lines[k].shape.end,
                        End::Pause | End::Word | End::Open | End::Hyphen
                    )
                    && is_full(&lines[k], false, cjk)
                    && !too_wide(&lines[k])
            }) && !text_lines
                .iter()
                .any(|&k| lines[k].undoubled || too_wide(&lines[k]));
            // A place tag beside the line makes it a title whatever follows.
            let tagged =
                lone && place_split(&lines[text_lines[0]].text, grammar, &confirmed).is_some();
            // A line set across columns, or set bold (drawn twice), makes the block display type.
            let any_display = text_lines
                .iter()
                .any(|&k| too_wide(&lines[k]) || lines[k].undoubled);
            // Lines that all reach the column edge are a fragment of body text; a stack of display
            // lines has uneven lengths (a kicker shorter than its title).
            let full_lines = text_lines
                .iter()
                .filter(|&&k| is_full(&lines[k], false, cjk))
                .count();
            if (lone || all_short || any_display || full_lines < 2)
                && (tagged || (!continued && !continues_prev))
            {
                for &k in &text_lines {
                    heading[k] = true;
                }
                continue;
            }
        }
        // A title glued on top of its body: strong cues only (set bold, or a place tag beside it).
        let first = text_lines[0];
        if text_lines.len() >= 2 && first == s && lines[first].headlike {
            let l = &lines[first];
            let tagged = place_split(&l.text, grammar, &confirmed).is_some();
            let short_plain = l.shape.inner_stops == 0
                && l.shape.width * 5 <= l.w * 3
                && l.shape.end != End::Sentence
                && lines[text_lines[1]].shape.width > l.shape.width;
            let prev_closed = prev_nonblank.is_none_or(|k| {
                lines[k].role != Role::Text || lines[k].shape.end == End::Sentence || heading[k]
            });
            if l.undoubled
                || (tagged && prev_closed)
                || (short_plain
                    && prev_closed
                    && l.shape.chars <= 16
                    && !cjk_continues(l, &lines[text_lines[1]]))
            {
                heading[first] = true;
            }
        }
    }

    if !cjk {
        inline_latin_headings(lines, &mut heading);
    }
    heading
}

/// In a stack of display lines, a kicker or a title's first line after anything but a kicker
/// opens the heading group of another article.
fn starts_new_group(prev: Option<Label>, next: Option<Label>) -> bool {
    match (prev, next) {
        (Some(p), Some(Label::Kicker | Label::Title)) => p != Label::Kicker,
        (Some(Label::Subtitle | Label::Heading), Some(Label::TitleMore)) => true,
        _ => false,
    }
}

/// A body broken across boxes or columns: a paragraph that ends mid-sentence, with other blocks
/// after it, continues in the next paragraph that starts mid-sentence (full width, not indented,
/// no opening quote), when the two share words and no other broken paragraph comes between.
fn continue_bodies(
    page: &Page,
    blocks: &mut Vec<Block>,
    cjk: bool,
    grammar: &Grammar,
    fixes: &mut Vec<Fix>,
) {
    // How a paragraph really ends: its last piece (a glued byline split off included).
    let ends_mid = |b: &Block| {
        b.pieces.last().is_some_and(|p| {
            let t = page.text[p.clone()].trim_end();
            !t.is_empty() && !matches!(parse::ending(t, grammar), End::Sentence)
        })
    };
    let mut i = 0;
    while i < blocks.len() {
        let broken = blocks[i].kind == Kind::Paragraph
            && ends_mid(&blocks[i])
            && blocks.get(i + 1).is_some_and(|b| b.kind != Kind::Paragraph);
        if !broken {
            i += 1;
            continue;
        }
        // The first later paragraph that starts mid-sentence, not right under a heading, and
        // shares words with this one; another broken paragraph on the way stops the search.
        let shared = crate::grams::grams(
            &page.text[blocks[i].pieces[0].start..blocks[i].pieces.last().unwrap().end],
        );
        let mut found = None;
        for j in i + 1..blocks.len() {
            if blocks[j].kind != Kind::Paragraph {
                continue;
            }
            let text = &page.text[blocks[j].pieces[0].start..blocks[j].pieces.last().unwrap().end];
            let common = shared.overlap(&crate::grams::grams(text));
            if blocks[j].cues.starts_mid && blocks[j - 1].kind != Kind::Heading && common >= 2 {
                found = Some((j, common));
                break;
            }
            if ends_mid(&blocks[j]) {
                break;
            }
        }
        let Some((j, common)) = found else {
            i += 1;
            continue;
        };
        let moved = blocks.remove(j);
        let span = moved.pieces[0].start
            ..moved
                .pieces
                .last()
                .map(|p| p.end)
                .unwrap_or(moved.pieces[0].end);
        let from = moved.lines(page).0;
        let target = &mut blocks[i];
        // A paragraph broken at a line-end hyphen goes on without a space (`be-` + `the`).
        let hyphen_end = target
            .pieces
            .last()
            .is_some_and(|p| page.text[p.clone()].trim_end().ends_with(['-', '¬', '⸗']));
        target.seps.push(if cjk || hyphen_end { "" } else { " " });
        target.pieces.extend(moved.pieces);
        target.seps.extend(moved.seps);
        // The rest of the continued text and its byline follow it.
        let mut tail = Vec::new();
        let mut seen_byline = false;
        while j < blocks.len() {
            let k = blocks[j].kind;
            let take = match k {
                Kind::Paragraph | Kind::Caption => !seen_byline,
                Kind::Byline => true,
                _ => false,
            };
            if !take {
                break;
            }
            seen_byline |= k == Kind::Byline;
            tail.push(blocks.remove(j));
        }
        let target = &blocks[i];
        fixes.push(
            Fix::decision(&ST005, span, format!("continues the paragraph ending at line {}", target.lines(page).1))
                .because(format!("the paragraph ends mid-sentence; line {from} starts mid-sentence; {common} shared grams")),
        );
        for (n, b) in tail.into_iter().enumerate() {
            blocks.insert(i + 1 + n, b);
        }
    }
}

/// Where `suffix` (repaired text) starts in `src` (raw text), comparing visible characters.
fn find_suffix_start(src: &str, suffix: &str) -> Option<usize> {
    let want: Vec<char> = suffix.chars().filter(|c| !c.is_whitespace()).collect();
    let mut got = 0;
    for (i, c) in src.char_indices().rev() {
        if c.is_whitespace() {
            continue;
        }
        got += 1;
        if got == want.len() {
            return Some(i);
        }
    }
    None
}

/// In CJK text a heading does not run on into the next line as one word.
fn cjk_continues(a: &Line, b: &Line) -> bool {
    let (Some(x), Some(y)) = (a.text.chars().last(), b.text.chars().next()) else {
        return false;
    };
    x.is_ascii_digit() && y.is_ascii_digit()
}

/// Does the line start mid-sentence (the continuation of a run broken elsewhere)?
fn starts_mid(l: &Line, cjk: bool) -> bool {
    let first = l.text.chars().next();
    if !cjk {
        return first.is_some_and(|c| c.is_lowercase());
    }
    l.shape.indent == 0
        && is_full(l, false, cjk)
        && !l.shape.opens_quote
        && first.is_some_and(|c| !chars::is_punct(c))
}

/// The hand rule for a paragraph break between two lines (the page model's `rule_break`
/// feature, and its answer on snippets).
fn paragraph_break(
    a: &Line,
    b: &Line,
    blank: bool,
    cjk: bool,
    lines: &[Line],
    bk: usize,
    a_first: bool,
) -> bool {
    let ends = a.shape.end == End::Sentence;
    let b_indented = b.shape.indent >= 2 && b.shape.indent > a.shape.indent;
    if b_indented {
        return ends || ended_early(a, b, cjk, a_first) || a.shape.end == End::Colon;
    }
    if ends && (blank || ended_early(a, b, cjk, a_first)) {
        return true;
    }
    if blank && !cjk {
        // Latin: where the next word would not have fitted, the blank is a column break; a line
        // that stopped early ended its paragraph.
        return ended_early(a, b, cjk, a_first) && a.shape.end != End::Hyphen;
    }
    if blank {
        // A blank after a line that does not end a sentence is a column break when the line
        // is full (a first line one indent less); otherwise the paragraph ended there.
        return !is_full(a, a_first, cjk)
            && a.shape.end != End::Pause
            && a.shape.end != End::Open
            && a.shape.end != End::Hyphen;
    }
    // No blank line, and the line stopped short of the column without ending a sentence: in
    // justified CJK text only a paragraph's last line (or a heading) does that; in Latin text the
    // next word would have fitted.
    // Measured on the raw line (justification spaces are layout), clearly short (three cells
    // more than the fullness tolerance), and not the paragraph's first line, which the indent and
    // kinsoku already shorten.
    let open = matches!(
        a.shape.end,
        End::Pause | End::Open | End::Hyphen | End::Colon
    );
    if !ends && !open && !a_first {
        let short = if cjk {
            a.raw_width + 6 < a.w
        } else {
            ended_early(a, b, cjk, a_first)
        };
        if short {
            return true;
        }
    }
    if ends && cjk {
        // Full line ending a sentence, then a line one indent short that goes on: a first line.
        let next = lines.get(bk + 1);
        let goes_on = next.is_some_and(|n| n.role == Role::Text) && b.shape.end != End::Sentence;
        let short_by_indent = b.shape.width + 3 <= b.w && b.shape.width + 7 >= b.w;
        return goes_on && short_by_indent;
    }
    false
}

fn break_reason(a: &Line, b: &Line, cjk: bool) -> String {
    if b.shape.indent >= 2 {
        format!("line {} is indented", b.shape.no)
    } else if ended_early(a, b, cjk, false) {
        format!(
            "line {} ends a sentence {} cells short of the column ({})",
            a.shape.no,
            a.w.saturating_sub(a.shape.width),
            a.w
        )
    } else {
        format!(
            "line {} ends a sentence and line {} is one indent short",
            a.shape.no, b.shape.no
        )
    }
}

/// A place tag at the start (followed by a space) or at the end (glued, the rest title-like) of
/// a title line: (place, title) as byte ranges of `text`.
pub fn place_split(
    text: &str,
    grammar: &Grammar,
    confirmed: &dyn Fn(&str) -> bool,
) -> Option<(Range<usize>, Range<usize>)> {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    if cs.len() < 4 {
        return None;
    }
    let list = grammar.list("place")?;
    let plain: Vec<char> = cs.iter().map(|c| c.1).collect();
    // Prefix followed by a space.
    for end in list.ends_at(&plain, 0) {
        if end < plain.len() && chars::is_space(plain[end]) {
            let mut t = end;
            while t < plain.len() && chars::is_space(plain[t]) {
                t += 1;
            }
            if plain.len() - t >= 4 {
                return Some((0..cs[end].0, cs[t].0..text.len()));
            }
        }
    }
    // Suffix glued to the title, or after a space: only on a line without sentence punctuation,
    // since a body line may end with a place name (地处祁连).
    if plain.iter().any(|&c| {
        grammar.in_class("pause", c) || grammar.in_class("stop", c) || grammar.in_class("colon", c)
    }) {
        return None;
    }
    for start in (plain.len().saturating_sub(6)..plain.len()).rev() {
        if start < 4 {
            break;
        }
        if list.ends_at(&plain, start).contains(&plain.len()) && chars::is_han(plain[start - 1])
            || {
                list.ends_at(&plain, start).contains(&plain.len())
                    && chars::is_space(plain[start - 1])
            }
        {
            let mut t = start;
            while t > 0 && chars::is_space(plain[t - 1]) {
                t -= 1;
            }
            // The place must not be the tail of a longer word of the title: the title part
            // ends with a Han character that is not itself a place suffix.
            let place: String = plain[start..].iter().collect();
            if !confirmed(&place) {
                continue;
            }
            return Some((cs[start].0..text.len(), 0..cs[t].0));
        }
    }
    None
}
