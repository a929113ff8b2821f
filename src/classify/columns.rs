//! Two columns read as one (CO001). When the lines of two neighbouring columns do not share
//! baselines, pdftotext sorts them together by height: a block of its output holds the lines of
//! both columns in turn, and where two lines share a baseline they come out as one line with a
//! space between (`河边的柳树发出新芽， 新建的图书馆已经开`).
//!
//! In a justified CJK column every full line has the same width, so the two columns show as two
//! widths: rows that hold one line of each (a left part of the first width, a space, a right
//! part of the second) are the evidence, and with at least [`MIN_PAIRED_ROWS`] of them in one
//! block, and at least one row in [`PAIRED_SHARE`], the block is read again, column by column.
//! A row that parts gives a line to each column; every other row goes to one column, chosen for
//! the whole block at once (dynamic programming over the two columns' last lines) so that each
//! column reads as text: a full line or a paragraph's last line goes on a paragraph left in
//! mid-sentence, an indented first line follows a paragraph's end, and a line whose first
//! ideograph follows the column's last one as the page writes the pair elsewhere counts a
//! little more. The left column's lines come
//! first, then a column break, then the right column's: every character stays, in a new order,
//! and one structural fix per block records it for review.
//!
//! The scores are an order of preference, not fitted weights (four dev pages show the artifact,
//! too few to fit on): going on as text, then a neutral place, then an unlikely one, then a
//! break in mid-sentence.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use super::lines::{raw_blocks, Line, Role};
use crate::fix::{Fix, CO001};
use crate::grammar::Grammar;
use crate::parse::{self, chars, End};
use crate::source::Page;
use crate::{Applied, Options};

/// Rows holding one line of each column, of the two columns' widths, a block needs before it
/// is read column by column...
pub const MIN_PAIRED_ROWS: usize = 3;
/// ...and the share of its rows they must be at least (one in this many): a long block with a
/// few rows that part at a space (`本报某地电 （记者某某）`) is one column.
pub const PAIRED_SHARE: usize = 8;
/// Rows of the longest block read again: the reading is quadratic in a block's rows, and a
/// pdftotext block of two columns holds a few dozen.
pub const MAX_BLOCK_ROWS: usize = 500;
/// Han characters each part of a paired row needs (a shorter part may be a spaced name).
const MIN_PART_HAN: usize = 5;
/// Cells a full line may differ from its column's width (a digit or a Latin letter is one).
const FULL_SLACK: usize = 1;
/// Cells of a paragraph indent (two ideographs), which extractors drop.
const INDENT: usize = 4;

/// Score of a line that goes on as its column's text (a full line or a last line after a line
/// in mid-sentence; a first line after a paragraph's end).
const GOES_ON: f64 = 1.0;
/// Score of a line that says nothing either way (a short line in mid-paragraph, a one-line
/// paragraph, a column's first line).
const NEUTRAL: f64 = 0.0;
/// Score of a line after a paragraph's end that is not a first line.
const UNLIKELY: f64 = -0.5;
/// Score of a first line after a line in mid-sentence.
const BREAKS_SENTENCE: f64 = -1.0;
/// Added when the junction's two ideographs are a pair the page has elsewhere.
const KNOWN_PAIR: f64 = 0.5;
/// Score of a row too wide for either column, kept in the wider one.
const TOO_WIDE: f64 = -2.0;

/// A column's side.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Left,
    Right,
}

/// Width in cells without spaces: justification spaces are not text.
fn cells(s: &str) -> usize {
    s.chars()
        .filter(|c| !chars::is_space(*c))
        .map(|c| chars::width(c, true))
        .sum()
}

/// The narrowest width `s` may have been set in: a justified line squeezes its full-width
/// punctuation (`、“”（）`) to half a cell pair, so a full line holds more marks than cells.
fn least_cells(s: &str) -> usize {
    let squeezed = s
        .chars()
        .filter(|&c| chars::is_wide(c) && chars::is_punct(c))
        .count();
    cells(s).saturating_sub(squeezed)
}

/// Whether `s`, set at some width between its narrowest and its widest, is `w` cells wide.
fn as_wide_as(s: &str, w: usize) -> bool {
    least_cells(s) <= w + FULL_SLACK && cells(s) + FULL_SLACK >= w
}

