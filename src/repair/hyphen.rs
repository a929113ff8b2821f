//! Line-end hyphens: a break inside a word (HY001, the mark goes) or a real hyphen (HY002, it
//! stays), decided on evidence.
//!
//! A hyphen is *kept* only on positive evidence that the hyphenated form is written that way:
//! the page (then the run's inputs and `--vocabulary`) writes `x-y` inside a line more often than
//! `xy`; a part is numeric (`COVID-19`); an abbreviation (`Sen.-elect`); the first part is
//! already a compound and the second capitalised (`Bois-le-Duc`); number words
//! (`thirty-six`, `one-pounder`); a prefix of the grammar's `hyphen_prefix` list before a word
//! (`anti-tariff`) or of its `vowel_prefix` list before the same vowel (`co-operation`); an
//! acronym (`LTE-M`, `NB-IoT`); two capitalised name parts (`Anglo-Saxon`); a compound of the
//! grammar's `hyphen_compound` list (`to-day`) the page and run never write solid; a street word
//! of its `hyphen_suffix` list after a capitalised word (`George-street`). Everything else
//! is *joined*, and the evidence says why: the joined word is written on the page or is a word of
//! the lexicon, the parts are capitals (`ADMINIS-TRATION`), or the second part alone is no word
//! of the page (`Ben-jamin`). The next line's case is evidence, never a verdict on its own: OCR
//! capitalises inside words (`Ver-Sammlung`) and typesetters break names (`Tol-ley`).
//!
//! On the ChronAm hand labels (`fixtures/chronam-labels/`, scored by `tests/chronam_hyphens.rs`)
//! the old case-first rule kept 72 split words; the lexicon alone cannot tell them, since it
//! holds short fragments such as `ley` and `ham`.
//!
//! Marks: `-` and `‐`, the Fraktur `¬`, `⸗` and `=` (the grammar's `hyphen` class), soft hyphens
//! (always a break), and a `break_mark` class mark with a space before it (`con ¬` from
//! pdfminer). A kept Fraktur mark is written `-`; a joined one leaves nothing inside the word.

use std::ops::Range;

use super::vocab::Vocab;
use crate::fix::{Fix, Safety, HY001, HY002, HY004, HY005};
use crate::grammar::Grammar;
use crate::parse::{chars, End, Shape};
use crate::source::Page;

/// The words a hyphen decision may consult: the page's, the run's, and the grammar's lexicons
/// and lists.
#[derive(Debug)]
pub struct Words<'a> {
    /// Words written on this page.
    pub page: Vocab,
    /// Words of the run's inputs and of `--vocabulary` files (built once per run).
    pub run: Option<&'a Vocab>,
    /// The grammar: lexicons, prefix and number-word lists, hyphen classes.
    pub grammar: &'a Grammar,
}

impl<'a> Words<'a> {
    /// The words of a page's lines, with the run's vocabulary if there is one.
    pub fn new<'l>(
        lines: impl Iterator<Item = &'l str>,
        run: Option<&'a Vocab>,
        grammar: &'a Grammar,
    ) -> Words<'a> {
        let page = Vocab::from_lines(lines, &|c| is_mark(grammar, c));
        Words { page, run, grammar }
    }

    fn listed(&self, list: &str, w: &str) -> bool {
        self.grammar
            .list(list)
            .is_some_and(|l| l.contains(&w.to_lowercase()))
    }

    fn lexicon(&self, w: &str) -> bool {
        self.grammar.is_word(w)
    }

    /// Is `w` a word: in the grammar's lexicons, or written at least twice on the page or in
    /// the run (the line that asks counts once)?
    pub fn written_or_listed(&self, w: &str) -> bool {
        self.lexicon(w) || self.page.word(w) >= 2 || self.run.is_some_and(|r| r.word(w) >= 2)
    }

    /// Where `w` is written as a word: on the page, or elsewhere in the run.
    fn known(&self, w: &str) -> bool {
        self.page.word(w) > 0 || self.run.is_some_and(|r| r.word(w) > 0)
    }
}

