//! Headline stacks of Latin-script papers: a headline and the decks under it, down to the first
//! body paragraph, are one title block (title + decks as the subtitle).
//!
//! ```text
//! SUCCESS NEAR TAHURE                  title
//! PROVES SHORT-LIVED
//! Teutons Able to Make No Advance      deck (title case, a few lines, no dateline)
//! at Fleury and Thiau-
//! raont.
//! BRITISH MAKE MORE GAINS              second head: a deck of the same stack
//! Push Ahead 400 Yards Near            deck
//! Mouquet Farm and Take Trenches …
//! LONDON, August 26.—After an …        body: the stack ends
//! ```
//!
//! The page model labels a deck set in title case like a short paragraph, and a second head in
//! capitals like a new title, so one stack came out as two or three articles, each with a
//! one-line body. After the model, the labels of a stack are read again: under a title (its
//! first line and the lines going on with it), a paragraph that reads as a deck, and a display
//! line after such a deck, are labelled subtitle lines, so that the walk makes one heading group
//! of the whole stack.

use super::lines::{Line, Role};
use super::model::Label;
use crate::grammar::{Grammar, PatternKind};
use crate::parse::End;

/// Lines at most of a deck.
const DECK_MAX_LINES: usize = 5;
/// Share of a deck's words of four letters or more that start with a capital, at least.
const DECK_MIN_CAPITALISED: f64 = 0.6;
/// Words of four letters or more a deck needs for its share to count.
const DECK_MIN_WORDS: usize = 2;

/// Relabel the decks and further heads of every headline stack as subtitle lines. Returns the
/// number of lines relabelled.
pub(super) fn relabel(lines: &[Line], labels: &mut [Option<Label>], grammar: &Grammar) -> usize {
    let n = lines.len();
    let text = |k: usize| is_text(lines, k);
    let label = |labels: &[Option<Label>], k: usize| labels.get(k).copied().flatten();
    let mut changed = 0;
    let mut k = 0;
    while k < n {
        if text(k) && label(labels, k) == Some(Label::Heading) {
            changed += head_over_deck(lines, labels, k, grammar);
        }
        if !(text(k) && label(labels, k) == Some(Label::Title)) {
            k += 1;
            continue;
        }
        // The title: its first line and the lines going on with it.
        let mut j = k + 1;
        while text(j) && label(labels, j) == Some(Label::TitleMore) {
            j += 1;
        }
        // Decks and further heads, as long as they come.
        let mut after_deck = false;
        loop {
            if !text(j) {
                break;
            }
            // A line in capitals after a deck is the stack's next head, whatever the model
            // thought of it (it may have run the head into the deck under it).
            if after_deck && super::headings::is_capitals(&lines[j].text) {
                if label(labels, j) != Some(Label::Subtitle) {
                    labels[j] = Some(Label::Subtitle);
                    changed += 1;
                }
                j += 1;
                continue;
            }
            match label(labels, j) {
                // The model's own deck lines go with the title; only a deck read here (set in
                // title case) lets a further head join the stack.
                Some(Label::Subtitle) => j += 1,
                Some(y) if y.display() && after_deck => {
                    labels[j] = Some(Label::Subtitle);
                    changed += 1;
                    j += 1;
                }
                Some(Label::Start | Label::Body) => {
                    let Some(e) = deck_end(lines, labels, j, grammar) else {
                        break;
                    };
                    for y in &mut labels[j..e] {
                        *y = Some(Label::Subtitle);
                    }
                    changed += e - j;
                    j = e;
                    after_deck = true;
                }
                _ => break,
            }
        }
        k = j.max(k + 1);
    }
    changed
}

/// A head in capitals the page model read as a section heading, with a deck under it (a
/// paragraph set in title case, then a new paragraph), heads a stack: its lines are relabelled
/// title lines (a section head runs into body text, never into a deck). Returns the number of
/// lines relabelled.
fn head_over_deck(
    lines: &[Line],
    labels: &mut [Option<Label>],
    k: usize,
    grammar: &Grammar,
) -> usize {
    let text = |j: usize| is_text(lines, j);
    let mut j = k;
    while text(j)
        && labels[j] == Some(Label::Heading)
        && super::headings::is_capitals(&lines[j].text)
    {
        j += 1;
    }
    if j == k || !text(j) || labels[j] != Some(Label::Start) {
        return 0;
    }
    if deck_end(lines, labels, j, grammar).is_none() {
        return 0;
    }
    labels[k] = Some(Label::Title);
    for y in &mut labels[k + 1..j] {
        *y = Some(Label::TitleMore);
    }
    j - k
}

