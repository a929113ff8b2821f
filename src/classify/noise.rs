//! OCR noise: lines with no word of the page or of the lexicon and few or garbled letters
//! (`tlie`, `M`, `ikllMr`, `E a`, `~IENB?t`, `W a 2 7`). They become `noise` blocks, kept in the
//! output where they stand, and are never titles or headings.
//!
//! Only lines that would stand apart from running text are judged: lines the page model (or the
//! hand rules) call display type, and one-line blocks between blank lines after a sentence end.
//! A short last line of a paragraph whose word is unknown (`raont.` after `Thiau-`), or a
//! fragment set apart after a line that breaks off mid-sentence (`of`, `.`), is body text.

use super::lines::{Line, Role};
use super::model::Label;
use crate::parse::End;
use crate::repair::hyphen::Words;

/// Letters of a line in known words below which it may be noise: two-letter words alone (`in`,
/// `AT`) do not make a line of text.
const MIN_KNOWN_LETTERS: usize = 3;
/// Letters at most of a line that is noise without further signs of garbling (`dge`, `tlie`).
const FEW_LETTERS: usize = 4;
/// Letters at most of a garbled line that is noise (`~IENB?t`, `newIyWcn`); a longer one is a
/// damaged line of text (`Thia Afteraoon'i Proo?#dingi.`), not noise.
const FEW_GARBLED_LETTERS: usize = 8;

/// Mark the noise lines among the lines that stand apart (`display[k]`, or a one-line block).
/// Returns how many it marked.
pub(super) fn mark(lines: &mut [Line], display: &[bool], words: &Words) -> usize {
    let n = lines.len();
    let mut marked = 0;
    for k in 0..n {
        if lines[k].role != Role::Text || lines[k].shape.markup.is_some() {
            continue;
        }
        let prev_text = (0..k).rev().find(|&j| lines[j].role != Role::Blank);
        // A line ending in a hyphen, or after one, is part of a word: never noise.
        if lines[k].shape.end == End::Hyphen
            || prev_text.is_some_and(|j| lines[j].shape.end == End::Hyphen)
        {
            continue;
        }
        // A mark alone on its line inside running text (`work-` / `-` / `shop`) is a piece of
        // the line above that the extractor set apart: [`stray_fragment`] keeps it in the
        // paragraph.
        if mark_inside_text(lines, display, k) {
            continue;
        }
        // A one-line block after a sentence end (or at the top): a fragment after a line that
        // breaks off mid-sentence is the rest of that sentence, set apart by the extractor.
        let alone = (k == 0 || lines[k - 1].role == Role::Blank)
            && (k + 1 == n || lines[k + 1].role == Role::Blank)
            && prev_text
                .is_none_or(|j| lines[j].role != Role::Text || lines[j].shape.end == End::Sentence);
        // A display line between two others is part of their stack: damaged letters alone do
        // not make it noise there (`FRESH` / `GOObS` / `DAILY`). Lines are judged top down: a
        // line just marked noise above is no part of a stack, which then starts below it.
        let stacked =
            k > 0 && k + 1 < n && shown(lines, display, k - 1) && shown(lines, display, k + 1);
        if (display[k] || alone) && is_noise(&lines[k].text, words, !stacked) {
            lines[k].role = Role::Noise;
            marked += 1;
        }
    }
    marked
}

/// Is line `j` display text still (not yet noise, a byline or furniture)?
fn shown(lines: &[Line], display: &[bool], j: usize) -> bool {
    lines[j].role == Role::Text && display[j]
}

/// Display decisions of the lines: the model's display labels, or the hand rules'.
pub(super) fn display_lines(
    lines: &[Line],
    labels: Option<&[Option<Label>]>,
    rule_heading: &[bool],
) -> Vec<bool> {
    match labels {
        Some(ls) => ls.iter().map(|y| y.is_some_and(Label::display)).collect(),
        None => rule_heading.iter().take(lines.len()).copied().collect(),
    }
}

/// Words at most of a lowercase fragment (`the`, `had been`): on the 30 ChronAm texts, titles
/// and headings of one or two words opening in lower case fell from 123 to 11 with this rule
/// (those left stand in groups or hold a capital); a longer line may be a deck's continuation.
const FRAGMENT_WORDS: usize = 2;

