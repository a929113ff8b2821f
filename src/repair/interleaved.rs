//! Interleaved copies: a bold title drawn twice with a small offset, read into lines that each
//! hold pieces of both copies.
//!
//! pdfminer sorts the characters of the two copies into text lines by their position, so the
//! copies come out shuffled together: a line can hold the end of one copy's first line and the
//! whole of the other's (`甲乙丙丁` / `甲乙丙丁3030戊己庚` / `戊己庚`), a run drawn twice sits
//! between pieces drawn once (`20302030年…`), and the lines can come in an order that is not the
//! title's. The doubled-run rules of [`super::doubled`] see whole lines or runs doubled in
//! place; these shuffles escape them.
//!
//! A few neighbouring lines are read, in some order, as one text, and that text must be a
//! *shuffle of two copies* of one string: reading it from the start, every character either
//! extends the first copy or repeats the next character the second copy has not repeated yet,
//! and the second copy catches up at the end. The stretch may start after a space of its first
//! line and end before a space of its last (other text on those lines stays); it ends where the
//! copies are level at a line end or before a space, since what follows is another title or a
//! tag. Prose is never two copies of one string shuffled over two lines. Shuffles that the
//! doubled-run rules read whole lines at a time are left to them: some piece must hold a run
//! drawn twice in place between pieces of the copies, or lie on a line another shuffle took
//! part of (the line rules no longer see the rest of it). A shuffle must read the line whose
//! copy started the search, which must be display type, not body text running on.

use std::ops::Range;

use crate::fix::{Fix, DR003};
use crate::grammar::Grammar;
use crate::parse::{chars, Shape};
use crate::source::Page;

use super::doubled::{candidate, decompose};

/// Lines read together: the line a search starts at and up to this many non-blank lines on each
/// side of it.
const WINDOW: usize = 3;
/// Blank lines allowed between two lines of one window (pdfminer sets text boxes apart).
const MAX_GAP: usize = 2;
/// The search's budget of steps for one start. Reading second-copy characters first finds the
/// shuffles of the dev pages well within it (budgets of 200 and 4,000 find the same); it bounds
/// pages full of repeated characters.
const BUDGET: usize = 400;
/// The title found must hold this many letters (Han characters, letters, digits), two of them
/// Han: a shorter string drawn twice is the doubled-run rules' case.
const MIN_LETTERS: usize = 4;

/// A piece of one line that a shuffle reads: its characters `from..to` of what is left of the
/// line to read (its text without the pieces earlier shuffles took, trimmed), and how many of
/// them extend the first copy (`a`) or repeat it (`b`).
#[derive(Clone, Copy, Debug)]
struct Piece {
    line: usize,
    from: usize,
    to: usize,
    a: usize,
    b: usize,
    /// The copy the last character read went to (1 first, 2 second), and how often that
    /// changed inside the piece.
    last: u8,
    switches: u8,
}

/// A shuffle found: the title, the pieces in reading order, and how many characters it reads.
#[derive(Clone, Debug)]
struct Found {
    title: Vec<char>,
    pieces: Vec<Piece>,
    read: usize,
}

struct Search<'a> {
    lines: &'a [Vec<(usize, char)>],
    /// Lines no other shuffle took part of.
    whole: &'a [bool],
    /// The first copy so far: the title.
    title: Vec<char>,
    /// How much of the title the second copy has repeated.
    repeated: usize,
    pieces: Vec<Piece>,
    used: Vec<bool>,
    /// Characters in the lines not used yet.
    unused: usize,
    steps: usize,
    best: Option<Found>,
}

fn letter(c: char) -> bool {
    // Han first: the general test is slow on CJK text.
    chars::is_han(c) || c.is_alphanumeric()
}

