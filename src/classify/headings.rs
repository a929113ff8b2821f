//! Heading lines: display type set apart from running text (short, no sentence end, capitals,
//! doubled, a known place beside it), stacks of them with their decks, and the hand rules that are
//! one of the page model's features and its answer when no model is loaded.

use super::continued::cjk_continues;
use super::lines::{raw_blocks, Line, Role};
use super::model::Label;
use super::paragraphs::{ended_early, is_full, too_wide};
use crate::grammar::Grammar;
use crate::parse::{chars, End};
use crate::places::place_split;

/// A line of Latin capitals (a headline or a deck in capitals): at least three letters, all
/// uppercase, mostly letters.
pub fn is_capitals(text: &str) -> bool {
    let letters = text.chars().filter(|&c| chars::is_latin(c)).count();
    letters >= 3
        && text
            .chars()
            .filter(|&c| chars::is_latin(c))
            .all(char::is_uppercase)
        && letters * 10 >= text.chars().filter(|c| !c.is_whitespace()).count() * 6
}

/// Could the line be (part of) a title or heading?
pub(super) fn headlike(l: &Line, grammar: &Grammar) -> bool {
    let s = &l.shape;
    let max = grammar.setting("title_max_chars", 40.0) as usize;
    if s.chars == 0 || s.chars > max.max(60) || l.glued.is_some() {
        return false;
    }
    // Capitals are display type whatever their punctuation (HINTS OF FASHION, / LAW.- FRIDAY).
    if is_capitals(&l.text) && s.end != End::Hyphen {
        return true;
    }
    if s.chars > max {
        return false;
    }
    if matches!(s.end, End::Pause | End::Hyphen | End::Open | End::Colon) {
        return false;
    }
    if s.end == End::Sentence {
        // Headings may ask or exclaim; a full stop ends body text.
        let last = l
            .text
            .chars()
            .rev()
            .find(|c| !grammar.in_class("close_quote", *c));
        if !matches!(last, Some('？' | '！' | '?' | '!')) {
            return false;
        }
    }
    // An unclosed quote or bracket: the text goes on in the next line.
    let (open, close) = (grammar.class("open_quote"), grammar.class("close_quote"));
    let is = |set: &[char], c: char| set.binary_search(&c).is_ok();
    let opens = l
        .text
        .chars()
        .filter(|&c| is(open, c) && !is(close, c))
        .count();
    let closes = l
        .text
        .chars()
        .filter(|&c| is(close, c) && !is(open, c))
        .count();
    if opens > closes {
        return false;
    }
    let stops = l
        .text
        .chars()
        .filter(|&c| matches!(c, '。' | '；' | ';'))
        .count();
    let commas = l.text.chars().filter(|&c| matches!(c, '，' | ',')).count();
    if stops > 0 || commas > 1 {
        return false;
    }
    // Mostly letters or Han: not a row of numbers or punctuation.
    s.han + s.latin >= (s.chars / 2).max(1)
}

/// A Latin line set as display type: capitals, or title case (every word of four letters or more
/// capitalised) in at most eight words, with no more than one comma and no inner sentence end.
pub(super) fn latin_display(l: &Line, grammar: &Grammar) -> bool {
    if l.role != Role::Text || l.glued.is_some() || l.shape.han > 0 || l.shape.latin < 3 {
        return false;
    }
    if matches!(
        l.shape.end,
        End::Pause | End::Hyphen | End::Open | End::Colon
    ) {
        return false;
    }
    if is_capitals(&l.text) {
        return l.shape.chars <= 60;
    }
    let words: Vec<&str> = l.text.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || l.shape.chars > 45 || l.shape.inner_stops > 0 {
        return false;
    }
    let starts_upper = |w: &str| {
        w.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase)
    };
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let long: Vec<&&str> = words.iter().filter(|w| letters(w) >= 4).collect();
    // Inner full stops other than abbreviations (a single capital) mean a sentence goes on.
    let inner_sentence = words[..words.len() - 1]
        .iter()
        .any(|w| w.ends_with(|c| grammar.in_class("sentence_end", c)) && letters(w) > 2);
    starts_upper(words[0])
        && !long.is_empty()
        && long.iter().all(|w| starts_upper(w))
        && !inner_sentence
}