/// Is there a text line `j` (not past the page's end)?
fn is_text(lines: &[Line], j: usize) -> bool {
    lines.get(j).is_some_and(|l| l.role == Role::Text)
}

/// The end of the paragraph opening at line `j` (the lines labelled as going on with it), when
/// that paragraph reads as a deck.
fn deck_end(
    lines: &[Line],
    labels: &[Option<Label>],
    j: usize,
    grammar: &Grammar,
) -> Option<usize> {
    let mut e = j + 1;
    while is_text(lines, e) && labels[e] == Some(Label::Body) {
        e += 1;
    }
    is_deck(&lines[j..e], grammar).then_some(e)
}

/// Section heads the page model ran into the paragraph above: a line it labelled as going on
/// with a paragraph, after a sentence end, followed by a paragraph start, shorter than its
/// column, starting with a capital, every longer word capitalised, in one clause (no comma) and
/// ending a sentence (`… in winter the ice stops the boats for weeks at a time.` / `Merchants Are
/// Pleased.`) is a heading. A one-line paragraph in title case (`Dvr. Ernest Esserman.`) is left
/// alone: names are set so too. Returns the number of lines relabelled.
pub(super) fn section_heads(
    lines: &[Line],
    labels: &mut [Option<Label>],
    grammar: &Grammar,
) -> usize {
    let text: Vec<usize> = (0..lines.len())
        .filter(|&k| lines[k].role == Role::Text && labels[k].is_some())
        .collect();
    let mut changed = 0;
    for t in 1..text.len().saturating_sub(1) {
        let (p, k, nx) = (text[t - 1], text[t], text[t + 1]);
        let l = &lines[k];
        if labels[k] != Some(Label::Body)
            || lines[p].shape.end != End::Sentence
            || l.shape.end != End::Sentence
            || labels[nx] != Some(Label::Start)
            || l.shape.width * 10 >= l.w * 8
        {
            continue;
        }
        // Every longer word capitalised, from a capital letter on, in one clause.
        let t = l.text.trim();
        if t.starts_with(char::is_uppercase)
            && !t.contains(|c| grammar.in_class("pause", c) || grammar.in_class("colon", c))
            && title_case(std::slice::from_ref(l)) == Some(1.0)
        {
            labels[k] = Some(Label::Heading);
            changed += 1;
        }
    }
    changed
}

/// The share of the longer words (four letters or more) of these lines that are capitalised, as
/// a deck or a head sets them; `None` when a word is in capitals (a headline glued on) or there
/// are fewer than [`DECK_MIN_WORDS`].
fn title_case(run: &[Line]) -> Option<f64> {
    let (mut words, mut capitalised) = (0, 0);
    let mut after_hyphen = false;
    for l in run {
        let mut toks = l.text.split_whitespace();
        // The rest of a word broken at a line-end hyphen is not a word of its own.
        if after_hyphen {
            toks.next();
        }
        for tok in toks {
            let w = tok.trim_matches(|c: char| !c.is_alphanumeric());
            if w.chars().filter(|c| c.is_alphabetic()).count() < 4 {
                continue;
            }
            // A word in capitals is a headline glued to the text (`Judge FORBES.) FORDE`),
            // never part of a deck set in title case.
            if w.chars().all(|c| !c.is_lowercase()) {
                return None;
            }
            words += 1;
            if w.chars().next().is_some_and(char::is_uppercase) {
                capitalised += 1;
            }
        }
        after_hyphen = l.shape.end == End::Hyphen;
    }
    (words >= DECK_MIN_WORDS).then(|| capitalised as f64 / words as f64)
}

/// Does a run of lines read as a deck: a few lines, not opening with a dateline, ending a
/// sentence (or a clause), no brackets and no word in capitals, most of its longer words
/// capitalised (`Push Ahead 400 Yards Near / Mouquet Farm and Take Trenches`), where running text
/// capitalises a few names?
fn is_deck(run: &[Line], grammar: &Grammar) -> bool {
    if run.is_empty() || run.len() > DECK_MAX_LINES {
        return false;
    }
    let last = &run[run.len() - 1];
    if !matches!(last.shape.end, End::Sentence | End::Pause | End::Word) {
        return false;
    }
    let first: Vec<char> = run[0].text.chars().collect();
    if !grammar
        .match_ends(PatternKind::Dateline, &first, 0)
        .is_empty()
    {
        return false;
    }
    // Brackets hold credits and court lines (`(Before Judge Thomson …)`), not decks.
    if run.iter().any(|l| {
        l.text
            .contains(|c| grammar.in_class("open_quote", c) && c != '"' && c != '\'')
    }) {
        return false;
    }
    title_case(run).is_some_and(|share| share >= DECK_MIN_CAPITALISED)
}