impl Search<'_> {
    /// Characters left to read in the current line from `pos` and in the lines not used yet.
    fn left(&self, li: usize, pos: usize) -> usize {
        self.lines[li].len() - pos + self.unused
    }

    fn offer(&mut self) {
        if self.pieces.len() < 2 {
            return;
        }
        let letters = self.title.iter().filter(|&&c| letter(c)).count();
        let han = self.title.iter().filter(|&&c| chars::is_han(c)).count();
        if letters < MIN_LETTERS || han < 2 {
            return;
        }
        // Left to the doubled-run rules: every piece a whole line that is one copy's, or
        // doubled in place on its own (`甲乙甲乙` / `丙丙`).
        let in_place = |p: &Piece| {
            let all = self.whole[p.line] && p.from == 0 && p.to == self.lines[p.line].len();
            all && (p.a == 0 || p.b == 0 || {
                let cs: Vec<char> = self.lines[p.line][p.from..p.to]
                    .iter()
                    .map(|c| c.1)
                    .filter(|c| !chars::is_space(*c))
                    .collect();
                (cs.len() == 2 && cs[0] == cs[1]) || decompose(&cs).is_some()
            })
        };
        if self.pieces.iter().all(in_place) {
            return;
        }
        // And some piece must hold a run drawn twice in place between pieces of the copies
        // (`甲乙3030丙丁`: the copy changes twice inside it), or lie on a line another shuffle
        // took part of (the line rules no longer see the rest). Whole lines of one copy merged
        // with the other's (`<line>` / `<line><tag>` / `<tag>`) are the line rules' case.
        if self
            .pieces
            .iter()
            .all(|p| p.switches < 2 && self.whole[p.line])
        {
            return;
        }
        let read: usize = self.pieces.iter().map(|p| p.a + p.b).sum();
        if self.best.as_ref().is_some_and(|b| b.read >= read) {
            return;
        }
        let mut title = self.title.clone();
        while title.last().is_some_and(|c| chars::is_space(*c)) {
            title.pop();
        }
        self.best = Some(Found {
            title,
            pieces: self.pieces.clone(),
            read,
        });
    }

    fn step(&mut self, li: usize, pos: usize) {
        self.steps += 1;
        if self.steps > BUDGET {
            return;
        }
        let level = self.repeated == self.title.len();
        // The second copy can only catch up on what is left to read.
        if self.title.len() - self.repeated > self.left(li, pos) {
            return;
        }
        let line = &self.lines[li];
        if pos == line.len() {
            // The copies level at a line end: the title ends here. What follows is the next
            // title, or this one's last line drawn twice in place (the doubled-run rules).
            if level {
                self.offer();
                return;
            }
            for next in 0..self.lines.len() {
                if self.used[next] {
                    continue;
                }
                self.used[next] = true;
                self.unused -= self.lines[next].len();
                self.pieces.push(Piece {
                    line: next,
                    from: 0,
                    to: 0,
                    a: 0,
                    b: 0,
                    last: 0,
                    switches: 0,
                });
                self.step(next, 0);
                self.pieces.pop();
                self.unused += self.lines[next].len();
                self.used[next] = false;
            }
            return;
        }
        let c = line[pos].1;
        // A line taken up while the second copy lags behind goes on with it: the copy that is
        // behind is the one the next line of the page holds, so its first character repeats.
        if pos == 0 && !level {
            if self.title[self.repeated] == c {
                self.repeated += 1;
                self.advance(li, pos, false);
                self.repeated -= 1;
            }
            return;
        }
        if chars::is_space(c) && level {
            // The stretch may end before a space; it never goes on through one with the copies
            // level: what follows is another title set beside it, or a tag.
            self.offer();
            return;
        }
        if self.repeated < self.title.len() && self.title[self.repeated] == c {
            self.repeated += 1;
            self.advance(li, pos, false);
            self.repeated -= 1;
        }
        self.title.push(c);
        self.advance(li, pos, true);
        self.title.pop();
    }

    /// Read the character at `pos` into the first copy (`first`) or the second, and go on.
    fn advance(&mut self, li: usize, pos: usize, first: bool) {
        let saved = *self.pieces.last().expect("a piece is open");
        let p = self.pieces.last_mut().expect("a piece is open");
        p.to = pos + 1;
        let copy = if first {
            p.a += 1;
            1
        } else {
            p.b += 1;
            2
        };
        if p.last != 0 && copy != p.last {
            p.switches = p.switches.saturating_add(1);
        }
        p.last = copy;
        self.step(li, pos + 1);
        *self.pieces.last_mut().expect("a piece is open") = saved;
    }
}

