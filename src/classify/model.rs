//! The page model: a role for every line, decided by a linear-chain model over the page.
//!
//! Labels: `K` kicker, `T` first line of a title, `U` a further title line, `S` subtitle or deck, `H` section heading, `P` first line of a
//! paragraph, `C` a line continuing a paragraph, `B` byline or credit, `O` anything else (a
//! place tag, furniture, noise). Features describe a line against its column (width ratio,
//! ending, indent, blank lines around it), its neighbours, grammar pattern hits, doubling
//! evidence and the hand rules' own answers (so the fit learns where to trust them). The weights
//! are data (`grammars/model-*.weights`), fitted from gold pages by `galley fit`.

use std::sync::{Arc, OnceLock};

use super::headings::{is_capitals, latin_display};
use super::lines::{Line, Role};
use super::paragraphs::{ended_early, paragraph_break, too_wide};
use crate::grammar::{Grammar, PatternKind};
use crate::model::{feat, Feat, Model, ModelError};
use crate::parse::{chars, End};

/// Label names, in index order.
pub const LABELS: &[&str] = &["K", "T", "U", "S", "H", "P", "C", "B", "O"];

/// A line's role in the page model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Label {
    /// Kicker (引题, column tag) above a title.
    Kicker,
    /// First line of a title.
    Title,
    /// A line continuing a title.
    TitleMore,
    /// Subtitle or deck.
    Subtitle,
    /// Section heading inside an article.
    Heading,
    /// First line of a paragraph.
    Start,
    /// A line continuing a paragraph.
    Body,
    /// Byline or credit.
    Byline,
    /// Anything else: place tag, furniture, noise.
    Other,
}

impl Label {
    /// Every label, in index order.
    pub const ALL: [Label; 9] = [
        Label::Kicker,
        Label::Title,
        Label::TitleMore,
        Label::Subtitle,
        Label::Heading,
        Label::Start,
        Label::Body,
        Label::Byline,
        Label::Other,
    ];

    /// From a label index of [`LABELS`].
    pub fn from_index(i: usize) -> Label {
        Label::ALL[i.min(Label::ALL.len() - 1)]
    }

    /// Index in [`LABELS`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// A title line (first or further)?
    pub fn title(self) -> bool {
        matches!(self, Label::Title | Label::TitleMore)
    }

    /// A display line (kicker, title, subtitle, heading)?
    pub fn display(self) -> bool {
        matches!(
            self,
            Label::Kicker | Label::Title | Label::TitleMore | Label::Subtitle | Label::Heading
        )
    }
}

/// Feature templates, in template-number order (the weight files name them).
pub const TEMPLATES: &[&str] = &[
    "bias",
    "width",
    "end",
    "chars",
    "blanks",
    "prev_end",
    "prev_width",
    "next_width",
    "next_end",
    "indent",
    "undoubled",
    "role",
    "headlike",
    "rule_heading",
    "rule_break",
    "display",
    "first_char",
    "quotes",
    "stops",
    "repeat",
    "early",
    "prev_end_width_blank",
    "end_width_blank",
    "block_pos",
    "too_wide",
    "dateline",
    "script",
    "vs_prev_width",
    "next_indent",
    "end_width",
    "next_first_char",
    "prev_display",
    "next_display",
    "pair_rule",
    "author",
    "byline_near",
    "page_blanks",
    "style_rule_heading",
    "style_rule_break",
    "style_blanks_end",
    "style_width_prev_end",
    "style_indent",
    "shape",
    "next_shape",
    "width_median",
    "end_width_median",
    "prev_width_median",
    "asks",
    "sentence_break",
    "place_tag",
    "prev_fill_start",
    "fill_end",
    "bold_pair",
];

/// The number of a template, found at compile time (`t!("width")`): an unknown name does not
/// compile.
const fn template(name: &str) -> u16 {
    let mut i = 0;
    while i < TEMPLATES.len() {
        let (a, b) = (TEMPLATES[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i as u16;
            }
        }
        i += 1;
    }
    panic!("unknown feature template")
}