/// Lines holding only a `break_mark` (`¬`, `⸗`) under a line that ends in a hyphen mark: pdfminer
/// sets the mark of a scanned page's hidden text apart from its word (`con-` / `¬` / `tractor`).
/// The mark repeats the hyphen above it and is removed (HY005); the hyphen is then decided as any
/// other. A lone mark under a line without a hyphen is left: it is the only sign of a break.
pub fn lone_marks(page: &Page, shapes: &[Shape], grammar: &Grammar, out: &mut Vec<Fix>) {
    let mut prev: Option<&Shape> = None;
    for s in shapes {
        let text = &page.text[s.span.clone()];
        if text.trim().is_empty() {
            continue;
        }
        let lone = text
            .chars()
            .all(|c| c.is_whitespace() || grammar.in_class("break_mark", c));
        if lone && prev.is_some_and(|p| p.end == End::Hyphen) {
            out.push(
                Fix::edit(&HY005, s.span.clone(), "").because("the line above ends in a hyphen"),
            );
            continue;
        }
        prev = Some(s);
    }
}

/// Is `c` a line-end hyphen mark (the grammar's `hyphen` class, or a soft hyphen)?
pub fn is_mark(grammar: &Grammar, c: char) -> bool {
    c == '\u{ad}' || grammar.in_class("hyphen", c)
}

/// A line-end hyphen between two fragments.
#[derive(Debug)]
struct Break {
    /// Letters before the mark (`Ben`).
    left: String,
    /// The whole token before the mark, with inner hyphens and apostrophes (`Bois-le`,
    /// `O'Neil`).
    token: String,
    /// Letters after the break (`uel`).
    right: String,
    /// The mark.
    mark: char,
    /// Bytes of the page the mark takes (with the space before a spaced `¬`).
    span: Range<usize>,
}

/// What the evidence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// A word broken at the line end: the mark goes, the parts join.
    Join,
    /// A real hyphen: it stays, the lines join without a space.
    Keep,
    /// A suspended compound (`Schreib- und`): the hyphen stays, and the space.
    Suspended,
    /// The next line does not continue the word: the mark stays, the lines join with a space.
    Apart,
}

struct Decision {
    verdict: Verdict,
    evidence: String,
    safety: Safety,
}

fn decision(verdict: Verdict, evidence: String, safety: Safety) -> Decision {
    Decision {
        verdict,
        evidence,
        safety,
    }
}

/// A decided line-end hyphen: the fix (none when its rule is not selected) and the separator
/// the two lines join with.
#[derive(Debug)]
pub struct Hyphen {
    /// The fix.
    pub fix: Option<Fix>,
    /// The separator between the lines.
    pub sep: &'static str,
}

/// The hyphen decision for line `a` (ending at byte `a_end` of the page) followed by line `b`,
/// or `None` when `a` does not end in a hyphen between two word fragments.
pub fn decide(
    a: &str,
    a_end: usize,
    b: &str,
    words: &Words,
    enabled: &dyn Fn(&str) -> bool,
) -> Option<Hyphen> {
    let br = split(a, a_end, b, words.grammar)?;
    let d = if br.mark == '\u{ad}' {
        decision(
            Verdict::Join,
            "a soft hyphen marks a break".into(),
            Safety::Certain,
        )
    } else {
        weigh(&br, words)?
    };
    let fraktur = br.mark != '-' || br.span.len() != 1;
    let (fix, sep) = match d.verdict {
        Verdict::Join => (
            enabled(HY001.code).then(|| Fix::edit(&HY001, br.span.clone(), "")),
            "",
        ),
        Verdict::Keep | Verdict::Suspended => {
            let (joined, sep) = if d.verdict == Verdict::Keep {
                (format!("{}-{}", br.token, br.right), "")
            } else {
                (format!("{}- {}", br.token, br.right), " ")
            };
            // A Fraktur mark kept as a hyphen is written as one.
            let f = if fraktur {
                Fix::edit(&HY002, br.span.clone(), "-")
            } else {
                Fix::decision(&HY002, br.span.clone(), joined)
            };
            (enabled(HY002.code).then_some(f), sep)
        }
        Verdict::Apart => (
            enabled(HY004.code).then(|| Fix::decision(&HY004, br.span.clone(), "left")),
            " ",
        ),
    };
    if fix.is_none() && matches!(d.verdict, Verdict::Join | Verdict::Keep) {
        return None;
    }
    Some(Hyphen {
        fix: fix.map(|f| f.because(d.evidence).safety(d.safety)),
        sep,
    })
}

