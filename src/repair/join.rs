//! Line joins and hyphenation, decided once paragraphs are known.
//!
//! CJK lines join with no space (the CSS Text 3 segment-break rule that pandoc's
//! `east_asian_line_breaks` implements); a digit next to a CJK character joins too (`2023` +
//! `年`). Latin lines join with one space. A line-end hyphen after a letter is a break inside a
//! word or a real hyphen; the evidence is, in order: the page's own vocabulary (the joined word
//! seen unbroken, or the hyphenated form seen inside a line), then the shape of the two parts
//! (a capitalised, numeric or mixed-case second part, or an acronym first part, keeps it).

use super::hyphen::{self, Words};
use crate::fix::Fix;
use crate::parse::chars;

/// How two lines of one block join.
#[derive(Debug)]
pub struct Join {
    /// Separator to put between them.
    pub sep: &'static str,
    /// The hyphen decision, if there was one.
    pub fix: Option<Fix>,
}

/// Decide the join of line text `a` (ending at byte `a_end` of the page) with line text `b`.
pub fn decide(
    a: &str,
    a_end: usize,
    b: &str,
    words: &Words,
    cjk: bool,
    enabled: &dyn Fn(&str) -> bool,
) -> Join {
    let (Some(la), Some(fb)) = (a.chars().next_back(), b.chars().next()) else {
        return Join { sep: "", fix: None };
    };
    if let Some(h) = hyphen::decide(a, a_end, b, words, enabled) {
        return Join {
            sep: h.sep,
            fix: h.fix,
        };
    }
    let hyphen = hyphen::is_mark(words.grammar, la);
    // In CJK text, quotes and dashes of ambiguous width are set full-width and join like CJK.
    let wide =
        |c: char| chars::is_wide(c) || (cjk && chars::width(c, true) == 2 && chars::is_punct(c));
    let sep = if wide(la) || wide(fb) || la == '\u{ad}' {
        ""
    } else if cjk && !(la.is_alphabetic() && fb.is_alphabetic()) {
        // In CJK text numbers and formulas (2+ / 36) are never broken at a space.
        ""
    } else if hyphen && a.chars().rev().nth(1).is_none_or(char::is_whitespace) {
        // A spaced dash (` -`) at the line end, or a mark alone on its line (a `¬` whose word
        // pdfminer put elsewhere): the words on either side stay apart.
        " "
    } else if hyphen || matches!(la, '—' | '–') {
        // A dash at the line end joins without a space; so does a hyphen before a non-letter.
        ""
    } else {
        " "
    };
    Join { sep, fix: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(a: &str, b: &str, page: &[&str]) -> (String, bool) {
        let g = crate::grammar::Grammar::default_grammar();
        let w = Words::new(page.iter().copied(), None, &g);
        let d = decide(a, a.len(), b, &w, false, &|_| true);
        let (a2, removed) = match d
            .fix
            .as_ref()
            .and_then(|f| Some((f.span.clone(), f.replacement.as_deref()?)))
        {
            Some((span, rep)) => (format!("{}{rep}", &a[..span.start]), rep.is_empty()),
            None => (a.to_owned(), false),
        };
        (format!("{a2}{}{b}", d.sep), removed)
    }

    #[test]
    fn cjk_and_digits_join_without_space() {
        assert_eq!(
            j("计划于2024年至2026", "年期间", &[]).0,
            "计划于2024年至2026年期间"
        );
        assert_eq!(j("乡村", "振兴", &[]).0, "乡村振兴");
        assert_eq!(j("the", "cat", &[]).0, "the cat");
    }

    #[test]
    fn hyphens() {
        assert_eq!(j("5G智能Net-", "work 设备", &[]).0, "5G智能Network 设备");
        assert_eq!(j("平台Net-", "work", &["平台Net"]).0, "平台Network");
        assert_eq!(j("LTE-", "M", &[]).0, "LTE-M");
        assert_eq!(j("COVID-", "19", &[]).0, "COVID-19");
        assert_eq!(j("Franco-", "Prussian", &[]).0, "Franco-Prussian");
        assert_eq!(j("gov-", "ernment", &[]).0, "government");
        // The lexicon: a joined word, or two words that are not one.
        assert_eq!(j("well-", "known", &[]).0, "well-known");
        assert_eq!(j("twenty-", "five", &[]).0, "twenty-five");
        assert_eq!(j("con-", "stitution", &[]).0, "constitution");
        assert_eq!(j("Haupt-", "stadt", &[]).0, "Hauptstadt");
        // The page's vocabulary overrides the lexicon.
        assert_eq!(j("to-", "day", &["today it rains"]).0, "today");
        assert_eq!(j("sea-", "side", &["the sea-side resort"]).0, "sea-side");
    }

    #[test]
    fn a_mark_alone_on_its_line_glues_to_nothing() {
        // pdfminer's lone `¬` whose word went to another column: no word is made of it.
        assert_eq!(j("¬", "in cases", &[]).0, "¬ in cases");
        assert_eq!(j("In fact", "¬", &[]).0, "In fact ¬");
    }
}