/// The best shuffle of two copies that starts in `lines[start]` at character `from`.
fn search(
    lines: &[Vec<(usize, char)>],
    whole: &[bool],
    start: usize,
    from: usize,
) -> Option<Found> {
    let mut s = Search {
        lines,
        whole,
        title: Vec::new(),
        repeated: 0,
        pieces: vec![Piece {
            line: start,
            from,
            to: from,
            a: 0,
            b: 0,
            last: 0,
            switches: 0,
        }],
        used: vec![false; lines.len()],
        unused: lines.iter().map(Vec::len).sum::<usize>() - lines[start].len(),
        steps: 0,
        best: None,
    };
    s.used[start] = true;
    s.step(start, from);
    s.best
}

/// Does a line show a copy (the cheap test before any search)? A run of two letters or more
/// repeated in place (`6060`, `IMFIMF`), or the line's text (three letters or more) found whole
/// in a line of its window, or one of theirs in it.
fn shows_copy<'t>(
    line: &str,
    neighbours: impl Iterator<Item = &'t str>,
    buf: &mut Vec<char>,
) -> bool {
    buf.clear();
    buf.extend(line.chars());
    let cs = &buf[..];
    let n = cs.len();
    // A run `xx` of length l is l letters in a row each equal to the one l further on.
    let in_place = (2..=n / 2).any(|l| {
        let mut run = 0;
        (0..n - l).any(|j| {
            run = if cs[j] == cs[j + l] && letter(cs[j]) {
                run + 1
            } else {
                0
            };
            run >= l
        })
    });
    let letters = |t: &str| t.chars().filter(|c| letter(*c)).take(3).count() >= 3;
    in_place
        || neighbours.into_iter().any(|other| {
            (other.len() < line.len() && line.contains(other) && letters(other))
                || (line.len() <= other.len() && other.contains(line) && letters(line))
        })
}