/// Find the two fragments around a line-end mark.
fn split(a: &str, a_end: usize, b: &str, g: &Grammar) -> Option<Break> {
    let mark = a.chars().next_back()?;
    if !is_mark(g, mark) {
        return None;
    }
    let mut body = &a[..a.len() - mark.len_utf8()];
    let mut start = a_end - mark.len_utf8();
    // `con ¬`: pdfminer puts a space between the word and a Fraktur mark.
    let trimmed = body.trim_end();
    if trimmed.len() < body.len() {
        if !g.in_class("break_mark", mark) {
            return None;
        }
        start -= body.len() - trimmed.len();
        body = trimmed;
    }
    let last = body.chars().next_back()?;
    let fb = b.chars().next()?;
    if !fb.is_alphanumeric() || chars::is_wide(fb) || !(last.is_alphanumeric() || last == '.') {
        return None;
    }
    let tail = |s: &str, ok: &dyn Fn(char) -> bool| -> String {
        let mut v: Vec<char> = s.chars().rev().take_while(|&c| ok(c)).collect();
        v.reverse();
        v.into_iter().collect()
    };
    let left = tail(body, &chars::is_word_char);
    let token = tail(body, &|c| {
        chars::is_word_char(c) || c == '-' || c == '\'' || c == '.'
    })
    .trim_start_matches(['-', '\'', '.'])
    .to_owned();
    let right: String = b.chars().take_while(|&c| chars::is_word_char(c)).collect();
    if token.is_empty() || !token.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(Break {
        left,
        token,
        right,
        mark,
        span: start..a_end,
    })
}

fn is_capitalised(w: &str) -> bool {
    let mut cs = w.chars().filter(|c| *c != '\'');
    cs.next().is_some_and(char::is_uppercase) && cs.all(char::is_lowercase)
}

fn is_capitals(w: &str) -> bool {
    w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()) && w.chars().any(char::is_uppercase)
}

/// A word with a lowercase letter after its first (`Sur`, `gov`), not an acronym (`COVID`).
fn is_lower_word(w: &str) -> bool {
    w.chars().skip(1).any(char::is_lowercase)
}

fn has_alpha(w: &str) -> bool {
    w.chars().any(char::is_alphabetic)
}

fn has_vowel(w: &str) -> bool {
    w.chars().any(|c| "aeiouyäöüAEIOUYÄÖÜ".contains(c))
}

/// Times: `1 time`, `3 times`.
fn times(n: u32) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

/// Weigh the evidence for one break.
fn weigh(br: &Break, w: &Words) -> Option<Decision> {
    let (left, right) = (br.left.as_str(), br.right.as_str());
    // `Gov.-` / `elect`: an abbreviation before a hyphen is a compound (`Gov.-elect`); after
    // another full stop the mark may be a dash (`26.-After`), which is left as it is.
    if br.token.ends_with('.') {
        let abbr = br.token.trim_end_matches('.');
        let listed = w.grammar.is_abbreviation(abbr);
        return (listed && right.starts_with(char::is_lowercase)).then(|| {
            decision(
                Verdict::Keep,
                format!("`{abbr}.` is an abbreviation: `{}-{right}`", br.token),
                Safety::Review,
            )
        });
    }
    let joined = format!("{left}{right}");
    let compound = format!("{left}-{right}");
    if let Some(d) = suspended(br, w, &joined) {
        return Some(d);
    }
    let d = written(&joined, &compound, &w.page, "on this page")
        .or_else(|| {
            w.run
                .and_then(|r| written(&joined, &compound, r, "in this run's inputs"))
        })
        .or_else(|| other_column(br, w, &joined))
        .or_else(|| kept_by_shape(br, w, &joined))
        .unwrap_or_else(|| joined_by_shape(br, w, &joined));
    Some(d)
}

