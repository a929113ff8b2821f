//! Doubled runs across a stack of lines: an extractor that reads a fake-bold heading glyph run by
//! glyph run (PyMuPDF) prints each run twice but breaks lines between and inside the copies:
//!
//! ```text
//! 春风
//! 春风“吹绿
//! 吹绿” 山乡
//! 山乡“换
//! 新颜
//! 新颜”
//! ```
//!
//! No line decomposes on its own, and marks drawn in another face (quotes, `·`) or a lost glyph
//! appear once. Read together, the lines are doubled units with a few single marks between them.
//! A stack starts where a line begins with the text the previous line ends with (the second
//! copy of a run follows its first copy across the break); the lines are undoubled together when
//! doubled units of two or more characters cover nearly all of them, and the first copy of each
//! unit stays where it is.

use std::ops::Range;

use super::doubled::two_mark_sign;
use crate::fix::{Fix, DR001};
use crate::parse::{chars, Shape};
use crate::source::Page;

/// Lines in one stack at most (two titles of three lines drawn twice, one under the other).
const MAX_LINES: usize = 16;
/// A line longer than this (in characters) is never part of a stack.
const MAX_LINE_CHARS: usize = 80;

/// One step of the cover: a doubled unit `x x` or a single character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Unit(usize, usize),
    Single(usize),
}

/// Cover `s` with doubled units and single characters at the least cost: a unit costs 1, a single
/// mark (space, quote, punctuation) 1 and a single letter or digit 3, so units are preferred and,
/// among them, the fewest. `breaks[i]` says a line ends before character `i`. A unit of Latin
/// letters is whole words: it starts and ends at a word boundary (a line break is one), so that
/// `ss` in `Ross` is never a unit.
fn cover(s: &[char], breaks: &[bool]) -> Vec<Step> {
    let n = s.len();
    let latin = |c: char| c.is_alphabetic() && !chars::is_wide(c);
    let boundary = |i: usize| i == 0 || i == n || breaks[i] || !latin(s[i - 1]) || !latin(s[i]);
    let mut cost = vec![usize::MAX; n + 1];
    let mut back = vec![Step::Single(0); n + 1];
    cost[0] = 0;
    for i in 0..n {
        if cost[i] == usize::MAX {
            continue;
        }
        let single = if s[i].is_alphanumeric() { 3 } else { 1 };
        if cost[i] + single < cost[i + 1] {
            cost[i + 1] = cost[i] + single;
            back[i + 1] = Step::Single(i);
        }
        for l in 1..=(n - i) / 2 {
            // Spaces never open or close a unit; a two-mark ellipsis or dash is no unit.
            if chars::is_space(s[i]) || chars::is_space(s[i + l - 1]) {
                continue;
            }
            // Nor is a doubled letter or digit (`多多`, `2011`, `Ross`): only marks (`““`).
            if l == 1 && (leader_mark(s[i]) || s[i].is_alphanumeric()) {
                continue;
            }
            let whole_words = (!latin(s[i]) || boundary(i))
                && (!latin(s[i + l - 1]) || (boundary(i + l) && boundary(i + 2 * l)));
            if !whole_words {
                continue;
            }
            if s[i..i + l] == s[i + l..i + 2 * l] && cost[i] + 1 < cost[i + 2 * l] {
                cost[i + 2 * l] = cost[i] + 1;
                back[i + 2 * l] = Step::Unit(i, l);
            }
        }
    }
    let mut steps = Vec::new();
    let mut i = n;
    while i > 0 {
        let step = back[i];
        steps.push(step);
        i = match step {
            Step::Unit(a, _) | Step::Single(a) => a,
        };
    }
    steps.reverse();
    steps
}

/// Is the cover the trace of text drawn twice? Doubled units cover at least four fifths of the
/// letters and digits, and there are two units of two or more characters, one of them of three,
/// or a unit of three whose copies meet at a line break (`是基础` / `是基础”`).
fn doubled_enough(s: &[char], breaks: &[bool], steps: &[Step]) -> bool {
    let letters = s.iter().filter(|c| c.is_alphanumeric()).count();
    let mut covered = 0;
    let mut units = 0;
    let mut longest = 0;
    let mut across = false;
    for step in steps {
        if let Step::Unit(i, l) = *step {
            covered += 2 * s[i..i + l].iter().filter(|c| c.is_alphanumeric()).count();
            if l >= 2 {
                units += 1;
                longest = longest.max(l);
            }
            across |= l >= 3 && breaks[i + l];
        }
    }
    ((units >= 2 && longest >= 3) || across) && 5 * covered >= 4 * letters
}