/// Is display line `k` a stray fragment of a column line standing alone, with no display line
/// next to it: a line of at most [`FRAGMENT_WORDS`] words that opens with a lowercase letter,
/// any line that opens with a comma or semicolon, a lone mark inside running text, or (with
/// `one_word`, the grammar's `one_word_fragments`) one word in title case with no stop, not set
/// bold? Titles and headings of a cased script open with a capital and never with a comma, and
/// a one-word head of the papers such a grammar reads closes with a stop or is set in capitals;
/// such a line is a piece of a column line that the extractor set apart (a scanned page's text
/// layer does), and a deck's lowercase line (`at Every Point by Al-`) stands in a group, never
/// alone.
pub(super) fn stray_fragment(lines: &[Line], display: &[bool], k: usize, one_word: bool) -> bool {
    let t = lines[k].text.trim();
    // The line opens with a lowercase letter (not a digit: `4th Ward`) and holds no capital
    // (`de Valera`, `von Moltke` are names).
    let opens_lower = t
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase);
    let no_capital = !t.chars().any(char::is_uppercase);
    // A line opening with a comma or semicolon goes on with a sentence whatever its words
    // (`, Feb. 3.`): no title or heading opens so.
    let opens_mid_sentence = t.starts_with([',', ';']);
    let lower = opens_lower && no_capital && t.split_whitespace().count() <= FRAGMENT_WORDS;
    // One word in title case with no stop after it (`Hartwell`, `Blumen,`), not drawn bold.
    let word = t.trim_end_matches(',');
    let one_word = one_word
        && !lines[k].undoubled
        && lines[k].shape.markup.is_none()
        && !word.contains(char::is_whitespace)
        && word.chars().count() >= 2
        && word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().skip(1).all(char::is_lowercase);
    if !(lower || opens_mid_sentence || one_word || mark_inside_text(lines, display, k)) {
        return false;
    }
    let before = k > 0 && shown(lines, display, k - 1);
    let after = k + 1 < lines.len() && shown(lines, display, k + 1);
    !(before || after)
}

/// The most characters a lone mark inside running text has ([`mark_inside_text`]).
const MAX_MARK_CHARS: usize = 3;

/// Is line `k` a mark of at most [`MAX_MARK_CHARS`] characters and no letter or digit (`-`,
/// `.`) set between two text lines that are no display lines, the one above breaking off
/// mid-sentence?
fn mark_inside_text(lines: &[Line], display: &[bool], k: usize) -> bool {
    let t = lines[k].text.trim();
    k > 0
        && k + 1 < lines.len()
        && lines[k - 1].role == Role::Text
        && lines[k + 1].role == Role::Text
        && !shown(lines, display, k - 1)
        && !shown(lines, display, k + 1)
        && lines[k - 1].shape.end != End::Sentence
        && t.chars().count() <= MAX_MARK_CHARS
        && !t.chars().any(char::is_alphanumeric)
}

/// Is `text` OCR noise: fewer than [`MIN_KNOWN_LETTERS`] letters in words of the page (written
/// elsewhere on it), of the lexicon or of the grammar's abbreviations, and either few letters at
/// all, few letters in garbled tokens (case flipping inside a token, letters mixed with digits
/// or symbols, and with `by_letters` letters no word is written with: [`garbled_run`]), or
/// mostly lone characters (initials like `J.` do not count)?
pub fn is_noise(text: &str, words: &Words, by_letters: bool) -> bool {
    let dash = |c: char| words.grammar.in_class("dash", c);
    let mut letters = 0;
    let mut known = 0;
    let mut tokens = 0;
    let mut single = 0;
    let mut garbled = false;
    // Runs of three letters or more, and those of them that are garbled.
    let (mut long, mut long_garbled) = (0, 0);
    for raw in text.split(|c: char| c.is_whitespace() || dash(c)) {
        if raw.is_empty() {
            continue;
        }
        tokens += 1;
        let tok = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let n_letters = tok.chars().filter(|c| c.is_alphabetic()).count();
        letters += n_letters;
        if tok.chars().count() <= 1 {
            // An initial (`J.`) is part of a name; a lone character is not.
            if !(raw.ends_with('.') && tok.chars().all(char::is_uppercase) && !tok.is_empty()) {
                single += 1;
            }
            continue;
        }
        let wordlike = tok
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'));
        if wordlike && n_letters >= 2 && (words.written_or_listed(tok) || abbreviation(tok, words))
        {
            known += n_letters;
            continue;
        }
        // Each run of three letters or more, read once: its letters may be ones no word is
        // written with ([`garbled_run`]). The run is garbled when its token holds a sign no word
        // holds (`^`, `*`, `«`), when it flips case, or by its letters. Words glued by
        // punctuation (`EAST:-WEST`) and a sound word glued to a damaged one
        // (`FIFTY-SECONDJXH`) are not all garbled.
        let sign = tok
            .chars()
            .any(|c| !c.is_alphanumeric() && !".,:;'’-!?&".contains(c));
        let mut letters_garbled = false;
        for run in letter_runs(tok) {
            let by_run = by_letters && garbled_run(run, words);
            letters_garbled |= by_run;
            long += 1;
            long_garbled += usize::from(sign || case_flips(run) || by_run);
        }
        garbled |= n_letters > 0 && (!wordlike || case_flips(tok) || letters_garbled);
    }
    if known >= MIN_KNOWN_LETTERS || tokens == 0 {
        return false;
    }
    // However many letters it has, a line no word of which reads (every run of three letters
    // or more garbled, `Zq - wrtpfkxu vaBu^d`) is noise.
    letters <= FEW_LETTERS
        || (garbled && letters <= FEW_GARBLED_LETTERS)
        || single * 2 > tokens
        || (long > 0 && long_garbled == long)
}