/// `recently cap¬` / `On the`, `Jugo¬` / `The com…`: a function word of the grammar, or a
/// capitalised word the page writes often, that does not continue the fragment starts another
/// column's line, after a lowercase fragment or after any `break_mark` (`¬`, `⸗`, never a written
/// hyphen); the mark is left where it is. Weighed before the shape rules, so that the rule for
/// two names does not keep `Jugo-The`.
fn other_column(br: &Break, w: &Words, joined: &str) -> Option<Decision> {
    let (left, right) = (br.left.as_str(), br.right.as_str());
    let function_word = w.listed("function_word", right);
    let common_capital =
        is_capitalised(right) && right.chars().count() >= 2 && w.page.word(right) >= COMMON;
    let break_mark = w.grammar.in_class("break_mark", br.mark);
    if !((left.starts_with(char::is_lowercase) || break_mark)
        && (function_word || common_capital)
        && !w.lexicon(joined)
        && !w.known(joined))
    {
        return None;
    }
    // `neighbourhood-` / `we were`: after a whole word a `-` before a function word is a dash set
    // without spaces; it stays where it is.
    if function_word && br.mark == '-' && w.lexicon(left) && left.chars().count() >= 4 {
        return Some(decision(
            Verdict::Keep,
            format!("`{left}` is a whole word and `{right}` a function word: the mark is a dash"),
            Safety::Review,
        ));
    }
    let why = if function_word {
        format!("`{right}` is a function word and `{joined}` is no word: the next line does not continue `{left}`")
    } else {
        format!(
            "`{right}` is written {} on this page and `{joined}` is no word: the next line does not continue `{left}`",
            times(w.page.word(right))
        )
    };
    Some(decision(Verdict::Apart, why, Safety::Review))
}

/// `Schreib-` / `und Lesebuch`: a conjunction after the hyphen (the grammar's
/// `suspension_word` list) and no word `Schreibund` means the compound's second half is
/// suspended; `thous-`/`and` is the word `thousand`.
fn suspended(br: &Break, w: &Words, joined: &str) -> Option<Decision> {
    let (left, right) = (br.left.as_str(), br.right.as_str());
    // The first part is a word or a prefix on its own (`Privat-`, `pre-`), not a syllable.
    let part = (w.lexicon(left) && left.chars().count() >= 3) || w.listed("hyphen_prefix", left);
    (w.listed("suspension_word", right)
        && right.chars().all(char::is_lowercase)
        && part
        && !w.lexicon(joined)
        && !w.known(joined))
    .then(|| {
        decision(
            Verdict::Suspended,
            format!("`{right}` after `{left}-`: a suspended compound, and `{joined}` is no word"),
            Safety::Review,
        )
    })
}

/// The vocabulary writes the joined word or the hyphenated compound.
fn written(joined: &str, compound: &str, v: &Vocab, place: &str) -> Option<Decision> {
    let (j, c) = (v.word(joined), v.compound(compound));
    if c > j {
        let solid = if j == 0 { "never".to_owned() } else { times(j) };
        return Some(decision(
            Verdict::Keep,
            format!(
                "`{compound}` is written with its hyphen {} {place}, `{joined}` {solid}",
                times(c)
            ),
            if j == 0 {
                Safety::Certain
            } else {
                Safety::Review
            },
        ));
    }
    (j > 0).then(|| {
        decision(
            Verdict::Join,
            format!("`{joined}` occurs {} {place}", times(j)),
            Safety::Certain,
        )
    })
}