/// Interleaved copies of a title (DR003): the pieces a shuffle reads are replaced by the title,
/// written where the first piece was, and the other pieces go.
pub fn fixes(page: &Page, shapes: &[Shape], grammar: &Grammar, mode: usize, out: &mut Vec<Fix>) {
    if page.galley {
        return;
    }
    let max = 4 * grammar.setting("title_max_chars", 40.0) as usize;
    // Non-blank lines with the blank lines before them.
    let mut rows: Vec<(usize, usize)> = Vec::new(); // (shape index, blank lines before)
    let mut gap = 0;
    for (i, s) in shapes.iter().enumerate() {
        if s.blank() {
            gap += 1;
        } else {
            rows.push((i, gap));
            gap = 0;
        }
    }
    // What is left of each line to read: lines or their ends that a shuffle took are gone.
    let mut free: Vec<Range<usize>> = shapes.iter().map(|s| s.span.clone()).collect();
    let mut buf = Vec::new();
    for r in 0..rows.len() {
        let seed = rows[r].0;
        // A seed may hold two shuffles side by side (`<copy> <copy>` of two titles).
        for _ in 0..2 {
            if !readable(page, &shapes[seed], &free[seed], max) {
                break;
            }
            // Body text that runs on from the line above is never a title drawn twice.
            let prev = seed.checked_sub(1).map(|p| &shapes[p]);
            if !candidate(&shapes[seed], prev, mode, grammar) {
                break;
            }
            let Some((lo, hi)) = window(page, shapes, &rows, r, &free, max) else {
                break;
            };
            let neighbours = (lo..=hi)
                .filter(|&k| k != r)
                .map(|k| page.text[free[rows[k].0].clone()].trim());
            if !shows_copy(page.text[free[seed].clone()].trim(), neighbours, &mut buf) {
                break;
            }
            let Some(found) = shuffle_near(page, shapes, &rows, (lo, r, hi), &free) else {
                break;
            };
            let (idx, lines, found) = found;
            let title: String = found.title.iter().collect();
            let nos: Vec<String> = found
                .pieces
                .iter()
                .map(|p| shapes[idx[p.line]].no.to_string())
                .collect();
            let why = format!(
                "lines {} read in this order are two copies of `{title}` shuffled together: a \
                 title drawn twice",
                nos.join(", ")
            );
            for (n, p) in found.pieces.iter().enumerate() {
                let l = &lines[p.line];
                let start = l[p.from].0;
                // A piece that ends before a space takes the space with it when it goes.
                let to = if n > 0 && p.to < l.len() && chars::is_space(l[p.to].1) {
                    p.to + 1
                } else {
                    p.to
                };
                let f = &mut free[idx[p.line]];
                let end = l.get(to).map_or(f.end, |c| c.0);
                let replacement = if n == 0 { title.clone() } else { String::new() };
                // A first piece that already reads as the title needs no edit.
                if page.text[start..end] != replacement {
                    out.push(Fix::edit(&DR003, start..end, replacement).because(why.clone()));
                }
                // What is left of the line: the text before the piece, or after it.
                *f = if end >= f.end {
                    f.start..start
                } else {
                    end..f.end
                };
            }
        }
    }
}

/// The characters of a line that are left to read, without the spaces at either end.
fn free_text(page: &Page, free: &Range<usize>) -> Vec<(usize, char)> {
    let t = &page.text[free.clone()];
    let lead = t.len() - t.trim_start().len();
    t.trim()
        .char_indices()
        .map(|(b, c)| (free.start + lead + b, c))
        .collect()
}

/// A shuffle found in a window: the window's shape indices, the characters of its lines that
/// the search read, and the shuffle.
type Window = (Vec<usize>, Vec<Vec<(usize, char)>>, Found);

/// Can line `s` take part in a shuffle: raw text (no galley markup), no longer than `max`
/// characters (a title drawn twice beside other text), with something in `free` left to read?
fn readable(page: &Page, s: &Shape, free: &Range<usize>, max: usize) -> bool {
    !s.blank() && s.markup.is_none() && s.chars <= max && !page.text[free.clone()].trim().is_empty()
}

/// The window around `rows[r]` (shape index, blank lines before) as a range of rows: up to
/// [`WINDOW`] usable lines with something left to read on each side, no wider gap than
/// [`MAX_GAP`] between two of them; `None` when the line stands alone.
fn window(
    page: &Page,
    shapes: &[Shape],
    rows: &[(usize, usize)],
    r: usize,
    free: &[Range<usize>],
    max: usize,
) -> Option<(usize, usize)> {
    let ok = |k: usize| readable(page, &shapes[rows[k].0], &free[rows[k].0], max);
    let mut lo = r;
    while lo > 0 && r - lo < WINDOW && rows[lo].1 <= MAX_GAP && ok(lo - 1) {
        lo -= 1;
    }
    let mut hi = r;
    while hi + 1 < rows.len() && hi - r < WINDOW && rows[hi + 1].1 <= MAX_GAP && ok(hi + 1) {
        hi += 1;
    }
    (hi > lo).then_some((lo, hi))
}