/// Headings inside a block with no blank lines around them (ALTO and OCR text often has none):
/// a stack of display lines after a line that ends a sentence, followed by a line that starts
/// one. Each line must be short for its column, so the short last line of a paragraph in title
/// case is only taken when the line before it closed a sentence too.
pub(super) fn inline_latin_headings(lines: &[Line], heading: &mut [bool], grammar: &Grammar) {
    let n = lines.len();
    let mut k = 0;
    while k < n {
        // After a sentence end or a heading, or at the top of a block.
        let (after, top) = match k.checked_sub(1).map(|j| (j, &lines[j])) {
            None => (true, true),
            Some((_, p)) if p.role == Role::Blank => (true, true),
            Some((j, p)) => (
                p.role == Role::Text && (heading[j] || p.shape.end == End::Sentence),
                false,
            ),
        };
        if !after || lines[k].role != Role::Text || heading[k] {
            k += 1;
            continue;
        }
        let mut e = k;
        // A stack of display lines (at the top of a block only capitals: a title-case line
        // there may as well open the text).
        if !top || is_capitals(&lines[k].text) {
            e = display_stack(lines, heading, k, grammar);
        }
        // A deck right under a headline: title-case words run over lines to a sentence end.
        let under_headline = if e > k { true } else { k > 0 && heading[k - 1] };
        if under_headline {
            e = deck_end(lines, heading, e, grammar);
        }
        if e > k {
            for h in heading.iter_mut().take(e).skip(k) {
                *h = true;
            }
            k = e;
        } else {
            k += 1;
        }
    }
}

