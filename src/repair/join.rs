//! Line joins and hyphenation, decided once paragraphs are known.
//!
//! CJK lines join with no space (the CSS Text 3 segment-break rule that pandoc's
//! `east_asian_line_breaks` implements); a digit next to a CJK character joins too (`2023` +
//! `年`). Latin lines join with one space. A line-end hyphen after a letter is a break inside a
//! word or a real hyphen; the evidence is, in order: the page's own vocabulary (the joined word
//! seen unbroken, or the hyphenated form seen inside a line), then the shape of the two parts
//! (a capitalised, numeric or mixed-case second part, or an acronym first part, keeps it).

use std::collections::HashMap;

use crate::fix::{Fix, Safety, HY001, HY002};
use crate::parse::chars;

/// Words of a page (lowercased) and hyphenated compounds seen inside lines.
#[derive(Debug, Default)]
pub struct Vocab {
    words: HashMap<String, u32>,
    compounds: HashMap<String, u32>,
}

impl Vocab {
    /// Build from line texts.
    pub fn from_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Vocab {
        let mut v = Vocab::default();
        for line in lines {
            let trimmed = line.trim_end();
            let body = trimmed.strip_suffix('-').unwrap_or(trimmed);
            for tok in body.split(|c: char| !(chars::is_word_char(c) || c == '-' || c == '\'')) {
                let tok = tok.trim_matches(|c| c == '-' || c == '\'');
                if tok.is_empty() || !tok.chars().any(chars::is_latin) {
                    continue;
                }
                let low = tok.to_lowercase();
                if low.contains('-') {
                    *v.compounds.entry(low.clone()).or_default() += 1;
                    for part in low.split('-') {
                        *v.words.entry(part.to_owned()).or_default() += 1;
                    }
                } else {
                    *v.words.entry(low).or_default() += 1;
                }
            }
        }
        v
    }

    fn word(&self, w: &str) -> u32 {
        self.words.get(&w.to_lowercase()).copied().unwrap_or(0)
    }

    fn compound(&self, w: &str) -> u32 {
        self.compounds.get(&w.to_lowercase()).copied().unwrap_or(0)
    }
}

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
    vocab: &Vocab,
    cjk: bool,
    is_word: &dyn Fn(&str) -> bool,
    enabled: &dyn Fn(&str) -> bool,
) -> Join {
    let (Some(la), Some(fb)) = (a.chars().next_back(), b.chars().next()) else {
        return Join { sep: "", fix: None };
    };
    let hyphen = matches!(la, '-' | '‐' | '¬' | '⸗' | '\u{ad}');
    let before_h = a.chars().rev().nth(1);
    if hyphen
        && before_h.is_some_and(char::is_alphanumeric)
        && fb.is_alphanumeric()
        && !chars::is_wide(fb)
    {
        let left: String = {
            let mut v: Vec<char> = a
                .chars()
                .rev()
                .skip(1)
                .take_while(|&c| chars::is_word_char(c))
                .collect();
            v.reverse();
            v.into_iter().collect()
        };
        let right: String = b.chars().take_while(|&c| chars::is_word_char(c)).collect();
        let joined = format!("{left}{right}");
        let compound = format!("{left}-{right}");
        let hspan = a_end - la.len_utf8()..a_end;
        let (remove, evidence, safety) = if vocab.compound(&compound) > 0 {
            (
                false,
                format!("`{compound}` appears hyphenated inside a line"),
                Safety::Certain,
            )
        } else if vocab.word(&joined) > 0 {
            (
                true,
                format!("`{joined}` appears unbroken on the page"),
                Safety::Certain,
            )
        } else if !right.starts_with(char::is_uppercase) && is_word(&joined) {
            (
                true,
                format!("`{joined}` is a word of the lexicon"),
                Safety::Certain,
            )
        } else if left.chars().count() >= 2 && is_word(&left) && is_word(&right) {
            (
                false,
                format!("`{left}` and `{right}` are words and `{joined}` is not"),
                Safety::Review,
            )
        } else if right.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) {
            (
                false,
                format!("second part `{right}` is capitalised or numeric"),
                Safety::Review,
            )
        } else if right.chars().skip(1).any(char::is_uppercase) {
            (
                false,
                format!("second part `{right}` is mixed case"),
                Safety::Review,
            )
        } else if left.chars().count() >= 2
            && left.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        {
            (
                false,
                format!("first part `{left}` is an acronym"),
                Safety::Review,
            )
        } else if left.chars().any(|c| c.is_ascii_digit()) {
            (
                false,
                format!("first part `{left}` holds a digit"),
                Safety::Review,
            )
        } else if la == '¬' || la == '\u{ad}' || la == '⸗' {
            (true, format!("`{la}` marks a break"), Safety::Certain)
        } else {
            (
                true,
                format!("lowercase continuation `{right}`"),
                Safety::Review,
            )
        };
        if remove && enabled(HY001.code) {
            return Join {
                sep: "",
                fix: Some(
                    Fix::edit(&HY001, hspan, "")
                        .because(evidence)
                        .safety(safety),
                ),
            };
        }
        let fix = enabled(HY002.code).then(|| {
            Fix::decision(&HY002, hspan, format!("{left}-{right}"))
                .because(evidence)
                .safety(safety)
        });
        return Join { sep: "", fix };
    }
    // In CJK text, quotes and dashes of ambiguous width are set full-width and join like CJK.
    let wide =
        |c: char| chars::is_wide(c) || (cjk && chars::width(c, true) == 2 && chars::is_punct(c));
    let sep = if wide(la) || wide(fb) || la == '\u{ad}' {
        ""
    } else if cjk && !(la.is_alphabetic() && fb.is_alphabetic()) {
        // In CJK text numbers and formulas (2+ / 36) are never broken at a space.
        ""
    } else if hyphen && a.chars().rev().nth(1).is_some_and(char::is_whitespace) {
        // A spaced dash (` -`) at the line end: the words on either side stay apart.
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
        let v = Vocab::from_lines(page.iter().copied());
        let g = crate::grammar::Grammar::default_grammar();
        let d = decide(a, a.len(), b, &v, false, &|w| g.is_word(w), &|_| true);
        let removed = d.fix.as_ref().is_some_and(|f| f.replacement.is_some());
        let a2 = if removed { &a[..a.len() - 1] } else { a };
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
}
