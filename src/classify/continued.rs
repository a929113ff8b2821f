//! Bodies continued across a break (ST005): a paragraph that ends mid-sentence continues in the
//! next block that starts mid-sentence and shares its words.

use super::lines::Line;
use super::{Block, Kind};
use crate::fix::{Fix, ST005};
use crate::grammar::Grammar;
use crate::parse::{self, End};
use crate::source::Page;

/// A body broken across boxes or columns: a paragraph that ends mid-sentence, with other blocks
/// after it, continues in the next paragraph that starts mid-sentence (full width, not indented,
/// no opening quote), when the two share words and no other broken paragraph comes between.
pub(super) fn continue_bodies(
    page: &Page,
    blocks: &mut Vec<Block>,
    cjk: bool,
    grammar: &Grammar,
    fixes: &mut Vec<Fix>,
) {
    // How a paragraph really ends: its last piece (a glued byline split off included). An
    // editor's note's signature (`——编者`) ends one.
    let ends_mid = |b: &Block| {
        b.pieces.last().is_some_and(|p| {
            let t = page.text[p.clone()].trim_end();
            !t.is_empty()
                && !matches!(parse::ending(t, grammar), End::Sentence)
                && !is_signature(&b.raw(page), grammar)
        })
    };
    let mut i = 0;
    while i < blocks.len() {
        let broken = blocks[i].kind == Kind::Paragraph
            && ends_mid(&blocks[i])
            && blocks.get(i + 1).is_some_and(|b| b.kind != Kind::Paragraph);
        if !broken {
            i += 1;
            continue;
        }
        if let Some(fix) = last_line_after_byline(page, blocks, i, cjk, grammar) {
            fixes.push(fix);
            i += 1;
            continue;
        }
        // The first later paragraph that starts mid-sentence, not right under a heading, and
        // shares words with this one; another broken paragraph on the way stops the search.
        let shared = crate::grams::grams(&blocks[i].raw(page));
        let mut found = None;
        for j in i + 1..blocks.len() {
            if blocks[j].kind != Kind::Paragraph {
                continue;
            }
            let common = shared.overlap(&crate::grams::grams(&blocks[j].raw(page)));
            if blocks[j].cues.starts_mid && blocks[j - 1].kind != Kind::Heading && common >= 2 {
                found = Some((j, common));
                break;
            }
            if ends_mid(&blocks[j]) {
                break;
            }
        }
        let Some((j, common)) = found else {
            i += 1;
            continue;
        };
        let moved = blocks.remove(j);
        let span = moved.hull();
        let from = moved.lines(page).0;
        let target = &mut blocks[i];
        // A paragraph broken at a line-end hyphen goes on without a space (`be-` + `the`).
        let hyphen_end = target.pieces.last().is_some_and(|p| {
            page.text[p.clone()]
                .trim_end()
                .ends_with(|c| grammar.in_class("hyphen", c))
        });
        target.append(if cjk || hyphen_end { "" } else { " " }, moved);
        // The rest of the continued text and its byline follow it.
        let mut tail = Vec::new();
        let mut seen_byline = false;
        while j < blocks.len() {
            let k = blocks[j].kind;
            let take = match k {
                Kind::Paragraph | Kind::Caption => !seen_byline,
                Kind::Byline => true,
                _ => false,
            };
            if !take {
                break;
            }
            seen_byline |= k == Kind::Byline;
            tail.push(blocks.remove(j));
        }
        let target = &blocks[i];
        fixes.push(
            Fix::decision(&ST005, span, format!("continues the paragraph ending at line {}", target.lines(page).1))
                .because(format!("the paragraph ends mid-sentence; line {from} starts mid-sentence; {common} shared grams")),
        );
        for (n, b) in tail.into_iter().enumerate() {
            blocks.insert(i + 1 + n, b);
        }
    }
}

/// A signature under an editor's note (`——编者`, also broken over lines): dashes of the
/// grammar, then Han characters only.
fn is_signature(text: &str, grammar: &Grammar) -> bool {
    let mut t = text.chars().filter(|c| !c.is_whitespace()).peekable();
    if !t.peek().is_some_and(|&c| grammar.in_class("dash", c)) {
        return false;
    }
    let mut name = t.skip_while(|&c| grammar.in_class("dash", c)).peekable();
    name.peek().is_some() && name.all(crate::parse::chars::is_han)
}

/// A byline printed on the baseline of a paragraph's last line, beside it, can come out before
/// that line (`…这一做法受到` / `张三` / `欢迎。`): a paragraph that ends mid-sentence, then a byline,
/// then one line shorter than the paragraph's lines that ends a sentence, the three in a row. The
/// line is moved to the paragraph's end (the byline stays after it).
fn last_line_after_byline(
    page: &Page,
    blocks: &mut Vec<Block>,
    i: usize,
    cjk: bool,
    grammar: &Grammar,
) -> Option<Fix> {
    let (by, frag) = (blocks.get(i + 1)?, blocks.get(i + 2)?);
    if by.kind != Kind::Byline || frag.kind != Kind::Paragraph || frag.pieces.len() != 1 {
        return None;
    }
    let (a, b) = frag.lines(page);
    // The paragraph's last line, the byline and the line: three lines in a row.
    let end = blocks[i].lines(page).1;
    if by.lines(page) != (end + 1, end + 1) || a != end + 2 {
        return None;
    }
    let text = page.text[frag.pieces[0].clone()].trim();
    let last = page.text[blocks[i].pieces.last()?.clone()].trim_end();
    let last_line = last.rsplit('\n').next().unwrap_or(last).trim();
    let shorter = text.chars().count() < last_line.chars().count();
    // A Latin line that goes on a sentence does not open with a capital.
    let opens = text.starts_with(|c: char| grammar.in_class("open_quote", c) || c.is_uppercase());
    if a != b || !shorter || opens || parse::ending(text, grammar) != End::Sentence {
        return None;
    }
    let moved = blocks.remove(i + 2);
    let span = moved.pieces[0].clone();
    let target = &mut blocks[i];
    target.append(if cjk { "" } else { " " }, moved);
    Some(
        Fix::decision(&ST005, span, format!("continues the paragraph ending at line {end}"))
            .because(format!(
                "the paragraph ends mid-sentence; line {a}, after the byline under it, is a shorter line that ends one"
            )),
    )
}

/// Where `suffix` (repaired text) starts in `src` (raw text), comparing visible characters.
pub(super) fn find_suffix_start(src: &str, suffix: &str) -> Option<usize> {
    let want: Vec<char> = suffix.chars().filter(|c| !c.is_whitespace()).collect();
    let mut got = 0;
    for (i, c) in src.char_indices().rev() {
        if c.is_whitespace() {
            continue;
        }
        got += 1;
        if got == want.len() {
            return Some(i);
        }
    }
    None
}

/// In CJK text a heading does not run on into the next line as one word.
pub(super) fn cjk_continues(a: &Line, b: &Line) -> bool {
    let (Some(x), Some(y)) = (a.text.chars().last(), b.text.chars().next()) else {
        return false;
    };
    x.is_ascii_digit() && y.is_ascii_digit()
}