/// Cells of the widest token of a letter-spaced line: an ideograph and a mark, or a number.
const SPACED_TOKEN: usize = 4;
/// Tokens a letter-spaced line has at least.
const SPACED_TOKENS: usize = 3;
/// Cells of one ideograph.
const IDEOGRAPH: usize = 2;

/// Letter-spaced text (`春 天 来 到 小 城`): [`SPACED_TOKENS`] tokens or more, none wider
/// than [`SPACED_TOKEN`] cells (`城，`, `2025`). Such a line fills its column with fewer
/// characters.
fn spaced(s: &str) -> bool {
    let mut n = 0;
    for t in s.split(' ').filter(|t| !t.is_empty()) {
        if cells(t) > SPACED_TOKEN {
            return false;
        }
        n += 1;
    }
    n >= SPACED_TOKENS
}

/// Whether a part `c` cells wide is as wide as a column of `w`, or one ideograph short of it.
fn fits_width(c: usize, w: usize) -> bool {
    c <= w + FULL_SLACK && c + IDEOGRAPH + FULL_SLACK >= w
}

/// Whether `s` fits a column `w` cells wide (a letter-spaced line is within two indents of
/// full: its gaps fill the rest).
fn fits(s: &str, w: usize) -> bool {
    least_cells(s) <= w + FULL_SLACK && (!spaced(s) || cells(s) + 2 * INDENT >= w)
}

/// Whether `s` is a full line of a column `w` cells wide.
fn full(s: &str, w: usize) -> bool {
    as_wide_as(s, w) || (spaced(s) && fits(s, w))
}

/// A row of a block: its raw text, and the byte offsets of its single spaces between two
/// visible characters that no repair edits: where it may part.
struct RowText<'p> {
    text: &'p str,
    gaps: Vec<usize>,
}

