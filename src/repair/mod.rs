//! Stage 2 — repairs inside lines: doubled runs, letter spacing, spaces around digits, hyphens
//! left inside lines by extractors that merge lines.
//!
//! Contract: [`fixes`] reads the raw page and its shapes and returns text-edit fixes whose spans
//! lie inside single lines and never overlap. Line joins and hyphenation are decided later, when
//! paragraphs are known, by [`join::decide`] (hyphens by [`hyphen::decide`], on the evidence of
//! [`vocab::Vocab`]). Repairs never touch galley's own markup prefixes.

pub mod doubled;
pub mod hyphen;
pub mod interleaved;
pub mod join;
pub mod spacing;
pub mod stacked;
pub mod vocab;

use crate::fix::Fix;
use crate::grammar::Grammar;
use crate::parse::Shape;
use crate::source::Page;
use crate::Options;

/// The modal line width of a page: the width most lines share (±1 cell), ignoring short lines.
pub fn modal_width(widths: impl Iterator<Item = usize>) -> usize {
    let mut hist: Vec<usize> = Vec::new();
    let mut all: Vec<usize> = widths.filter(|&w| w >= 6).collect();
    for &w in &all {
        if hist.len() <= w + 1 {
            hist.resize(w + 2, 0);
        }
        hist[w] += 1;
    }
    let mut best = (0, 0);
    for w in 1..hist.len().saturating_sub(1) {
        let score = hist[w - 1] + 2 * hist[w] + hist[w + 1];
        if score > best.0 {
            best = (score, w);
        }
    }
    // With no two lines agreeing (a tiny page), the median stands in for the mode.
    if best.0 < 4 && !all.is_empty() {
        all.sort_unstable();
        return all[all.len() / 2];
    }
    best.1
}

/// All line-local repairs of a page.
pub fn fixes(page: &Page, shapes: &[Shape], grammar: &Grammar, opts: &Options) -> Vec<Fix> {
    let mut out = Vec::new();
    let mode = modal_width(shapes.iter().map(|s| s.width));
    if opts.enabled("DR") {
        doubled::fixes(page, shapes, grammar, mode, opts, &mut out);
    }
    // In galley text a line is a paragraph, not a line of the page: a lone mark there is a
    // paragraph of its own that galley kept.
    if !page.galley {
        hyphen::lone_marks(page, shapes, grammar, &mut out);
    }
    // Spacing never edits inside a span the doubled-run rules already rewrote.
    let mut sp = Vec::new();
    spacing::fixes(page, shapes, grammar, opts, &mut sp);
    sp.retain(|f| {
        !out.iter()
            .any(|d| f.span.start < d.span.end && d.span.start < f.span.end.max(f.span.start + 1))
    });
    out.extend(sp);
    out.retain(|f| opts.enabled(f.rule.code));
    // A doubled run undone over a whole line keeps the rest of the line outside its span.
    let out: Vec<Fix> = out
        .into_iter()
        .map(|f| {
            if f.rule.code.starts_with("DR") {
                f.narrowed(&page.text)
            } else {
                f
            }
        })
        .collect();
    let mut out = out;
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}