macro_rules! t {
    ($name:literal) => {{
        const T: u16 = template($name);
        T
    }};
}

/// The built-in models, one per script, read once.
fn builtin(cjk: bool) -> Option<Arc<Model>> {
    static ZH: OnceLock<Option<Arc<Model>>> = OnceLock::new();
    static EN: OnceLock<Option<Arc<Model>>> = OnceLock::new();
    let (cell, name, text) = if cjk {
        (
            &ZH,
            "model-zh.weights",
            include_str!("../../grammars/model-zh.weights"),
        )
    } else {
        (
            &EN,
            "model-en.weights",
            include_str!("../../grammars/model-en.weights"),
        )
    };
    cell.get_or_init(|| load(name, text).ok().map(Arc::new))
        .clone()
}

/// Read a weight file for the line model; its labels must be the model's labels, in order.
pub fn load(name: &str, text: &str) -> Result<Model, ModelError> {
    let m = Model::from_text(name, text, TEMPLATES)?;
    if m.labels != LABELS {
        return Err(ModelError {
            name: name.to_owned(),
            line: 0,
            message: format!(
                "labels `{}` are not galley's line labels `{}`: fit the model again",
                m.labels.join(" "),
                LABELS.join(" ")
            ),
        });
    }
    Ok(m)
}

/// The model a page is decided with: the grammar's own, else the built-in one of its script.
pub fn for_page(grammar: &Grammar, cjk: bool) -> Option<Arc<Model>> {
    match &grammar.model {
        Some(m) => m.clone(),
        None => builtin(cjk),
    }
}

fn end_code(e: End) -> u64 {
    match e {
        End::Sentence => 0,
        End::Pause => 1,
        End::Colon => 2,
        End::Hyphen => 3,
        End::Open => 4,
        End::Word => 5,
        End::None => 6,
    }
}

/// Width against the column in tenths (0..=15).
fn width_bucket(l: &Line, cjk: bool) -> u64 {
    ((printed_width(l, cjk) * 10) / l.w.max(1)).min(15) as u64
}

fn coarse_width(l: &Line, cjk: bool) -> u64 {
    match width_bucket(l, cjk) {
        0..=5 => 0,
        6..=8 => 1,
        9..=10 => 2,
        _ => 3,
    }
}

/// A line's width as printed: its indent counts in Latin text (a paragraph's first line is set
/// in), not in CJK text (where the indent is two ideographic spaces of the text itself).
fn printed_width(l: &Line, cjk: bool) -> usize {
    if cjk {
        l.shape.width
    } else {
        l.shape.width + l.shape.indent
    }
}

/// How full the last printed line of an extracted line is, taking the line as a whole number of
/// column widths `col` (at least one): 0 under 55 %, 1 under 75 %, 2 under 90 %, 3 full.
fn fill_bucket(w: usize, col: usize) -> u64 {
    let k = ((w + col / 2) / col).max(1);
    match (w * 100) / (k * col) {
        0..=54 => 0,
        55..=74 => 1,
        75..=89 => 2,
        _ => 3,
    }
}

fn chars_bucket(n: usize) -> u64 {
    match n {
        0..=2 => n as u64,
        3..=4 => 3,
        5..=8 => 4,
        9..=12 => 5,
        13..=20 => 6,
        21..=30 => 7,
        31..=45 => 8,
        _ => 9,
    }
}

fn first_char(text: &str, grammar: &Grammar) -> u64 {
    match text.chars().next() {
        None => 0,
        Some(c) if grammar.in_class("open_quote", c) => 1,
        Some(c) if c.is_ascii_digit() => 2,
        Some(c) if chars::is_han(c) => 3,
        Some(c) if c.is_lowercase() => 4,
        Some(c) if c.is_uppercase() => 5,
        Some(c) if chars::is_punct(c) => 6,
        Some(_) => 7,
    }
}