/// The longest run (two characters or more) that line `b` begins with and line `a` ends with.
fn overlap(a: &[char], b: &[char]) -> Option<usize> {
    (2..=a.len().min(b.len()))
        .rev()
        .find(|&k| a[a.len() - k..] == b[..k])
}

/// Does line `b` begin with the text line `a` ends with?
fn linked(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    overlap(&a, &b).is_some()
}

/// Could the line be part of a stack?
fn eligible(s: &Shape) -> bool {
    !s.blank() && s.markup.is_none() && s.chars <= MAX_LINE_CHARS
}

/// Undoubling fixes for stacks of lines; lines `touched` already has fixes are left alone.
pub fn fixes(
    page: &Page,
    shapes: &[Shape],
    out: &mut Vec<Fix>,
    touched: &dyn Fn(&[Fix], &Shape) -> bool,
) {
    let text = |s: &Shape| &page.text[s.span.clone()];
    let n = shapes.len();
    let ok: Vec<bool> = shapes
        .iter()
        .map(|s| eligible(s) && !touched(out, s))
        .collect();
    let link: Vec<bool> = (1..n)
        .map(|i| ok[i - 1] && ok[i] && linked(text(&shapes[i - 1]), text(&shapes[i])))
        .collect();
    let mut i = 0;
    while i + 1 < n {
        if !link[i] {
            i += 1;
            continue;
        }
        // The stack: linked lines, bridging one unlinked break between linked ones, and one
        // line either side (a lone first copy, a lone last unit).
        let mut end = i + 1;
        while end + 1 < n && end + 1 - i < MAX_LINES {
            if link[end] || (ok[end + 1] && end + 2 < n && link[end + 1]) {
                end += 1;
            } else {
                break;
            }
        }
        let start = if i > 0 && ok[i - 1] { i - 1 } else { i };
        let end = if end + 1 < n && ok[end + 1] && end + 1 - start < MAX_LINES {
            end + 1
        } else {
            end
        };
        match best_stack(page, shapes, start, end, i) {
            Some((a, b, steps, cs)) => {
                emit(shapes, a, b, &steps, &cs, out);
                i = b + 1;
            }
            None => i += 1,
        }
    }
    copies_at_breaks(page, shapes, &ok, out, touched);
}

/// A sign written with two marks, or a leader dot: a pair of them is no doubled unit.
fn leader_mark(c: char) -> bool {
    two_mark_sign(c) || c == '.'
}

/// Is `c` a mark an extractor draws twice with a heading (a quote, a middle dot)?
fn mark(c: char) -> bool {
    !c.is_alphanumeric() && !chars::is_space(c) && !leader_mark(c)
}