/// Does the line open a sentence (or is it no text line at all)? Opening quotes are skipped.
pub(super) fn starts_sentence(l: &Line, grammar: &Grammar) -> bool {
    l.role != Role::Text
        || l.text
            .chars()
            .find(|&c| !grammar.in_class("open_quote", c))
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Short for its column: a heading line, or the last line of a paragraph.
pub(super) fn short_line(l: &Line) -> bool {
    l.shape.width * 5 <= l.w * 4
}

/// The end of a stack of display lines from `k` that a sentence follows (`k`: none).
pub(super) fn display_stack(
    lines: &[Line],
    heading: &[bool],
    k: usize,
    grammar: &Grammar,
) -> usize {
    let n = lines.len();
    let mut e = k;
    while e < n
        && e - k < 6
        && !heading[e]
        && latin_display(&lines[e], grammar)
        && short_line(&lines[e])
    {
        e += 1;
    }
    // The stack ends where a sentence starts; drop trailing lines until it does.
    while e > k && (e >= n || lines[e].role == Role::Blank || !starts_sentence(&lines[e], grammar))
    {
        // A stack running to a blank line or the end is a heading only when all capitals.
        if (e >= n || lines[e].role == Role::Blank) && (k..e).all(|j| is_capitals(&lines[j].text)) {
            break;
        }
        e -= 1;
    }
    // Title-case lines must be followed by body text, not another short line.
    let body_after = e < n && lines[e].role == Role::Text && !short_line(&lines[e]);
    if e > k && (body_after || (k..e).any(|j| is_capitals(&lines[j].text))) {
        e
    } else {
        k
    }
}

/// A deck from `k`: two to four lines (set in the column's measure), the first opening with a capital, ending in a
/// sentence end, whose long words are nearly all capitalised (`Commissioners Agree to Survey /
/// the Eastern Channel.`), followed by a line that opens a sentence. Returns its end (`k`: none).
pub(super) fn deck_end(lines: &[Line], heading: &[bool], k: usize, grammar: &Grammar) -> usize {
    let n = lines.len();
    if k >= n || !starts_sentence(&lines[k], grammar) {
        return k;
    }
    let mut e = k;
    while e < n && e - k < 4 {
        let l = &lines[e];
        if l.role != Role::Text
            || heading[e]
            || l.glued.is_some()
            || l.shape.han > 0
            || l.shape.chars > 60
            || matches!(l.shape.end, End::Open | End::Colon)
        {
            return k;
        }
        e += 1;
        if l.shape.end == End::Sentence {
            break;
        }
    }
    if e - k < 2
        || lines[e - 1].shape.end != End::Sentence
        || (e < n && !starts_sentence(&lines[e], grammar))
    {
        return k;
    }
    let text: String = lines[k..e]
        .iter()
        .map(|l| l.text.trim_end_matches('-'))
        .collect::<Vec<_>>()
        .join(" ");
    let stops: usize = lines[k..e].iter().map(|l| l.shape.inner_stops).sum();
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let long: Vec<&str> = text
        .split_whitespace()
        .filter(|w| letters(w) >= 4)
        .collect();
    let caps = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    if stops <= 1 && long.len() >= 3 && caps * 4 >= long.len() * 3 {
        e
    } else {
        k
    }
}

/// The hand rules for heading lines (display type set apart from running text): one of the
/// page model's features, and its answer when no model is loaded.
pub(super) fn rule_headings(lines: &[Line], grammar: &Grammar, cjk: bool) -> Vec<bool> {
    let n = lines.len();
    // A place glued to the end of a title is taken only when a byline of the page names it.
    let byline_places: Vec<String> = lines
        .iter()
        .filter_map(|l| match (l.role, l.glued) {
            (Role::Byline, _) => grammar.leading_place(&l.text),
            (Role::Text, Some((at, _))) => {
                grammar.leading_place(&l.text.chars().skip(at).collect::<String>())
            }
            _ => None,
        })
        .collect();
    let confirmed = |p: &str| byline_places.iter().any(|b| b == p);
    // Decide which text lines are heading lines.
    let mut heading = vec![false; n];
    for (s, e) in raw_blocks(lines) {
        let text_lines: Vec<usize> = (s..e).filter(|&k| lines[k].role == Role::Text).collect();
        if text_lines.is_empty() {
            continue;
        }
        let prev_nonblank = (0..s).rev().find(|&k| lines[k].role != Role::Blank);
        let next_nonblank = (e..n).find(|&k| lines[k].role != Role::Blank);
        // Heading lines are short for their column (a doubled heading may be wider).
        let short = |l: &Line| l.undoubled || l.shape.width * 5 <= l.w * 4 || too_wide(l);
        let all_headlike = text_lines.iter().all(|&k| lines[k].headlike);
        let all_short = text_lines.iter().all(|&k| short(&lines[k]));
        if all_headlike && text_lines.len() <= 4 {
            // Short lines may still be a paragraph fragment continued after a column break: the
            // last line reaches the column edge (a lone line: one indent less) without ending a
            // sentence, and the next block starts full-width.
            let last = &lines[*text_lines.last().unwrap()];
            let lone = text_lines.len() == 1;
            // The next block goes on with the text: a full line, or the short last line of a
            // paragraph ending a sentence.
            let cont_next = next_nonblank.is_some_and(|k| {
                let nx = &lines[k];
                let tail = nx.shape.end == End::Sentence
                    && lines.get(k + 1).is_none_or(|l| l.role == Role::Blank)
                    && !nx.headlike;
                nx.role == Role::Text
                    && (is_full(nx, false, cjk) || tail)
                    && !too_wide(nx)
                    && nx.shape.indent == 0
            });
            // Latin text goes on when the next line's first word would not have fitted.
            let latin_goes_on = !cjk
                && next_nonblank.is_some_and(|k| {
                    lines[k].role == Role::Text
                        && !is_capitals(&lines[k].text)
                        && !ended_early(last, &lines[k], cjk, lone)
                });
            let continued = !last.undoubled
                && !is_capitals(&last.text)
                && last.shape.end != End::Sentence
                && ((is_full(last, lone, cjk) && !too_wide(last) && cont_next) || latin_goes_on);
            let continues_prev = prev_nonblank.is_some_and(|k| {
                lines[k].role == Role::Text
                    && lines[k].glued.is_none()
                    && !heading[k]
                    && matches!(
                        lines[k].shape.end,
                        End::Pause | End::Word | End::Open | End::Hyphen
                    )
                    && is_full(&lines[k], false, cjk)
                    && !too_wide(&lines[k])
            }) && !text_lines
                .iter()
                .any(|&k| lines[k].undoubled || too_wide(&lines[k]));
            // A place tag beside the line makes it a title whatever follows.
            let tagged =
                lone && place_split(&lines[text_lines[0]].text, grammar, &confirmed).is_some();
            // A line set across columns, or set bold (drawn twice), makes the block display type.
            let any_display = text_lines
                .iter()
                .any(|&k| too_wide(&lines[k]) || lines[k].undoubled);
            // Lines that all reach the column edge are a fragment of body text; a stack of display
            // lines has uneven lengths (a kicker shorter than its title).
            let full_lines = text_lines
                .iter()
                .filter(|&&k| is_full(&lines[k], false, cjk))
                .count();
            if (lone || all_short || any_display || full_lines < 2)
                && (tagged || (!continued && !continues_prev))
            {
                for &k in &text_lines {
                    heading[k] = true;
                }
                continue;
            }
        }
        // A title glued on top of its body: strong cues only (set bold, or a place tag beside it).
        let first = text_lines[0];
        if text_lines.len() >= 2 && first == s && lines[first].headlike {
            let l = &lines[first];
            let tagged = place_split(&l.text, grammar, &confirmed).is_some();
            let short_plain = l.shape.inner_stops == 0
                && l.shape.width * 5 <= l.w * 3
                && l.shape.end != End::Sentence
                && lines[text_lines[1]].shape.width > l.shape.width;
            let prev_closed = prev_nonblank.is_none_or(|k| {
                lines[k].role != Role::Text || lines[k].shape.end == End::Sentence || heading[k]
            });
            if l.undoubled
                || (tagged && prev_closed)
                || (short_plain
                    && prev_closed
                    && l.shape.chars <= 16
                    && !cjk_continues(l, &lines[text_lines[1]]))
            {
                heading[first] = true;
            }
        }
    }

    if !cjk {
        inline_latin_headings(lines, &mut heading, grammar);
    }
    heading
}

/// In a stack of display lines, a kicker or a title's first line after anything but a kicker
/// opens the heading group of another article.
pub(super) fn starts_new_group(prev: Option<Label>, next: Option<Label>) -> bool {
    match (prev, next) {
        (Some(p), Some(Label::Kicker | Label::Title)) => p != Label::Kicker,
        (Some(Label::Subtitle | Label::Heading), Some(Label::TitleMore)) => true,
        _ => false,
    }
}