impl<'p> RowText<'p> {
    fn new(text: &'p str, repaired: impl Fn(usize) -> bool) -> RowText<'p> {
        let b = text.as_bytes();
        let gaps = (1..b.len().saturating_sub(1))
            .filter(|&i| b[i] == b' ' && b[i - 1] != b' ' && b[i + 1] != b' ' && !repaired(i))
            .collect();
        RowText { text, gaps }
    }
}

fn han(s: &str) -> usize {
    s.chars().filter(|c| chars::is_han(*c)).count()
}

/// A row with one gap whose both parts are text of some length: a line of each column.
fn paired(row: &RowText) -> Option<(usize, usize)> {
    let s = row.text;
    match row.gaps[..] {
        [g] if han(&s[..g]) >= MIN_PART_HAN && han(&s[g + 1..]) >= MIN_PART_HAN => {
            Some((cells(&s[..g]), cells(&s[g + 1..])))
        }
        _ => None,
    }
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Where the row `s` parts into a left line of a `wl`-cell column and a right line of a
/// `wr`-cell one, if it does: the gap that leaves the fullest left part.
fn part(row: &RowText, wl: usize, wr: usize) -> Option<usize> {
    let s = row.text;
    // A row no wider than one column (less slack on either side) is one line: its spaces are
    // a number's or a name's.
    if least_cells(s) <= wl.max(wr) + 2 * FULL_SLACK {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    for &g in &row.gaps {
        let (a, b) = (&s[..g], &s[g + 1..]);
        if han(a) == 0 || han(b) == 0 || !fits(a, wl) || !fits(b, wr) {
            continue;
        }
        // A letter-spaced left line ends where the spaced run does.
        if spaced(a) && !spaced(b) && b.split(' ').next().is_some_and(|t| cells(t) <= IDEOGRAPH) {
            continue;
        }
        let short = if spaced(a) { 0 } else { wl - cells(a).min(wl) };
        if best.is_none_or(|(d, _)| short < d) {
            best = Some((short, g));
        }
    }
    best.map(|(_, g)| g)
}

/// Character pairs of the page, counted inside lines: which character follows which.
struct Pairs(HashMap<(char, char), u32>);

impl Pairs {
    fn of(text: &str) -> Pairs {
        let mut m = HashMap::new();
        for line in text.lines() {
            let mut prev: Option<char> = None;
            for c in line.chars() {
                if chars::is_space(c) {
                    // Not across a space: that may be the gap between two columns.
                    prev = None;
                    continue;
                }
                if let Some(p) = prev {
                    *m.entry((p, c)).or_insert(0) += 1;
                }
                prev = Some(c);
            }
        }
        Pairs(m)
    }

    /// Whether line `b` reads on from line `a`: the two ideographs at the junction are a pair
    /// the page has inside a line (a mark at the junction says nothing).
    fn joins(&self, a: &str, b: &str) -> bool {
        match (
            a.chars().rev().find(|c| !chars::is_space(*c)),
            b.chars().next(),
        ) {
            (Some(x), Some(y)) if chars::is_han(x) && chars::is_han(y) => {
                self.0.get(&(x, y)).is_some_and(|&n| n > 0)
            }
            _ => false,
        }
    }
}

/// How well line `s` goes on a column `w` cells wide whose last line is `last`: `None` when it
/// is too wide for the column. A paragraph goes on after a full line that ends mid-sentence (a
/// full line, or a shorter last line); an indented first line follows a paragraph's end.
fn fit(s: &str, w: usize, last: Option<&str>, pairs: &Pairs, grammar: &Grammar) -> Option<f64> {
    // The grammar's sentence stops, closing quotes and brackets after them included.
    let ends_sentence = |t: &str| matches!(parse::ending(t.trim_end(), grammar), End::Sentence);
    if least_cells(s) > w + FULL_SLACK {
        return None;
    }
    let Some(last) = last else {
        return Some(NEUTRAL);
    };
    // A paragraph's first line is one indent short of the column.
    let first = |t: &str| !spaced(t) && as_wide_as(t, w.saturating_sub(INDENT));
    let open = (full(last, w) || first(last)) && !ends_sentence(last);
    let start = first(s);
    let ends = ends_sentence(s);
    let score = match (open, full(s, w), start, ends) {
        // Going on: a full line, or the paragraph's last line.
        (true, true, _, _) | (true, false, _, true) => GOES_ON,
        // A first line cannot follow a line that ends mid-sentence.
        (true, false, true, false) => BREAKS_SENTENCE,
        (true, false, false, false) => NEUTRAL,
        // A first line that also ends its paragraph is a paragraph of one line.
        (false, _, true, true) => NEUTRAL,
        (false, _, true, false) => GOES_ON,
        (false, _, false, _) => UNLIKELY,
    };
    let joins = if open && pairs.joins(last, s) {
        KNOWN_PAIR
    } else {
        0.0
    };
    Some(score + joins)
}

/// The pieces of one row: the whole row, or its left and right lines.
enum Row {
    One,
    Two(usize),
}

/// The side each piece of a block's rows goes to: (row, byte range in the row, side). Rows
/// that part give a line to each column; every other row goes to one column, chosen for the
/// whole block at once (dynamic programming over each column's last line) so that each column
/// reads on as text.
fn assign(
    texts: &[RowText],
    wl: usize,
    wr: usize,
    pairs: &Pairs,
    grammar: &Grammar,
) -> Vec<(usize, Range<usize>, Side)> {
    let parts: Vec<Row> = texts
        .iter()
        .map(|r| part(r, wl, wr).map_or(Row::One, Row::Two))
        .collect();
    let rows: Vec<&str> = texts.iter().map(|r| r.text).collect();
    // A column's line in row `k`.
    let piece = |k: usize, side: Side| -> &str {
        match (&parts[k], side) {
            (Row::One, _) => rows[k],
            (Row::Two(g), Side::Left) => &rows[k][..*g],
            (Row::Two(g), Side::Right) => &rows[k][*g + 1..],
        }
    };
    // State: the rows of each column's last line; value: score and the state before.
    type State = (Option<usize>, Option<usize>);
    let mut steps: Vec<BTreeMap<State, (f64, State)>> = Vec::with_capacity(rows.len());
    let start: BTreeMap<State, (f64, State)> =
        BTreeMap::from([((None, None), (0.0, (None, None)))]);
    for k in 0..rows.len() {
        let prev = steps.last().unwrap_or(&start);
        let mut next: BTreeMap<State, (f64, State)> = BTreeMap::new();
        let mut offer = |st: State, v: f64, from: State| {
            if next.get(&st).is_none_or(|e| v > e.0) {
                next.insert(st, (v, from));
            }
        };
        for (&(l, r), &(v, _)) in prev {
            let lastl = l.map(|i| piece(i, Side::Left));
            let lastr = r.map(|i| piece(i, Side::Right));
            match parts[k] {
                Row::Two(_) => {
                    let a = fit(piece(k, Side::Left), wl, lastl, pairs, grammar).unwrap_or(NEUTRAL);
                    let b =
                        fit(piece(k, Side::Right), wr, lastr, pairs, grammar).unwrap_or(NEUTRAL);
                    offer((Some(k), Some(k)), v + a + b, (l, r));
                }
                Row::One => {
                    let a = fit(rows[k], wl, lastl, pairs, grammar);
                    let b = fit(rows[k], wr, lastr, pairs, grammar);
                    if let Some(a) = a {
                        offer((Some(k), r), v + a, (l, r));
                    }
                    if let Some(b) = b {
                        offer((l, Some(k)), v + b, (l, r));
                    }
                    // A row too wide for both columns stays with the wider one.
                    match (a, b) {
                        (None, None) if wl >= wr => offer((Some(k), r), v + TOO_WIDE, (l, r)),
                        (None, None) => offer((l, Some(k)), v + TOO_WIDE, (l, r)),
                        _ => {}
                    }
                }
            }
        }
        steps.push(next);
    }
    // Back from the best final state: each row's side is the column whose last line it became.
    let mut st = steps
        .last()
        .unwrap_or(&start)
        .iter()
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then_with(|| b.0.cmp(a.0)))
        .map(|(s, _)| *s)
        .unwrap_or((None, None));
    let mut sides = vec![Side::Left; rows.len()];
    for k in (0..rows.len()).rev() {
        if st.1 == Some(k) && st.0 != Some(k) {
            sides[k] = Side::Right;
        }
        st = steps[k][&st].1;
    }
    let mut out = Vec::new();
    for (k, s) in rows.iter().enumerate() {
        match parts[k] {
            Row::Two(g) => {
                out.push((k, 0..g, Side::Left));
                out.push((k, g + 1..s.len(), Side::Right));
            }
            Row::One => out.push((k, 0..s.len(), sides[k])),
        }
    }
    out
}

/// Whether `f` is a spacing fix that removes the one space at `at` and nothing else.
fn closes_space(f: &Fix, at: usize) -> bool {
    f.rule.code.starts_with("SP") && f.span == (at..at + 1) && f.replacement.as_deref() == Some("")
}

/// The columns of a page read again: its lines in reading order, a CO001 fix per block read
/// again, and the spaces that part two columns' lines (a spacing fix there is not one).
pub(super) struct Unwoven {
    pub(super) lines: Vec<Line>,
    pub(super) fixes: Vec<Fix>,
    pub(super) parted: Vec<usize>,
}

impl Unwoven {
    /// `repairs` without the spacing fixes at the spaces that part two columns.
    pub(super) fn keep_repairs(&self, repairs: Vec<Fix>) -> Vec<Fix> {
        repairs
            .into_iter()
            .filter(|f| !self.parted.iter().any(|&at| closes_space(f, at)))
            .collect()
    }
}

/// Read each block of two columns column by column; the fixes record each block read again.
pub(super) fn unweave(
    page: &Page,
    applied: &Applied,
    repairs: &[Fix],
    lines: Vec<Line>,
    grammar: &Grammar,
    opts: &Options,
    cjk: bool,
) -> Unwoven {
    let unchanged = |lines| Unwoven {
        lines,
        fixes: Vec::new(),
        parted: Vec::new(),
    };
    if !cjk || page.galley || !opts.enabled(CO001.code) {
        return unchanged(lines);
    }
    let mut fixes = Vec::new();
    let mut parted = Vec::new();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut done = 0;
    let mut junctions: Option<Pairs> = None;
    for (s, e) in raw_blocks(&lines) {
        let block = &lines[s..e];
        if block.len() > MAX_BLOCK_ROWS || block.iter().any(|l| l.shape.markup.is_some()) {
            continue;
        }
        // Most blocks have no row that could pair, whatever the repairs: look before reading
        // them (a row pairs at a gap with enough text on both sides).
        let paired_rows = block
            .iter()
            .filter(|l| {
                let row = RowText::new(&page.text[l.shape.span.clone()], |_| false);
                row.gaps.iter().any(|&g| {
                    han(&row.text[..g]) >= MIN_PART_HAN && han(&row.text[g + 1..]) >= MIN_PART_HAN
                })
            })
            .count();
        if paired_rows < MIN_PAIRED_ROWS {
            continue;
        }
        // A space inside a repair's edit is no column gap; a space a spacing rule closed on its
        // own (after `，`, between `10` and `月`) may be one.
        let rows: Vec<RowText> = block
            .iter()
            .map(|l| {
                let at = l.shape.span.start;
                RowText::new(&page.text[l.shape.span.clone()], |i| {
                    repairs.iter().any(|f| {
                        f.span.start <= at + i && at + i < f.span.end && !closes_space(f, at + i)
                    })
                })
            })
            .collect();
        let pairs: Vec<(usize, usize)> = rows.iter().filter_map(paired).collect();
        if pairs.len() < MIN_PAIRED_ROWS {
            continue;
        }
        let wl = median(pairs.iter().map(|p| p.0).collect());
        let wr = median(pairs.iter().map(|p| p.1).collect());
        // Rows of two full lines of the two widths (a paragraph's last line is shorter).
        let agree = pairs
            .iter()
            .filter(|p| fits_width(p.0, wl) && fits_width(p.1, wr))
            .count();
        if agree < MIN_PAIRED_ROWS || agree * PAIRED_SHARE < rows.len() {
            continue;
        }
        let junctions = junctions.get_or_insert_with(|| Pairs::of(&page.text));
        let pieces = assign(&rows, wl, wr, junctions, grammar);
        let mut left = Vec::new();
        let mut right = Vec::new();
        let mut gaps = Vec::new();
        for (k, r, side) in pieces {
            let l = &block[k];
            let span = l.shape.span.start + r.start..l.shape.span.start + r.end;
            if side == Side::Right && r.start > 0 {
                gaps.push(span.start - 1);
            }
            // A whole row keeps the shape it was measured with.
            let seg = if span == l.shape.span {
                l.clone()
            } else {
                segment(page, l, span, applied, grammar)
            };
            // A part a repair emptied is gone, as a line it empties is.
            if seg.text.is_empty() {
                continue;
            }
            match side {
                Side::Left => left.push(seg),
                Side::Right => right.push(seg),
            }
        }
        // No row parted after all, or one column is empty: the block stays as it is.
        if gaps.is_empty() || left.is_empty() || right.is_empty() {
            continue;
        }
        parted.extend(gaps);
        let span = block[0].shape.span.start..block[e - s - 1].shape.span.end;
        let note = format!(
            "read as two columns, {} lines of {wl} cells then {} of {wr}",
            left.len(),
            right.len()
        );
        let rows_paired = agree;
        fixes.push(
            Fix::decision(&CO001, span, note)
                .because(format!("{rows_paired} rows hold a line of each column")),
        );
        let brk = blank_at(
            right
                .first()
                .map_or(block[0].shape.span.end, |l| l.shape.span.start),
            &block[0],
        );
        out.extend(lines[done..s].iter().cloned());
        out.extend(left);
        out.push(brk);
        out.extend(right);
        done = e;
    }
    if fixes.is_empty() {
        return unchanged(lines);
    }
    out.extend(lines[done..].iter().cloned());
    Unwoven {
        lines: out,
        fixes,
        parted,
    }
}

/// The line `l` cut to `span` of the page, measured again.
fn segment(
    page: &Page,
    l: &Line,
    span: Range<usize>,
    applied: &Applied,
    grammar: &Grammar,
) -> Line {
    let text = applied
        .slice(span.clone())
        .trim_matches(chars::is_space)
        .to_owned();
    let raw_width = chars::str_width(&page.text[span.clone()], true);
    let mut shape = parse::shape_plain(l.shape.no, span.start, &text, grammar, true);
    // A left part keeps the row's indent; a right part starts at the gap.
    shape.indent = if span.start == l.shape.span.start {
        l.shape.indent
    } else {
        0
    };
    shape.span = span;
    Line {
        shape,
        raw_width,
        text,
        ..l.clone()
    }
}

/// An empty line at `offset`: the break between the two columns.
fn blank_at(offset: usize, like: &Line) -> Line {
    let mut shape = like.shape.clone();
    shape.span = offset..offset;
    shape.width = 0;
    shape.chars = 0;
    shape.han = 0;
    shape.latin = 0;
    shape.digits = 0;
    shape.spaces = 0;
    shape.inner_stops = 0;
    shape.indent = 0;
    shape.end = End::None;
    shape.opens_quote = false;
    Line {
        shape,
        text: String::new(),
        role: Role::Blank,
        glued: None,
        headlike: false,
        undoubled: false,
        ..like.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{clean, render, Options};

    fn cleaned(input: &str) -> (String, Vec<&'static str>) {
        let g = Grammar::default_grammar();
        let doc = clean("t.txt", input, &g, &Options::default());
        let codes = doc.pages[0].fixes.iter().map(|f| f.rule.code).collect();
        (render::text::document(&doc), codes)
    }

    #[test]
    fn two_columns_side_by_side_read_one_after_the_other() {
        // Three rows part; the last row is the right column's alone (it goes on the right
        // column's sentence, while the left one's paragraph has ended).
        let page = "春天来到小城的河边， 新建图书馆已经开\n\
                    柳树发出新芽，游人沿 放，每天接待读者\n\
                    着河堤散步，孩子们放 三百多人次，周末\n\
                    风筝，笑声一片。 还有讲座和展览，\n\
                    欢迎市民参加。\n";
        let (out, codes) = cleaned(page);
        assert_eq!(codes.iter().filter(|c| **c == "CO001").count(), 1, "{out}");
        assert!(
            out.contains(
                "春天来到小城的河边，柳树发出新芽，游人沿着河堤散步，孩子们放风筝，笑声一片。"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "新建图书馆已经开放，每天接待读者三百多人次，周末还有讲座和展览，欢迎市民参加。"
            ),
            "{out}"
        );
        // The space after `河边，` parts two columns: no spacing fix closes it.
        assert!(!codes.iter().any(|c| c.starts_with("SP")), "{codes:?}");
    }

    #[test]
    fn a_column_with_a_few_paired_rows_stays_as_it_is() {
        // Three rows part alike at a space, but they are fewer than one row in eight of the
        // block (35 rows): a column of one width runs through it.
        let text: Vec<char> = "城市更新让老街区焕发了新的活力，居民在家门口就能买菜看病，\
            孩子们放学后有了读书写字的地方，老人们在广场上下棋聊天，街道两旁种上了银杏和\
            桂花，秋天一到满街金黄，傍晚的小巷里飘着饭菜的香味，修好的路灯照亮了回家的路，\
            社区还办起了夜校，教大家用手机挂号缴费，志愿者每周上门看望独居老人，帮他们打\
            扫房间，陪他们说说话，新建的口袋公园成了大家最爱去的地方，有人在那里跳舞，有\
            人在那里遛狗，还有人在长椅上读报，一条老街就这样慢慢换了模样，也留住了烟火气。"
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let text = [text.clone(), text].concat();
        let mut page = String::new();
        for (k, line) in text.chunks(15).enumerate() {
            if k % 10 == 5 {
                page.push_str("老街区焕发新的活力 社区居民纷纷点赞\n");
            }
            page.extend(line);
            page.push('\n');
        }
        let (out, codes) = cleaned(&page);
        assert!(!codes.contains(&"CO001"), "{out}");
        // The rows stay where they stood, their halves together.
        assert!(out.contains("老街区焕发新的活力"), "{out}");
        let first = out.find("老街区焕发新的活力").unwrap();
        assert!(out[first..].find("社区居民纷纷点赞").unwrap() < 40, "{out}");
    }

    #[test]
    fn widths_and_parts() {
        assert_eq!(cells("春 天 来"), 6);
        assert!(spaced("春 天 来 到 小 城"));
        assert!(!spaced("春天来到 小城"));
        let row = |s| RowText::new(s, |_| false);
        assert_eq!(
            paired(&row("春天来到小城的河边， 新建图书馆已经开")),
            Some((20, 16))
        );
        assert_eq!(paired(&row("本报记者 张三")), None);
        // A letter-spaced left line ends where its spaced run does.
        let spaced_row = row("春 天 来 到 小 城 的 河 边 新建图书馆已经开放");
        let g = part(&spaced_row, 20, 20).expect("the row parts");
        assert_eq!(&spaced_row.text[g + 1..], "新建图书馆已经开放");
        // A gap a repair edits is no column gap.
        let text = "春天来到小城的河边， 新建图书馆已经开";
        let at = text.find(' ').unwrap();
        assert!(RowText::new(text, |i| i == at).gaps.is_empty());
    }
}