/// Positive evidence from the shape of the parts that the hyphen is written.
fn kept_by_shape(br: &Break, w: &Words, joined: &str) -> Option<Decision> {
    let (left, right, token) = (br.left.as_str(), br.right.as_str(), br.token.as_str());
    let keep = |why: String| Some(decision(Verdict::Keep, why, Safety::Review));
    let lexical = w.lexicon(joined);
    // `to-` / `day`: the grammar lists the compound as written with its hyphen (checked after the
    // page and the run, whose own spelling wins: a page writing `today` joins it).
    let compound = format!("{left}-{right}");
    if w.listed("hyphen_compound", &compound) {
        return keep(format!(
            "`{compound}` is written with its hyphen (the grammar's compounds) and the page never writes `{joined}`"
        ));
    }
    // `Albert-` / `street`: a capitalised word before a street word of the grammar.
    if is_capitalised(left)
        && left.chars().count() >= 3
        && right.starts_with(char::is_lowercase)
        && w.listed("hyphen_suffix", right)
        && !lexical
    {
        return keep(format!(
            "`{right}` after capitalised `{left}` is a street word written with a hyphen (`{left}-{right}`)"
        ));
    }
    // `COVID-19`, `H1N1-2009`, `S-E3`; not `Sur-`/`1 veyor`'s stray digit after a lowercase part.
    let numeric = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    let digit_first = right.starts_with(|c: char| c.is_ascii_digit());
    if numeric(left)
        || (digit_first && !is_lower_word(left))
        || (numeric(right) && is_capitals(right))
    {
        return keep(format!("a numeric part: `{token}-{right}`"));
    }
    if token.contains('-') && right.starts_with(char::is_uppercase) {
        return keep(format!(
            "`{token}` is already a compound and `{right}` is capitalised"
        ));
    }
    if w.listed("number_tens", left)
        || (!lexical
            && (w.listed("number_unit", right)
                || (w.listed("number_unit", left) && right.starts_with(char::is_lowercase))))
    {
        return keep(format!("`{left}-{right}` is a compound of number words"));
    }
    let (ll, rl) = (left.to_lowercase(), right.to_lowercase());
    let vowel_clash = ll
        .chars()
        .next_back()
        .zip(rl.chars().next())
        .is_some_and(|(x, y)| x == y && w.grammar.in_class("vowel", x));
    if vowel_clash && w.listed("vowel_prefix", left) {
        return keep(format!(
            "the prefix `{left}-` is hyphenated before the same vowel (`{left}-{right}`)"
        ));
    }
    if w.listed("hyphen_prefix", left)
        && !lexical
        && (w.known(right) || (w.lexicon(right) && right.chars().count() >= 5))
    {
        return keep(format!(
            "`{left}-` is a prefix written with a hyphen and `{right}` is a word; `{joined}` is not"
        ));
    }
    let capitals = |s: &str| is_capitals(s) && s.chars().count() >= 2;
    if capitals(left)
        && has_alpha(left)
        && (right.chars().count() == 1
            || (right.starts_with(char::is_lowercase) && right.chars().any(char::is_uppercase)))
    {
        return keep(format!("`{left}` is an acronym before `{right}`"));
    }
    if left.chars().all(char::is_lowercase) && capitals(right) && has_alpha(right) {
        return keep(format!(
            "`{right}` in capitals after lowercase `{left}`: a compound with an acronym"
        ));
    }
    if !lexical && open_compound(w, left, right) {
        return keep(format!(
            "`{left}` and `{right}` are words of a language that hyphenates compounds; `{joined}` is not"
        ));
    }
    let name = token.trim_start_matches(|c: char| !c.is_alphabetic());
    if is_capitalised(name)
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && is_capitalised(right)
        && right.chars().count() >= 3
        && has_vowel(right)
        && !lexical
    {
        return keep(format!(
            "two capitalised names: `{name}-{right}`, and `{joined}` is no word"
        ));
    }
    None
}