/// The best shuffle in the window `lo..=hi` of rows that reads the seed line `rows[r]`.
fn shuffle_near(
    page: &Page,
    shapes: &[Shape],
    rows: &[(usize, usize)],
    (lo, r, hi): (usize, usize, usize),
    free: &[Range<usize>],
) -> Option<Window> {
    let idx: Vec<usize> = rows[lo..=hi].iter().map(|r| r.0).collect();
    let lines: Vec<Vec<(usize, char)>> = idx.iter().map(|&i| free_text(page, &free[i])).collect();
    // A line some shuffle already took part of.
    let whole: Vec<bool> = idx.iter().map(|&i| free[i] == shapes[i].span).collect();
    // Starts: each line of the window, at its start or after one of its spaces.
    let mut best: Option<Found> = None;
    for (k, l) in lines.iter().enumerate() {
        let starts = std::iter::once(0).chain(
            l.iter()
                .enumerate()
                .filter(|(i, c)| chars::is_space(c.1) && *i + 1 < l.len())
                .map(|(i, _)| i + 1),
        );
        for from in starts {
            // The second copy repeats the first character: it must be there to repeat.
            let first = l[from].1;
            let again = |(m, o): (usize, &Vec<(usize, char)>)| {
                let skip = if m == k { from + 1 } else { 0 };
                o.iter().skip(skip).any(|c| c.1 == first)
            };
            if !lines.iter().enumerate().any(again) {
                continue;
            }
            if let Some(f) = search(&lines, &whole, k, from) {
                let reads_seed = f.pieces.iter().any(|p| p.line == r - lo);
                if reads_seed && best.as_ref().is_none_or(|b| f.read > b.read) {
                    best = Some(f);
                }
            }
        }
    }
    best.map(|f| (idx, lines, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(ls: &[&str]) -> Vec<Vec<(usize, char)>> {
        ls.iter()
            .map(|l| l.char_indices().collect::<Vec<_>>())
            .collect()
    }

    fn title(ls: &[&str]) -> Option<String> {
        let ls = lines(ls);
        let whole = vec![true; ls.len()];
        (0..ls.len())
            .filter_map(|k| search(&ls, &whole, k, 0))
            .max_by_key(|f| f.read)
            .map(|f| f.title.iter().collect())
    }

    #[test]
    fn copies_shuffled_across_lines_are_read_once() {
        let cases: [(&[&str], &str); 4] = [
            // The second line holds the second copy's first line, a run drawn twice and the
            // first copy's second line; the lines come in an order that is not the title's.
            (
                &["乙丙丁戊", "甲子乙丑3030乙丙丁戊", "甲子乙丑"],
                "甲子乙丑30乙丙丁戊",
            ),
            // A run drawn twice before pieces drawn once, the rest on the next line.
            (
                &["20302030年某地博览会开幕", "年某地博览会开幕"],
                "2030年某地博览会开幕",
            ),
            // The shuffle ends where the copies level: two titles drawn twice one under the
            // other are two shuffles, not one.
            (
                &["20302030年某地博览会", "年某地博览会", "东西南北东西南北"],
                "2030年某地博览会",
            ),
            // Text set beside the title after a space stays out of it.
            (
                &["20302030年某地博览会", "年某地博览会 另一标题"],
                "2030年某地博览会",
            ),
        ];
        for (lines, want) in cases {
            assert_eq!(title(lines).as_deref(), Some(want), "{lines:?}");
        }
    }

    #[test]
    fn prose_and_in_place_doubling_are_not_shuffles() {
        // Two lines of prose.
        assert_eq!(title(&["今天我们研究研究这个问题，", "明天再研究。"]), None);
        // A line repeated whole and a line doubled in place are the doubled-run rules' case.
        assert_eq!(title(&["某地公路全线贯通", "某地公路全线贯通"]), None);
        assert_eq!(title(&["老街老街新颜新颜", "再出发再出发"]), None);
        // Whole lines of one copy merged with the other's (`<line>` / `<line><tag>` / `<tag>`):
        // no run is drawn twice in place, and the line rules read it.
        assert_eq!(title(&["某地公路贯通", "某地公路贯通北京", "北京"]), None);
    }
}
