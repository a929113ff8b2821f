//! Paragraph breaks inside a run of body lines, from the column-width model: a line that ends a
//! sentence and ended early (the next word would have fit), or a line one indent short after it;
//! the evidence string of each PB001 decision says which.

use super::headings::starts_sentence;
use super::lines::{Line, Role};
use crate::grammar::Grammar;
use crate::parse::{chars, End};

/// Is the line full for its column? A first line is allowed one indent less.
pub(super) fn is_full(l: &Line, first: bool, cjk: bool) -> bool {
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
pub(super) fn too_wide(l: &Line) -> bool {
    l.shape.width * 4 > l.w * 5 && l.shape.width > l.w + 4
}

/// Would the first unit of `b` have fitted at the end of `a`? Then `a` ended early.
pub(super) fn ended_early(a: &Line, b: &Line, cjk: bool, a_first: bool) -> bool {
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

/// Does the line start mid-sentence (the continuation of a run broken elsewhere)?
pub(super) fn starts_mid(l: &Line, cjk: bool) -> bool {
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
pub(super) fn paragraph_break(
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

/// Does the page itself show a paragraph break between lines `a` and `b` (no blank line)? A line
/// that ends a sentence or a colon, the next line indented, or a line clearly short of its column.
/// A break after a line that does none of these (`The Germans attacked on the` ‖ `Somme front`)
/// has no evidence on the page, whatever the model's label says.
///
/// A clearly short line that does not end a sentence ends a paragraph only before a line that
/// opens a sentence: OCR lines vary in width, and `obwohl wir gute` ‖ `Miene zum bösen Spiele` is
/// one sentence.
pub(super) fn has_break_evidence(a: &Line, b: &Line, cjk: bool, grammar: &Grammar) -> bool {
    matches!(a.shape.end, End::Sentence | End::Colon)
        || (b.shape.indent >= 2 && b.shape.indent > a.shape.indent)
        || (ended_early(a, b, cjk, false) && (cjk || starts_sentence(b, grammar)))
}

/// The evidence of a join across a blank line after line `a`, stating only what is true of it;
/// `by_model` when the page model's label (the next line goes on with the paragraph) decided it.
pub(super) fn join_reason(a: &Line, cjk: bool, by_model: bool) -> String {
    let width = if is_full(a, false, cjk) {
        "is full-width"
    } else {
        "stops short of the column"
    };
    let end = match a.shape.end {
        End::Sentence => "ends a sentence",
        End::Colon => "ends with a colon",
        _ => "does not end a sentence",
    };
    let facts = format!("line {} {width} and {end}", a.shape.no);
    if by_model {
        format!("the page model goes on with the paragraph after the blank: {facts}")
    } else {
        facts
    }
}

/// The evidence of a paragraph break between lines `a` and `b`, stating only what is true of
/// the two lines; `by_model` when the page model's label decided it.
pub(super) fn break_reason(a: &Line, b: &Line, cjk: bool, by_model: bool) -> String {
    let mut cues = Vec::new();
    if b.shape.indent >= 2 && b.shape.indent > a.shape.indent {
        cues.push(format!("line {} is indented", b.shape.no));
    }
    cues.push(match a.shape.end {
        End::Sentence => format!("line {} ends a sentence", a.shape.no),
        End::Colon => format!("line {} ends with a colon", a.shape.no),
        _ => format!("line {} does not end a sentence", a.shape.no),
    });
    if ended_early(a, b, cjk, false) {
        cues.push(format!(
            "it stops {} cells short of the column ({})",
            a.w.saturating_sub(a.shape.width),
            a.w
        ));
    } else if b.shape.width + 3 <= b.w && b.shape.width + 7 >= b.w {
        cues.push(format!("line {} is one indent short", b.shape.no));
    }
    let cues = cues.join(", ");
    if by_model {
        format!(
            "the page model starts a paragraph at line {}: {cues}",
            b.shape.no
        )
    } else {
        cues
    }
}