fn quotes(text: &str, grammar: &Grammar) -> u64 {
    let (open, close) = (grammar.class("open_quote"), grammar.class("close_quote"));
    let is = |set: &[char], c: char| set.binary_search(&c).is_ok();
    let (mut o, mut c) = (0usize, 0usize);
    for ch in text.chars() {
        let (io, ic) = (is(open, ch), is(close, ch));
        if io && !ic {
            o += 1;
        } else if ic && !io {
            c += 1;
        }
    }
    match o.cmp(&c) {
        std::cmp::Ordering::Greater => 1,
        std::cmp::Ordering::Less => 2,
        std::cmp::Ordering::Equal => 0,
    }
}

/// Is `b` the same text as `a`, or one of them a doubled copy of the other's start or end?
fn repeats(a: &str, b: &str) -> bool {
    !a.is_empty() && (a == b || (a.chars().count() >= 2 && (b.starts_with(a) || b.ends_with(a))))
}

/// The features of every non-blank line (indexes into `lines` in `idx`).
pub(super) fn features(
    lines: &[Line],
    idx: &[usize],
    rule_heading: &[bool],
    grammar: &Grammar,
    cjk: bool,
) -> Vec<Vec<Feat>> {
    let mut out = Vec::with_capacity(idx.len());
    // The page's style: how many blank lines it has for its text lines (none: PyMuPDF and OCR;
    // between boxes: pdfminer; between paragraphs too: pages like the seed). Local cues are
    // conjoined with it, so that the fit learns where each cue holds.
    let blanks = lines.len() - idx.len();
    let style = match (blanks * 100) / idx.len().max(1) {
        0 => 0,
        1..=5 => 1,
        6..=15 => 2,
        16..=30 => 3,
        _ => 4,
    };
    let indented = idx.iter().filter(|&&k| lines[k].shape.indent > 0).count() * 20 >= idx.len();
    let widths: Vec<usize> = idx.iter().map(|&k| printed_width(&lines[k], cjk)).collect();
    // Widths against the page's median line, whatever the column estimate says.
    let mut ws = widths.clone();
    ws.sort_unstable();
    let median = ws.get(ws.len() / 2).copied().unwrap_or(1).max(1);
    let med = |l: &Line| ((printed_width(l, cjk) * 10) / median).min(20) as u64;
    // The column width around each line: the median width of the text lines near it.
    let mut window = [0usize; 17];
    let local: Vec<usize> = (0..idx.len())
        .map(|j| {
            let near = &widths[j.saturating_sub(8)..(j + 9).min(widths.len())];
            let w = &mut window[..near.len()];
            w.copy_from_slice(near);
            w.sort_unstable();
            w[w.len() / 2].max(1)
        })
        .collect();
    for (j, &k) in idx.iter().enumerate() {
        let l = &lines[k];
        let prev = j.checked_sub(1).map(|p| &lines[idx[p]]);
        let next = idx.get(j + 1).map(|&n| &lines[n]);
        let blank_before = j == 0 || idx[j - 1] + 1 != k;
        let blank_after = j + 1 >= idx.len() || idx[j + 1] != k + 1;
        let mut f: Vec<Feat> = Vec::with_capacity(40);
        let wb = width_bucket(l, cjk);
        let end = end_code(l.shape.end);
        let bl = (blank_before as u64) * 2 + blank_after as u64;
        f.push(feat(t!("bias"), cjk as u64));
        f.push(feat(t!("width"), wb));
        f.push(feat(t!("end"), end));
        f.push(feat(t!("chars"), chars_bucket(l.shape.chars)));
        f.push(feat(t!("blanks"), bl));
        let pend = prev.map_or(7, |p| end_code(p.shape.end));
        let pw = prev.map_or(16, |p| width_bucket(p, cjk));
        f.push(feat(t!("prev_end"), pend));
        f.push(feat(t!("prev_width"), pw));
        f.push(feat(
            t!("next_width"),
            next.map_or(16, |n| width_bucket(n, cjk)),
        ));
        f.push(feat(
            t!("next_end"),
            next.map_or(7, |n| end_code(n.shape.end)),
        ));
        let ind = match l.shape.indent {
            0 => 0,
            1 => 1,
            2..=3 => 2,
            _ => 3,
        };
        let more = prev.is_some_and(|p| l.shape.indent > p.shape.indent) as u64;
        f.push(feat(t!("indent"), ind * 2 + more));
        f.push(feat(t!("undoubled"), l.undoubled as u64));
        let role = match l.role {
            Role::Blank | Role::Text => 0,
            Role::Byline => 1,
            Role::Place => 2,
            Role::Jump => 3,
            Role::Furniture => 4,
            Role::Noise => 5,
        };
        f.push(feat(t!("role"), role));
        f.push(feat(t!("author"), l.author as u64));
        f.push(feat(t!("headlike"), l.headlike as u64));
        f.push(feat(t!("rule_heading"), rule_heading[k] as u64));
        let rb = match prev {
            Some(p) if p.role == Role::Text && l.role == Role::Text => {
                1 + paragraph_break(p, l, blank_before, cjk, lines, k, false) as u64
            }
            _ => 0,
        };
        f.push(feat(t!("rule_break"), rb));
        let disp = if is_capitals(&l.text) {
            2
        } else {
            latin_display(l, grammar) as u64
        };
        f.push(feat(t!("display"), disp));
        f.push(feat(t!("first_char"), first_char(&l.text, grammar)));
        f.push(feat(
            t!("next_first_char"),
            next.map_or(8, |n| first_char(&n.text, grammar)),
        ));
        f.push(feat(t!("quotes"), quotes(&l.text, grammar)));
        f.push(feat(t!("stops"), l.shape.inner_stops.min(3) as u64));
        let rep = prev.is_some_and(|p| repeats(&p.text, &l.text)) as u64 * 2
            + next.is_some_and(|n| repeats(&l.text, &n.text) || repeats(&n.text, &l.text)) as u64;
        f.push(feat(t!("repeat"), rep));
        let early = prev.map_or(2, |p| ended_early(p, l, cjk, false) as u64);
        f.push(feat(t!("early"), early));
        let pcw = prev.map_or(4, |p| coarse_width(p, cjk));
        f.push(feat(
            t!("prev_end_width_blank"),
            (pend * 5 + pcw) * 2 + blank_before as u64,
        ));
        let cw = coarse_width(l, cjk);
        f.push(feat(
            t!("end_width_blank"),
            (end * 4 + cw) * 2 + blank_after as u64,
        ));
        f.push(feat(t!("end_width"), end * 16 + wb));
        let pos = match (blank_before, blank_after) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        f.push(feat(t!("block_pos"), pos));
        f.push(feat(t!("too_wide"), too_wide(l) as u64));
        // A dateline opens a paragraph: only lines that may open one are matched.
        let may_open = blank_before || prev.is_none_or(|p| p.shape.end == End::Sentence);
        let dated = may_open && l.shape.chars <= 200 && {
            let cs: Vec<char> = l.text.chars().collect();
            !grammar.match_ends(PatternKind::Dateline, &cs, 0).is_empty()
        };
        f.push(feat(t!("dateline"), dated as u64));
        let script = if l.shape.han * 2 >= l.shape.chars.max(1) {
            0
        } else if l.shape.latin * 2 >= l.shape.chars.max(1) {
            1
        } else {
            2
        };
        f.push(feat(t!("script"), script));
        let vs = prev.map_or(3, |p| match l.shape.width.cmp(&p.shape.width) {
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Equal => 1,
            std::cmp::Ordering::Greater => 2,
        });
        f.push(feat(t!("vs_prev_width"), vs));
        f.push(feat(
            t!("next_indent"),
            next.map_or(2, |n| (n.shape.indent > l.shape.indent) as u64),
        ));
        let pd = prev.map_or(3, |p| {
            if is_capitals(&p.text) {
                2
            } else {
                (p.headlike || p.undoubled) as u64
            }
        });
        f.push(feat(t!("prev_display"), pd));
        // Set bold against its neighbours: a plain line over a bold one is a kicker or a deck
        // over a title drawn twice, a bold line over a plain one a title over its deck.
        let bold = |x: Option<&Line>| x.map_or(2, |x| x.undoubled as u64);
        f.push(feat(
            t!("bold_pair"),
            bold(prev) * 6 + l.undoubled as u64 * 3 + bold(next),
        ));
        let nd = next.map_or(3, |n| {
            if is_capitals(&n.text) {
                2
            } else {
                (n.headlike || n.undoubled) as u64
            }
        });
        f.push(feat(t!("next_display"), nd));
        f.push(feat(
            t!("pair_rule"),
            (rule_heading[k] as u64) * 4 + prev.map_or(2, |_| rule_heading[idx[j - 1]] as u64),
        ));
        f.push(feat(t!("page_blanks"), style));
        f.push(feat(
            t!("style_rule_heading"),
            style * 2 + rule_heading[k] as u64,
        ));
        f.push(feat(t!("style_rule_break"), style * 3 + rb));
        f.push(feat(t!("style_blanks_end"), (style * 4 + bl) * 8 + end));
        f.push(feat(
            t!("style_width_prev_end"),
            (style * 4 + cw) * 8 + pend,
        ));
        f.push(feat(
            t!("style_indent"),
            (indented as u64 * 4 + ind) * 2 + more,
        ));
        // Headings ask and exclaim; body sentences mostly state (`。` against `？`).
        let asks = |x: &Line| {
            x.text
                .chars()
                .rev()
                .find(|c| !grammar.in_class("close_quote", *c))
                .is_some_and(|c| matches!(c, '？' | '！' | '?' | '!'))
        };
        f.push(feat(
            t!("asks"),
            (asks(l) as u64) * 8
                + next.map_or(2, |n| asks(n) as u64) * 2
                + (l.shape.chars <= 4) as u64,
        ));
        // A sentence ends, the line stops short, the next line opens with a capital or a quote:
        // the cues of a paragraph end combined (Latin text without blank lines).
        let wm = med(l);
        let short = match wm {
            0..=6 => 0,
            7..=8 => 1,
            9..=10 => 2,
            _ => 3,
        };
        f.push(feat(
            t!("sentence_break"),
            (end * 9 + next.map_or(8, |n| first_char(&n.text, grammar))) * 4 + short,
        ));
        f.push(feat(t!("width_median"), wm));
        f.push(feat(t!("end_width_median"), end * 32 + wm));
        f.push(feat(
            t!("prev_width_median"),
            prev.map_or(31, med) * 8 + pend,
        ));
        let ncw = next.map_or(4, |n| coarse_width(n, cjk));
        let chb = chars_bucket(l.shape.chars);
        f.push(feat(t!("shape"), ((chb * 4 + bl) * 5 + ncw) * 8 + end));
        let next_shape = next.map_or(0, |n| {
            1 + (chars_bucket(n.shape.chars) * 8 + end_code(n.shape.end)) * 2 + blank_after as u64
        });
        f.push(feat(t!("next_shape"), next_shape * 16 + chb));
        // How full the line's last printed line is: an extractor that runs two or three
        // printed lines of a column into one (pdftotext) leaves a paragraph's last line short
        // of a multiple of the column, not of the column; PyMuPDF's pages have no blank lines.
        // Chinese only: on Latin text the cue added nothing cross-validated and moved the
        // decisions on real OCR pages.
        if cjk {
            let pfill = j
                .checked_sub(1)
                .map_or(4, |p| fill_bucket(widths[p], local[p]));
            f.push(feat(
                t!("prev_fill_start"),
                (pfill * 8 + pend) * 9 + first_char(&l.text, grammar),
            ));
            f.push(feat(
                t!("fill_end"),
                fill_bucket(widths[j], local[j]) * 8 + end,
            ));
        }
        let near = |x: Option<&Line>| x.is_some_and(|x| x.role == Role::Byline) as u64;
        f.push(feat(t!("byline_near"), near(prev) * 2 + near(next)));
        if cjk {
            // A place tag on a line set in the body face between blank lines (a title not drawn
            // bold), apart from one on a bold line.
            let tag = place_tag(l, grammar);
            f.push(feat(
                t!("place_tag"),
                (tag * 2 + l.undoubled as u64) * 4 + bl,
            ));
        }
        out.push(f);
    }
    out
}

