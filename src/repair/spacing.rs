//! Spacing: letter-spaced runs close up, spaces between digits and CJK characters go, and so do
//! spaces beside the full-width marks of CJK text.
//!
//! Spaces that carry meaning stay: between names of a byline or credit, between a place tag and
//! a title, between the two phrases of a title, and between Latin words.

use crate::fix::{Fix, HY003, SP001, SP002, SP003, SP004};
use crate::grammar::{Grammar, PatternKind};
use crate::parse::{chars, Shape};
use crate::source::Page;
use crate::Options;

/// A maximal run of non-space characters and the spaces after it.
struct Tok {
    /// Byte range of the token in the page.
    start: usize,
    end: usize,
    /// Characters in the token.
    n: usize,
    first: char,
    last: char,
    /// Byte end of the spaces that follow (== end when none).
    gap_end: usize,
    gap_len: usize,
}

fn toks(page: &Page, s: &Shape) -> Vec<Tok> {
    let text = &page.text[s.span.clone()];
    let base = s.span.start;
    let mut out: Vec<Tok> = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if chars::is_space(c) {
            if let Some(t) = out.last_mut() {
                t.gap_end = base + i + c.len_utf8();
                t.gap_len += 1;
            }
            continue;
        }
        let mut t = Tok {
            start: base + i,
            end: base + i + c.len_utf8(),
            n: 1,
            first: c,
            last: c,
            gap_end: 0,
            gap_len: 0,
        };
        while let Some(&(j, d)) = it.peek() {
            // A sentence end closes a token: `。本报记者` is two tokens, as it will be two blocks.
            if chars::is_space(d)
                || (matches!(t.last, '。' | '！' | '？')
                    && !matches!(d, '”' | '’' | '）' | '」' | '』'))
            {
                break;
            }
            t.end = base + j + d.len_utf8();
            t.n += 1;
            t.last = d;
            it.next();
        }
        t.gap_end = t.end;
        out.push(t);
    }
    out
}

/// A single wide character (CJK or fullwidth punctuation): ASCII punctuation standing alone
/// between spaces is Latin typography (` : .`), not letter spacing.
fn is_single_cjk(t: &Tok) -> bool {
    t.n == 1 && chars::is_wide(t.first)
}

/// A full-width punctuation mark of CJK text (`，。、；：（）《》「」％`), which carries its own
/// spacing. Curly quotes are not (their width depends on the font), nor are the half-width
/// forms from U+FF61 on.
fn is_fullwidth_mark(c: char) -> bool {
    matches!(c as u32, 0x3001..=0x303F | 0xFF01..=0xFF60) && chars::is_punct(c)
}

/// The widest gap beside a full-width mark that SP004 closes, in spaces: a wider one may part
/// two columns read onto one line.
const MAX_MARK_GAP: usize = 2;

fn is_single_letter(t: &Tok) -> bool {
    t.n == 1 && chars::is_latin(t.first)
}