/// Where an extractor removed most of a heading's second copies itself (pdftotext), only the
/// copies that straddle a line break stay: a line ends with a run and the next line starts with
/// it again (`“长街夜市` / `长街夜市··灯火` / `通明`). The second copy goes when the break itself
/// says the heading was drawn twice: one of the two lines is the run alone (but for quotes), or a
/// doubled mark follows the second copy (`是基础` / `是基础””`, `从“多少年` / `多少年””感`).
/// A doubled mark right after the removed copy is halved too. What the rule cut from a line's
/// start no longer counts: after the cut the line may be the next break's run alone
/// (`ABC` / `ABC甲乙丙` / `甲乙丙 丁戊`: both second copies go).
fn copies_at_breaks(
    page: &Page,
    shapes: &[Shape],
    ok: &[bool],
    out: &mut Vec<Fix>,
    touched: &dyn Fn(&[Fix], &Shape) -> bool,
) {
    let quote_or_space = |c: char| mark(c) || chars::is_space(c);
    // Where this rule cut the start of a line (line index → end of the cut): the line's end can
    // still be the first copy of the next break's run (`迎接` / `迎接““新春` / `新春””，走访`).
    let mut cut: Option<(usize, usize)> = None;
    for k in 1..shapes.len() {
        let (a, b) = (&shapes[k - 1], &shapes[k]);
        let a_cut_here = cut.is_some_and(|(line, _)| line == k - 1);
        if !ok[k - 1] || !ok[k] || (touched(out, a) && !a_cut_here) || touched(out, b) {
            continue;
        }
        let (ta, tb) = (&page.text[a.span.clone()], &page.text[b.span.clone()]);
        let ca: Vec<char> = ta.chars().collect();
        let cb: Vec<char> = tb.chars().collect();
        let Some(x) = overlap(&ca, &cb) else {
            continue;
        };
        // What this rule cut from the start of line `a`, if anything (byte end of the cut).
        let cut_end = cut.filter(|_| a_cut_here).map(|(_, end)| end);
        // The run's first copy must lie after what was cut from line `a`.
        if let Some(cut_end) = cut_end {
            let run_bytes: usize = ca[ca.len() - x..].iter().map(|c| c.len_utf8()).sum();
            if a.span.end - run_bytes < cut_end {
                continue;
            }
        }
        let run = &cb[..x];
        if run.iter().any(|c| chars::is_space(*c)) {
            continue;
        }
        let letters = run.iter().filter(|c| c.is_alphanumeric()).count();
        let rest = &cb[x..];
        // What this rule cut from the start of line `a` is gone: the line can be the run alone
        // after it (`ABC` / `ABC甲乙丙` / `甲乙丙 丁戊`).
        let kept_from = cut_end.map_or(0, |end| {
            page.text[a.span.start..end.min(a.span.end)].chars().count()
        });
        let whole_a = ca[kept_from.min(ca.len() - x)..ca.len() - x]
            .iter()
            .all(|c| quote_or_space(*c));
        let whole_b = rest.iter().all(|c| quote_or_space(*c));
        let doubled_mark = rest.len() >= 2 && rest[0] == rest[1] && mark(rest[0]);
        let enough = if whole_a || whole_b {
            letters >= 2
        } else {
            doubled_mark && letters >= 3
        };
        if !enough {
            continue;
        }
        let gone: usize = run.iter().map(|c| c.len_utf8()).sum::<usize>()
            + if doubled_mark { rest[0].len_utf8() } else { 0 };
        let why =
            format!(
            "line {} starts with the `{}` line {} ends with{}: a heading drawn twice, its copies \
             broken across the lines",
            b.no,
            run.iter().collect::<String>(),
            a.no,
            if doubled_mark { ", and a doubled mark follows it" } else { "" }
        );
        out.push(Fix::edit(&DR001, b.span.start..b.span.start + gone, "").because(why));
        cut = Some((k, b.span.start + gone));
    }
}

/// A stack's characters, each with the line it is on (spaces between lines are not added: the
/// copies run on across the break).
fn stack_chars(page: &Page, shapes: &[Shape], a: usize, b: usize) -> Vec<(usize, usize, char)> {
    let mut out = Vec::new();
    for (k, s) in shapes.iter().enumerate().take(b + 1).skip(a) {
        let base = s.span.start;
        out.extend(
            page.text[s.span.clone()]
                .char_indices()
                .map(|(off, c)| (k, base + off, c)),
        );
    }
    out
}

type Stack = (usize, usize, Vec<Step>, Vec<(usize, usize, char)>);

/// The longest sub-stack of lines `start..=end` that holds the linked break after line `seed` and
/// is doubled enough.
fn best_stack(
    page: &Page,
    shapes: &[Shape],
    start: usize,
    end: usize,
    seed: usize,
) -> Option<Stack> {
    let mut best: Option<Stack> = None;
    for a in start..=seed {
        for b in (seed + 1..=end).rev() {
            if best.as_ref().is_some_and(|x| x.1 - x.0 >= b - a) {
                break;
            }
            let cs = stack_chars(page, shapes, a, b);
            let plain: Vec<char> = cs.iter().map(|c| c.2).collect();
            let breaks: Vec<bool> = (0..plain.len())
                .map(|i| i > 0 && cs[i].0 != cs[i - 1].0)
                .collect();
            let steps = cover(&plain, &breaks);
            if doubled_enough(&plain, &breaks, &steps) {
                let steps = pairs_beside_units(&plain, &breaks, steps);
                best = Some((a, b, steps, cs));
                break;
            }
        }
    }
    best
}

/// In a stack shown drawn twice, a letter standing twice on one line right after or before a
/// doubled unit is drawn twice too (`欢庆建校` / `欢庆建校3030周周`): the
/// cover leaves such pairs as single letters, since a pair alone (`多多`) is no evidence. A
/// word that doubles a letter itself (`看看`) is drawn twice as a unit of its own (`看看看看`).
fn pairs_beside_units(s: &[char], breaks: &[bool], steps: Vec<Step>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    let mut k = 0;
    while k < steps.len() {
        if let (Step::Single(i), Some(&Step::Single(j))) = (steps[k], steps.get(k + 1)) {
            let pair = j == i + 1 && s[i] == s[j] && s[i].is_alphanumeric() && !breaks[j];
            let unit_at = |x: Option<&Step>| matches!(x, Some(Step::Unit(..)));
            let beside = (k > 0 && unit_at(out.last()) && !breaks[i])
                || (unit_at(steps.get(k + 2)) && j + 1 < s.len() && !breaks[j + 1]);
            if pair && beside {
                out.push(Step::Unit(i, 1));
                k += 2;
                continue;
            }
        }
        out.push(steps[k]);
        k += 1;
    }
    out
}