/// A listed abbreviation (`Messrs`, `Esq`), written as the grammar lists it or in capitals.
fn abbreviation(tok: &str, words: &Words) -> bool {
    let mut cs = tok.chars();
    let title: String = cs
        .next()
        .into_iter()
        .chain(cs.flat_map(char::to_lowercase))
        .collect();
    words.grammar.is_abbreviation(tok) || words.grammar.is_abbreviation(&title)
}

/// The runs of three letters or more of a token (`JONES'S` is read as `JONES` and `S`).
fn letter_runs(tok: &str) -> impl Iterator<Item = &str> {
    tok.split(|c: char| !c.is_alphabetic())
        .filter(|run| run.chars().count() >= 3)
}

/// Letters no word is written with, in a run of letters that is not a Roman numeral (`XVIII`):
/// a letter three times in a row (`WOLLLLMI`), or letter trigrams that no word of the grammar's
/// lexicons holds, one in a word of capitals (`QXZRT`), two in other words (`Bnnqo`), where
/// names keep to one at most (`McAdoo`). A token is garbled by its letters when one of its
/// [`letter_runs`] is.
fn garbled_run(run: &str, words: &Words) -> bool {
    if run.chars().all(|c| "IVXLCDMivxlcdm".contains(c)) {
        return false;
    }
    let mut lower = run.chars().flat_map(char::to_lowercase);
    let (mut a, mut b) = (lower.next(), lower.next());
    let tripled = lower.any(|c| {
        let three = a == Some(c) && b == Some(c);
        (a, b) = (b, Some(c));
        three
    });
    let capitals = !run.chars().any(char::is_lowercase);
    let allowed = if capitals { 0 } else { 1 };
    tripled || words.grammar.unseen_trigrams(run) > allowed
}

/// A lowercase letter followed by a capital inside a token (`ikllMr`, `newIyWcn`): no word is
/// written so, except names like `McAdoo` with one capital after the first (`Mc`, `Mac`, `De`).
fn case_flips(tok: &str) -> bool {
    let cs: Vec<char> = tok.chars().collect();
    let flips = cs
        .windows(2)
        .filter(|w| w[0].is_lowercase() && w[1].is_uppercase())
        .count();
    let first_upper = cs.first().is_some_and(|c| c.is_uppercase());
    flips > 1 || (flips == 1 && !first_upper)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    fn words<'a>(g: &'a Grammar, page: &[&str]) -> Words<'a> {
        Words::new(page.iter().copied(), None, g)
    }

    #[test]
    fn noise_is_garbled_or_short_and_unknown() {
        let g = Grammar::default_grammar();
        let w = words(&g, &["The Germans attacked on the Somme front."]);
        for t in [
            "tlie",
            "M",
            "ikllMr",
            "E a",
            "~IENB?t",
            "W a 2 7",
            "2 8 E",
            "in",
            "?",
            "Gz,",
            "Zq - wrtpfkxu vaBu^d",
        ] {
            assert!(is_noise(t, &w, true), "{t}");
        }
        for t in [
            "WEATHER.",
            "Fire.",
            "Vom Auslande.",
            "FRIDAV.",
            "McAdoo Speaks.",
            "Germans",
            "BRITISH MAKE MORE GAINS",
            "W A. WRAY,",
            "J. B. SMITH.",
            "McKean, K.C.",
            "10.—cutor.",
            "Thia Afteraoon'i Proo?#dingi.",
            "NORTH:-SOUTH. -",
            "FIFTY-SECONDJXHKRQT.",
        ] {
            assert!(!is_noise(t, &w, true), "{t}");
        }
    }

    #[test]
    fn letters_no_word_is_written_with_are_garbling() {
        let g = Grammar::default_grammar();
        let w = words(&g, &["The Germans attacked on the Somme front."]);
        // A letter three times in a row, letter trigrams no word of the lexicon holds.
        for t in ["WOLLLLMI", "QXZRT.", "Bnnqo", "TKNXRV."] {
            assert!(is_noise(t, &w, true), "{t}");
            assert!(!is_noise(t, &w, false), "{t}");
        }
        // Names and damaged words that keep to English letter sequences, abbreviations, and a
        // long damaged line stay text.
        for t in [
            "SUNDAV.",
            "McAdoo.",
            "Messrs.",
            "HUERTA.",
            "JONES'S.",
            "XVIII.",
            "WESTMIXSTKR.",
        ] {
            assert!(!is_noise(t, &w, true), "{t}");
        }
    }

    #[test]
    fn a_word_written_elsewhere_on_the_page_is_known() {
        let g = Grammar::default_grammar();
        let w = words(&g, &["Tahu fell.", "Near Tahu"]);
        assert!(!is_noise("Tahu", &w, true));
        assert!(is_noise("Tahu", &words(&g, &["Near Tahu"]), true));
    }
}
