//! Column widths: the width each line's column has, from the modal width of its block (CJK) or a
//! high percentile of a window of lines (ragged Latin), and the slack a proportional line may
//! stop short of it and still be full.

use super::lines::{raw_blocks, Line, Role};
use crate::parse::{chars, End};
use crate::repair;

/// Column width per line: the modal width of the raw block around it (blocks of four lines and
/// more), else of the nearest such block, else of the page. For ragged Latin text the width is a
/// high percentile instead, since full lines vary by a word.
pub(super) fn column_widths(lines: &mut [Line], cjk: bool) {
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
pub(super) fn latin_slack(lines: &mut [Line]) {
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
pub(super) const LATIN_WIDTH_PERCENTILE: usize = 90;

/// Lines either side of a line that measure its column in a long Latin block.
pub(super) const LATIN_WINDOW: usize = 12;