/// One edit per line of the stack whose text changes: the second copy of every unit goes.
fn emit(
    shapes: &[Shape],
    a: usize,
    b: usize,
    steps: &[Step],
    cs: &[(usize, usize, char)],
    out: &mut Vec<Fix>,
) {
    let mut keep = vec![true; cs.len()];
    let units = steps.iter().filter(|s| matches!(s, Step::Unit(..))).count();
    for step in steps {
        if let Step::Unit(i, l) = *step {
            keep[i + l..i + 2 * l].iter_mut().for_each(|k| *k = false);
        }
    }
    // A line left with marks alone (`大机遇` / `大机遇”` → `”`) keeps its copy instead: the mark
    // stays on a line with text, as printed.
    for k in a..=b {
        let on = |x: usize| cs[x].0 == k;
        let kept: Vec<usize> = (0..cs.len()).filter(|&x| on(x) && keep[x]).collect();
        if kept.is_empty() || kept.iter().any(|&x| cs[x].2.is_alphanumeric()) {
            continue;
        }
        for step in steps {
            if let Step::Unit(i, l) = *step {
                let second_here = (i + l..i + 2 * l).all(on);
                let first_line = cs[i].0;
                let first_whole = (i..i + l).all(|x| cs[x].0 == first_line);
                if second_here && first_whole && first_line != k {
                    (i..i + l).for_each(|x| keep[x] = false);
                    (i + l..i + 2 * l).for_each(|x| keep[x] = true);
                }
            }
        }
    }
    let why = format!(
        "lines {}–{} together are {} doubled unit(s) with single marks between them: a heading \
         drawn twice, its copies broken across the lines",
        shapes[a].no, shapes[b].no, units
    );
    for (k, s) in shapes.iter().enumerate().take(b + 1).skip(a) {
        let line: Vec<(usize, char, bool)> = cs
            .iter()
            .zip(&keep)
            .filter(|(c, _)| c.0 == k)
            .map(|(c, &kp)| (c.1, c.2, kp))
            .collect();
        if line.iter().all(|c| c.2) {
            continue;
        }
        let kept: String = line.iter().filter(|c| c.2).map(|c| c.1).collect();
        let span: Range<usize> = s.span.clone();
        out.push(Fix::edit(&DR001, span, kept.trim().to_owned()).because(why.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn undouble(s: &str) -> Option<String> {
        let cs: Vec<char> = s.chars().collect();
        let breaks = vec![false; cs.len()];
        let steps = cover(&cs, &breaks);
        doubled_enough(&cs, &breaks, &steps).then(|| {
            let steps = pairs_beside_units(&cs, &breaks, steps.clone());
            steps
                .iter()
                .map(|st| match *st {
                    Step::Unit(i, l) => cs[i..i + l].iter().collect::<String>(),
                    Step::Single(i) => cs[i].to_string(),
                })
                .collect()
        })
    }

    #[test]
    fn single_marks_between_doubled_units() {
        assert_eq!(
            undouble("春风春风“吹绿吹绿” 山乡山乡“换新颜换新颜”").as_deref(),
            Some("春风“吹绿” 山乡“换新颜”")
        );
        assert_eq!(
            undouble("山城年山城年夜市灯会开夜市灯会开幕").as_deref(),
            Some("山城年夜市灯会开幕")
        );
    }

    #[test]
    fn a_pair_beside_a_unit_is_drawn_twice_too() {
        assert_eq!(
            undouble("欢庆建校欢庆建校3030周周年校庆年校庆").as_deref(),
            Some("欢庆建校30周年校庆")
        );
        // A reduplicated word drawn twice is a unit of its own and stays whole.
        assert_eq!(
            undouble("大家来看看大家来看看新城新城").as_deref(),
            Some("大家来看看新城")
        );
    }

    #[test]
    fn text_is_not_doubled() {
        assert_eq!(undouble("清晨的街巷里，卖早点的摊位冒着热气。"), None);
        assert_eq!(undouble("研究研究问题"), None);
        // Letters inside words are no units.
        assert_eq!(undouble("Mississippi Mississippi"), None);
    }

    #[test]
    fn lines_link_by_a_repeated_run() {
        assert!(linked("春风“吹绿", "吹绿” 山乡"));
        assert!(!linked("山乡“换", "新颜"));
    }
}
