//! Line roles from the grammar: bylines, credits, place tags, jump lines and furniture, bylines
//! glued to a last line, names alone under a title; the layout pass that measures columns first.

use super::headings::headlike;
use super::lines::{chars_of, Line, Role};
use super::model::Label;
use super::widths::{column_widths, latin_slack};
use crate::fix::BY001;
use crate::grammar::{Grammar, PatternKind};
use crate::parse::{chars, End};
use crate::Options;

/// Column widths, slack, rule roles and heading cues of the lines of a raw page.
pub(super) fn layout(lines: &mut [Line], grammar: &Grammar, opts: &Options, cjk: bool) {
    column_widths(lines, cjk);
    if !cjk {
        latin_slack(lines);
    }
    roles(lines, grammar, opts, cjk);
    // Where paragraphs are indented, a line with the paragraph indent starts a paragraph.
    let para_indent = paragraph_indent(lines);
    for l in lines.iter_mut() {
        let para_start = para_indent.is_some_and(|pi| l.shape.indent.abs_diff(pi) <= 1);
        l.headlike = l.role == Role::Text && !para_start && headlike(l, grammar);
    }
    authors_under_titles(lines);
}

/// Short text lines the model calls bylines become bylines (the grammar's patterns are one of
/// its features; names alone and credits in forms the grammar lacks are found this way). A byline
/// belongs to body text: on a page with no body line the label is not taken.
pub(super) fn model_bylines(lines: &mut [Line], labels: &[Option<Label>]) {
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

/// The characters of a line without its spaces.
fn plain(s: &str) -> Vec<char> {
    s.chars().filter(|c| !chars::is_space(*c)).collect()
}

/// Han characters of a name-like line that may be a title's tail: a Chinese name is two or three.
const TAIL_CHARS: std::ops::RangeInclusive<usize> = 2..=3;

/// How often the body text must write the characters across the break: once may be the title's
/// own words repeated in the lead; twice is a word of the story.
const TAIL_JUNCTION_USES: usize = 2;

/// A short line of Han characters read as a byline (names alone, or the model's label) right
/// under a title line that it continues: the title line ends inside a word that the line
/// completes, and the page's body text writes that word at least [`TAIL_JUNCTION_USES`] times
/// (`…加快数字金` / `融改革`: `金融改`, after the surname `融`). A name under a title does not go
/// on with a word of it. The line becomes the title's continuation.
pub(super) fn title_tails(lines: &mut [Line], labels: &mut [Option<Label>], grammar: &Grammar) {
    let body: String = lines
        .iter()
        .zip(labels.iter())
        .filter(|(_, y)| matches!(y, Some(Label::Start | Label::Body)))
        .map(|(l, _)| l.text.as_str())
        .collect();
    let titled = |y: Option<Label>| matches!(y, Some(Label::Title | Label::TitleMore));
    for k in 1..lines.len() {
        if lines[k].role != Role::Byline {
            continue;
        }
        let cs = plain(&lines[k].text);
        if !TAIL_CHARS.contains(&cs.len()) || !cs.iter().all(|&c| chars::is_han(c)) {
            continue;
        }
        // The title line right above (a copy line the doubling repair emptied is no longer
        // among the lines).
        let j = k - 1;
        if lines[j].role != Role::Text || !titled(labels[j]) {
            continue;
        }
        let Some(last) = lines[j].text.trim_end().chars().next_back() else {
            continue;
        };
        if !chars::is_han(last) {
            continue;
        }
        // After a surname the word must go on into the name's second character too (`金融体`),
        // since many surnames end common words (`中` / `华…`: `中华`).
        let surname = grammar
            .list("surname")
            .is_some_and(|l| l.contains(&cs[0].to_string()));
        let junction: String = std::iter::once(last)
            .chain(cs.iter().copied().take(if surname { 2 } else { 1 }))
            .collect();
        if body.matches(junction.as_str()).count() >= TAIL_JUNCTION_USES {
            lines[k].role = Role::Text;
            labels[k] = Some(Label::TitleMore);
        }
    }
}

/// Lines that go on with the byline line above them, which PyMuPDF breaks apart (`本报记者 /
/// 祁嘉润 / 摄`, `通讯员 / 陈海琪吴秋余摄`): a line that is only the end of a photo credit (the
/// grammar's `credit_tail` list), and, under a line that is only a staff title (ending in a word of
/// the `reporter` list), a short line of names (Han characters and name dots, perhaps ending in a
/// credit tail). Returns the lines it changed.
pub(super) fn credit_tails(lines: &mut [Line], grammar: &Grammar) -> Vec<usize> {
    let (Some(tails), Some(reporter)) = (grammar.list("credit_tail"), grammar.list("reporter"))
    else {
        return Vec::new();
    };
    // A staff title alone: a word of the reporter list ends it, within six characters.
    let title_only = |s: &str| {
        let cs = plain(s);
        cs.len() <= 6 && (0..cs.len()).any(|i| reporter.ends_at(&cs, i).contains(&cs.len()))
    };
    let names_only = |s: &str| {
        let cs = plain(s);
        (2..=16).contains(&cs.len()) && cs.iter().all(|&c| chars::is_han(c) || c == '·')
    };
    let mut out = Vec::new();
    for k in 1..lines.len() {
        if lines[k].role != Role::Text || lines[k - 1].role != Role::Byline {
            continue;
        }
        let text = lines[k].text.trim();
        if tails.contains(text) || (title_only(&lines[k - 1].text) && names_only(text)) {
            lines[k].role = Role::Byline;
            out.push(k);
        }
    }
    out
}

/// Furniture with words: text lines that match a furniture pattern as a whole (a folio line with
/// the date, a price, an issue number, `Page 2`), and the masthead above a folio line at the top
/// of the page. (A bare number is furniture only between blank lines: see `roles`.)
/// The page model's features see these lines as text (its weights were fitted so); its decoding
/// gives them the label `O`, and they become furniture after it.
pub(super) fn folio_lines(lines: &[Line], grammar: &Grammar) -> Vec<usize> {
    let mut out: Vec<usize> = (0..lines.len())
        .filter(|&k| {
            let l = &lines[k];
            l.role == Role::Text
                && l.shape.markup.is_none()
                && l.text.chars().any(char::is_alphabetic)
                && grammar.matches(PatternKind::Furniture, &chars_of(&l.text))
        })
        .collect();
    let names = mastheads(lines, &out);
    out.extend(names);
    out.sort_unstable();
    out
}

/// Text lines at most this far from the top of the page may be a masthead.
const MASTHEAD_TOP_LINES: usize = 6;

/// The paper's name in capitals right above a folio line at the top of the page (`THE OMAHA DAILY`
/// over `… THURSDAY, MARCH 3, 1887. NUMBER 258`) is furniture too, not the title of the first
/// article. A capitals line under a folio that opens the page may be the name or the first
/// headline (`FORTY-FIRST CONGRESS.`): it is left to the model.
fn mastheads(lines: &[Line], folios: &[usize]) -> Vec<usize> {
    let top: Vec<usize> = (0..lines.len())
        .filter(|&k| lines[k].role != Role::Blank)
        .take(MASTHEAD_TOP_LINES)
        .collect();
    let folio = |k: usize| folios.contains(&k);
    let name = |k: usize| {
        lines[k].role == Role::Text
            && lines[k].shape.end != End::Hyphen
            && super::headings::is_capitals(&lines[k].text)
    };
    let mut names = Vec::new();
    for (t, &f) in top.iter().enumerate() {
        if !folio(f) {
            continue;
        }
        if let Some(above) = t.checked_sub(1).map(|p| top[p]).filter(|&a| name(a)) {
            names.push(above);
        }
    }
    names
}

/// Bylines, credits, place tags, jump lines and furniture; glued bylines.
pub(super) fn roles(lines: &mut [Line], grammar: &Grammar, opts: &Options, cjk: bool) {
    let n = lines.len();
    for i in 0..n {
        if lines[i].role != Role::Text || lines[i].shape.markup.is_some() {
            continue;
        }
        let cs = chars_of(&lines[i].text);
        let next_blank = i + 1 >= n || lines[i + 1].role == Role::Blank;
        let full = lines[i].shape.width * 5 >= lines[i].w * 4;
        // A byline is short; a full line with text after it is one only where the page model
        // says so (a narrow column's line may read as a credit: `他正在拍` + `摄`). A Chinese
        // byline opens with a staff title (本报记者) and never heads; an English line that reads
        // as one (`BY AUTHORITY.`) may head a proclamation.
        let byline = cs.len() <= 40
            && (cjk || !full || next_blank)
            && grammar.matches(PatternKind::Byline, &cs);
        lines[i].signed = cjk && byline;
        if (!full || next_blank)
            && (byline || (cs.len() <= 40 && grammar.matches(PatternKind::Credit, &cs)))
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

/// Names alone on a line right under a title (only blanks between) with text after them are
/// the byline of a commentary or column (人民日报: title / 李洪兴 / text). A line drawn twice is
/// set bold like the title above it and is that title's tail (two characters that read as a
/// surname and a name, printed twice under a title line printed twice): no
/// byline of the dev and seed pages is drawn twice.
pub(super) fn authors_under_titles(lines: &mut [Line]) {
    let n = lines.len();
    for i in 0..n {
        if !lines[i].author || lines[i].role != Role::Text || lines[i].undoubled {
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
pub(super) fn paragraph_indent(lines: &[Line]) -> Option<usize> {
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