/// Where a short line of a CJK page names a known place of the grammar: 1 before a space
/// (`P title`), 2 at its end, glued or after a space (`titleP`), 3 the line is the place alone; 0
/// otherwise. CJK titles carry place tags; body lines rarely end with one. (Latin body lines end
/// with place names all the time: the feature is not computed there.)
fn place_tag(l: &Line, grammar: &Grammar) -> u64 {
    if l.role != Role::Text || l.shape.chars > 40 {
        return 0;
    }
    if grammar.is_place(&l.text) {
        return 3;
    }
    match crate::places::place_split(&l.text, grammar, &|_| true) {
        Some((p, _)) if p.start == 0 => 1,
        Some(_) => 2,
        None => 0,
    }
}

/// The labels each line may take: hand rules that are certain restrict the model. A line set
/// bold (a doubled run undoubled) is display type or a byline, one tagged with a place before a
/// space is display type (or a place tag); a byline needs a byline, credit or names pattern of the grammar, a glued byline or
/// no sentence end.
pub(super) fn allowed(lines: &[Line], idx: &[usize], grammar: &Grammar) -> Vec<u32> {
    let bit = |l: Label| 1u32 << l.index();
    let display = bit(Label::Kicker)
        | bit(Label::Title)
        | bit(Label::TitleMore)
        | bit(Label::Subtitle)
        | bit(Label::Heading);
    let all = (1u32 << LABELS.len()) - 1;
    idx.iter()
        .map(|&k| {
            let l = &lines[k];
            let mut m = all;
            // A tag stands before a space on a short line (the cheap test first).
            let tagged = l.role == Role::Text
                && l.shape.spaces > 0
                && l.shape.chars <= 40
                && crate::places::place_split(&l.text, grammar, &|_| false)
                    .is_some_and(|(p, _)| p.start == 0);
            // A byline may be set bold too: the byline rule below decides it.
            if l.role == Role::Text && l.undoubled {
                m &= display | bit(Label::Other) | bit(Label::Byline) | bit(Label::Start);
            } else if l.role == Role::Text && tagged {
                m &= display | bit(Label::Other);
            }
            // A line that reads as a byline by the grammar (`本报记者 张三 李四`) never heads.
            if l.signed {
                m &= !display;
            }
            if l.role != Role::Byline && !l.author && !l.signed {
                m &= !bit(Label::Byline);
            }
            m
        })
        .collect()
}

/// Decide the label of every non-blank line with `model` within the allowed labels.
pub fn decide(model: &Model, feats: &[Vec<Feat>], allowed: &[u32]) -> Vec<Label> {
    model
        .decode(feats, &|i, y| {
            allowed.get(i).is_none_or(|m| m & (1 << y) != 0)
        })
        .into_iter()
        .map(Label::from_index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_models_load() {
        for cjk in [true, false] {
            assert!(
                builtin(cjk).is_some(),
                "the built-in model (cjk: {cjk}) must load"
            );
        }
    }
}