/// Two words of a lexicon whose language writes open compounds with a hyphen, long enough not to
/// be syllables (the English lexicon holds `pean`, `whit`, `more`: `Euro-pean` and `Whit-more`
/// are broken words; `Volume-based` and `bullet-headed` are compounds). Measured on the dev pages
/// and the ChronAm labels: a first part of 4 letters and a second of 5.
fn open_compound(w: &Words, left: &str, right: &str) -> bool {
    const MIN_LEFT: usize = 4;
    const MIN_RIGHT: usize = 5;
    let Some(lexicons) = w.grammar.list("open_compound_lexicon") else {
        return false;
    };
    left.chars().count() >= MIN_LEFT
        && right.chars().count() >= MIN_RIGHT
        && right.starts_with(char::is_lowercase)
        && lexicons
            .words()
            .any(|l| w.grammar.in_lexicon(l, left) && w.grammar.in_lexicon(l, right))
}

/// How often a word must be written on the page to count as a common word of it.
const COMMON: u32 = 3;

/// Without evidence for the hyphen, the word was broken: say what shows it.
fn joined_by_shape(br: &Break, w: &Words, joined: &str) -> Decision {
    let (left, right) = (br.left.as_str(), br.right.as_str());
    let join = |why: String, s: Safety| decision(Verdict::Join, why, s);
    let alone = if w.known(right) {
        format!("`{right}` is written as a word on the page")
    } else {
        format!("`{right}` is not a word on this page")
    };
    if w.lexicon(joined) {
        let safety = if right.starts_with(char::is_lowercase) {
            Safety::Certain
        } else {
            Safety::Review
        };
        return join(format!("`{joined}` is a word of the lexicon"), safety);
    }
    if is_capitals(left) && is_capitals(right) {
        return join(
            format!("a word in capitals broken at the line end; {alone}"),
            Safety::Review,
        );
    }
    if right.starts_with(char::is_lowercase) {
        return join(
            format!("lowercase continuation; {alone}, nothing shows `{left}-{right}` is written"),
            Safety::Review,
        );
    }
    join(
        format!(
            "`{right}` after `{left}-`, but nothing shows `{left}-{right}` is written; {alone}"
        ),
        Safety::Review,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::Grammar;

    /// The text the two lines join to, and the fix's code.
    fn h(a: &str, b: &str, page: &[&str]) -> (String, &'static str) {
        let g = Grammar::default_grammar();
        let w = Words::new(page.iter().copied(), None, &g);
        let Some(d) = decide(a, a.len(), b, &w, &|_| true) else {
            return (format!("{a}|{b}"), "none");
        };
        let f = d.fix.unwrap();
        let a2 = match &f.replacement {
            Some(r) => format!("{}{r}", &a[..f.span.start]),
            None => a.to_owned(),
        };
        (format!("{a2}{}{b}", d.sep), f.rule.code)
    }

    #[test]
    fn broken_words_join_without_evidence_for_the_hyphen() {
        assert_eq!(
            h("Capt. Ben-", "jamin R. Tolley", &[]).0,
            "Capt. Benjamin R. Tolley"
        );
        assert_eq!(
            h("THE ADMINIS-", "TRATION PLAN", &[]).0,
            "THE ADMINISTRATION PLAN"
        );
        assert_eq!(h("ganz herr-", "liches", &[]).0, "ganz herrliches");
        assert_eq!(h("die Ver-", "Sammlung", &[]).0, "die VerSammlung");
        // The page writes the joined word.
        let page = ["Benjamin came", "and Benjamin went"];
        let (_, code) = h("Ben-", "jamin", &page);
        assert_eq!(code, "HY001");
    }

    #[test]
    fn hyphens_are_kept_on_evidence() {
        assert_eq!(h("snowed thirty-", "six", &[]).0, "snowed thirty-six");
        assert_eq!(
            h("They fired a two-", "pounder shell", &[]).0,
            "They fired a two-pounder shell"
        );
        assert_eq!(
            h("the extreme anti-", "tariff men", &["the tariff"]).0,
            "the extreme anti-tariff men"
        );
        assert_eq!(
            h("with the co-", "operation of", &[]).0,
            "with the co-operation of"
        );
        assert_eq!(
            h("that Sen.-", "elect Marlow", &[]).0,
            "that Sen.-elect Marlow"
        );
        assert_eq!(h("Bois-le-", "Duc", &[]).0, "Bois-le-Duc");
        assert_eq!(
            h("the Anglo-", "Saxon kings", &[]).0,
            "the Anglo-Saxon kings"
        );
        assert_eq!(h("a heavy B-", "52 bomber", &[]).0, "a heavy B-52 bomber");
        // The page writes the hyphen more often than the solid word.
        assert_eq!(h("to-", "day", &["to-day it rains, to-day"]).0, "to-day");
        // The grammar's compounds keep their hyphen unless the page writes the solid word.
        assert_eq!(h("to-", "morrow night", &[]).0, "to-morrow night");
        assert_eq!(h("to-", "day", &["today it rains, today"]).0, "today");
        // A street word after a capitalised word; not after a lowercase one.
        assert_eq!(
            h("in Albert-", "street yesterday", &[]).0,
            "in Albert-street yesterday"
        );
        assert_eq!(h("a cross-", "lane", &[]).0, "a crosslane");
        // But it is not enough that both parts are words (`car`, `pet`).
        assert_eq!(h("a new car-", "pet", &[]).0, "a new carpet");
    }

    #[test]
    fn fraktur_marks_and_suspended_compounds() {
        assert_eq!(
            h("die Truppen ver¬", "sammelten", &[]).0,
            "die Truppen versammelten"
        );
        assert_eq!(
            h("die Truppen ver⸗", "sammelten", &[]).0,
            "die Truppen versammelten"
        );
        assert_eq!(
            h("die Truppen ver=", "sammelten", &[]).0,
            "die Truppen versammelten"
        );
        assert_eq!(h("to be ex ¬", "amined", &[]).0, "to be examined");
        assert_eq!(h("soft\u{ad}", "ware", &[]).0, "software");
        // A kept Fraktur mark is written as a hyphen.
        assert_eq!(h("snowed thirty¬", "six", &[]).0, "snowed thirty-six");
        let (text, code) = h("für Rechen-", "und Lesestunden", &[]);
        assert_eq!(
            (text.as_str(), code),
            ("für Rechen- und Lesestunden", "HY002")
        );
        assert_eq!(h("Staats¬", "und Gemeinde", &[]).0, "Staats- und Gemeinde");
        // `thousand` is a word: no suspension.
        assert_eq!(h("a thous-", "and men", &[]).0, "a thousand men");
    }

    #[test]
    fn a_line_of_another_column_is_not_glued() {
        let page = ["The one hand.", "The other.", "The whole."];
        let (text, code) = h("it is expla¬", "The war", &page);
        assert_eq!((text.as_str(), code), ("it is expla¬ The war", "HY004"));
        // After a capitalised fragment too: `¬` is never a written hyphen (1920 Evening Star,
        // pdftotext), so no `Jugo-The`.
        let (text, code) = h("the Jugo¬", "The com¬ or four weeks.", &[]);
        assert_eq!(
            (text.as_str(), code),
            ("the Jugo¬ The com¬ or four weeks.", "HY004")
        );
        // A dash after a full stop that is no abbreviation is left to the join rules.
        assert_eq!(h("March 3.-", "Before", &[]).1, "none");
    }
}
