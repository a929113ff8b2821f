//! The lines of a page after repairs: text, shape measured again where a repair changed it, and
//! the role each line has before paragraphs are built.

use crate::fix::{Applied, Fix};
use crate::grammar::Grammar;
use crate::parse::{self, chars, End, Shape};
use crate::source::Page;

/// The role of a line before paragraphs are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Blank,
    Text,
    Byline,
    Place,
    Jump,
    Furniture,
    /// OCR noise standing apart from the text (see `noise`).
    Noise,
}

/// Per-line view after repairs.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) shape: Shape,
    pub(super) text: String,
    pub(super) role: Role,
    /// Char index where a glued byline starts, and whether it continues on the next line.
    pub(super) glued: Option<(usize, bool)>,
    pub(super) headlike: bool,
    pub(super) undoubled: bool,
    /// Column width of the line's neighbourhood.
    pub(super) w: usize,
    /// Width of the line as extracted, before repairs (justification spaces included).
    pub(super) raw_width: usize,
    /// The line is names alone (an `author` pattern): a byline if it stands under a title.
    pub(super) author: bool,
    /// The whole line reads as a byline by the grammar's `byline` pattern (`本报记者 张三`),
    /// wherever it stands (Chinese pages): the page model never labels it a title, kicker or
    /// heading line.
    pub(super) signed: bool,
    /// Cells a Latin line may stop short of its column and still be full (proportional type).
    pub(super) slack: usize,
}

/// Each line of the page after repairs, with its shape measured again where a repair changed it.
pub(super) fn repaired_lines(
    page: &Page,
    shapes: &[Shape],
    repairs: &[Fix],
    applied: &Applied,
    grammar: &Grammar,
    cjk: bool,
) -> Vec<Line> {
    // The lines some repairs touched, sorted for lookup.
    let lines_of = |pick: &dyn Fn(&Fix) -> bool| -> Vec<usize> {
        let mut v: Vec<usize> = repairs
            .iter()
            .filter(|f| pick(f))
            .map(|f| page.line_of(f.span.start))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let is_sp004 = |f: &Fix| f.rule.code == crate::fix::SP004.code;
    let undoubled_lines = lines_of(&|f| f.rule.code.starts_with("DR"));
    // Lines whose only repairs closed spaces beside full-width marks (SP004): the spaces were
    // the marks' own printed spacing, so the line keeps the width parse measured.
    let other = lines_of(&|f| !is_sp004(f));
    let spacing_only: Vec<usize> = lines_of(&is_sp004)
        .into_iter()
        .filter(|no| other.binary_search(no).is_err())
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
            if spacing_only.binary_search(&s.no).is_ok() {
                shape.width = s.width;
            }
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
                undoubled: undoubled_lines.binary_search(&s.no).is_ok(),
                w: 0,
                raw_width: s.width,
                author: false,
                signed: false,
                slack: 0,
            }
        })
        .collect();
    // A line a repair emptied (a heading line drawn twice) is gone, not a blank line: the
    // lines around it stay together (fixture `fixtures/DR001/repeated-line`).
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

/// Indexes of the non-blank lines: the sequence the page model labels.
pub(super) fn text_lines(lines: &[Line]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&k| lines[k].role != Role::Blank)
        .collect()
}

pub(super) fn chars_of(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Raw blocks: maximal runs of non-blank lines, as (start, end) line indexes.
pub(super) fn raw_blocks(lines: &[Line]) -> Vec<(usize, usize)> {
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