/// Spacing fixes for the page.
pub fn fixes(
    page: &Page,
    shapes: &[Shape],
    grammar: &Grammar,
    _opts: &Options,
    out: &mut Vec<Fix>,
) {
    // On galley text a paragraph line is lines already repaired and joined: letter spacing is
    // judged per source line, so it is not judged again across the joins.
    let galley = page.galley;
    for s in shapes {
        if s.blank() || s.markup.is_some() || s.spaces == 0 {
            continue;
        }
        let ts = toks(page, s);
        if ts.len() < 2 {
            continue;
        }
        let line: Vec<char> = page.text[s.span.clone()].chars().collect();
        let is_byline = s.chars <= 40
            && (grammar.matches(PatternKind::Byline, &line)
                || grammar.matches(PatternKind::Credit, &line));
        let mut closed = vec![false; ts.len()];
        // SP001: runs of single CJK characters or punctuation marks.
        if !is_byline && !galley {
            let mut i = 0;
            while i < ts.len() {
                let mut j = i;
                while j < ts.len() && is_single_cjk(&ts[j]) {
                    j += 1;
                }
                // Two single characters with a space between are letter spacing too: CJK text
                // never separates single characters (names in bylines are left alone above).
                if j - i >= 2 {
                    for k in (i..j - 1).filter(|&k| ts[k].gap_end > ts[k].end) {
                        closed[k] = true;
                        out.push(
                            Fix::edit(&SP001, ts[k].end..ts[k].gap_end, "")
                                .because(format!("run of {} single characters", j - i)),
                        );
                    }
                }
                i = j.max(i + 1);
            }
        }
        // SP003: letter-spaced Latin: runs of at least four single letters (a spaced-out word is
        // never shorter), single spaces close up, wider gaps between spaced words become one.
        let mut i = if galley { ts.len() } else { 0 };
        while i < ts.len() {
            let mut j = i;
            while j < ts.len() && is_single_letter(&ts[j]) {
                j += 1;
            }
            if j - i >= 4 {
                for k in i..j - 1 {
                    if closed[k] || ts[k].gap_end == ts[k].end {
                        continue;
                    }
                    closed[k] = true;
                    let (rep, why) = if ts[k].gap_len == 1 {
                        ("", "letter-spaced Latin")
                    } else {
                        (" ", "word gap of a letter-spaced line")
                    };
                    out.push(Fix::edit(&SP003, ts[k].end..ts[k].gap_end, rep).because(why));
                }
            }
            i = j.max(i + 1);
        }
        // HY003: `gov- ernment` inside a line, when `government` is a word.
        if grammar.has_lexicon() {
            let text = &page.text;
            for k in 0..ts.len() - 1 {
                let (a, b) = (&ts[k], &ts[k + 1]);
                if closed[k] || a.last != '-' || a.gap_len != 1 || !b.first.is_lowercase() {
                    continue;
                }
                let left: String = text[a.start..a.end - 1]
                    .chars()
                    .rev()
                    .take_while(|&c| chars::is_latin(c))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let right: String = text[b.start..b.end]
                    .chars()
                    .take_while(|&c| chars::is_latin(c))
                    .collect();
                if left.chars().count() >= 2
                    && right.chars().count() >= 2
                    && grammar.is_word(&format!("{left}{right}"))
                {
                    closed[k] = true;
                    out.push(
                        Fix::edit(&HY003, a.end - 1..a.gap_end, "")
                            .because(format!("`{left}{right}` is a word of the lexicon")),
                    );
                }
            }
        }
        // SP002: a space between a digit and a CJK character.
        for k in 0..ts.len() - 1 {
            if closed[k] {
                continue;
            }
            let (a, b) = (&ts[k], &ts[k + 1]);
            let digit_cjk = (a.last.is_ascii_digit() && chars::is_cjk(b.first))
                || (chars::is_cjk(a.last) && b.first.is_ascii_digit());
            if digit_cjk && !is_byline {
                closed[k] = true;
                out.push(
                    Fix::edit(&SP002, a.end..a.gap_end, "")
                        .because(format!("`{}` `{}`", a.last, b.first)),
                );
            }
        }
        // SP004: a space beside a full-width mark, or inside `36.5 %`, on a line of CJK text (a
        // full-width mark is CJK typography too: `（ Deep Learn-`). A gap after a sentence end
        // stays (`…完成。 通讯员 甲乙`: it parts a glued byline, the byline rules read it), and
        // so does a wider gap or one of tabs or ideographic spaces (two columns read onto one
        // line).
        if !is_byline
            && !galley
            && line
                .iter()
                .any(|&c| chars::is_cjk(c) || is_fullwidth_mark(c))
        {
            for k in 0..ts.len() - 1 {
                let (a, b) = (&ts[k], &ts[k + 1]);
                let plain_gap = page.text[a.end..a.gap_end]
                    .chars()
                    .all(|c| matches!(c, ' ' | '\u{a0}'));
                if closed[k]
                    || a.gap_len == 0
                    || a.gap_len > MAX_MARK_GAP
                    || !plain_gap
                    || grammar.in_class("sentence_end", a.last)
                {
                    continue;
                }
                let percent = a.last.is_ascii_digit() && matches!(b.first, '%' | '％');
                if percent || is_fullwidth_mark(a.last) || is_fullwidth_mark(b.first) {
                    closed[k] = true;
                    out.push(
                        Fix::edit(&SP004, a.end..a.gap_end, "")
                            .because(format!("`{}` `{}`", a.last, b.first)),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page after the spacing fixes of `text`, and the codes that fired.
    fn spaced(text: &str) -> (String, Vec<&'static str>) {
        let g = Grammar::default_grammar();
        let page = Page::new(1, text);
        let shapes = crate::parse::lines(&page, &g);
        let mut out = Vec::new();
        fixes(&page, &shapes, &g, &Options::default(), &mut out);
        out.sort_by_key(|f| f.span.start);
        let mut s = String::new();
        let mut at = 0;
        for f in &out {
            s.push_str(&text[at..f.span.start]);
            s.push_str(f.after(&page));
            at = f.span.end;
        }
        s.push_str(&text[at..]);
        (s, out.iter().map(|f| f.rule.code).collect())
    }

    #[test]
    fn spaces_beside_fullwidth_marks_close_on_cjk_lines_only() {
        for (before, after) in [
            ("占总数 36.5 % ， 同比增长", "占总数36.5%，同比增长"),
            (
                "机器学习（ Deep Learning ）的发展",
                "机器学习（Deep Learning）的发展",
            ),
            ("某地10月1日电  （记者甲乙）", "某地10月1日电（记者甲乙）"),
            ("（ Deep Learn-", "（Deep Learn-"),
        ] {
            let (s, codes) = spaced(before);
            assert_eq!(s, after, "{before}");
            assert!(codes.contains(&"SP004"), "{before}: {codes:?}");
        }
        // Latin words keep their space; a Latin line keeps `50 %`; curly quotes are no mark; a
        // gap after a sentence end parts a glued byline; a wide gap or a tab parts columns.
        for keep in [
            "the rate rose 50 % in May",
            "两句标题 “另一句”",
            "工程已经完成。 通讯员 甲乙",
            "甲乙丙丁，   戊己庚辛",
            "甲乙丙丁，\t戊己庚辛",
        ] {
            assert_eq!(spaced(keep).0, keep);
        }
    }
}
