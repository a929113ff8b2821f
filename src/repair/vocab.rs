//! The words a page writes, and the words of a whole run: evidence for line-end hyphens.
//!
//! Contract: [`Vocab`] counts the Latin words and the hyphenated compounds written *inside*
//! lines. The two fragments of a line-end hyphen (`Ben-` at the end of one line, `jamin` at the
//! start of the next) are not counted: they are what the hyphen decision asks about, so counting
//! them would make every fragment look like a word of the page. Words are counted lowercased.
//!
//! A page's vocabulary is built by [`Vocab::from_lines`]; a run's (every input of one batch, and
//! a `--vocabulary` file) by [`Vocab::add_text`] and [`Vocab::add_word`], once, before the pages
//! are cleaned, and shared read-only through [`crate::Options::vocabulary`].

use std::collections::HashMap;

use crate::parse::chars;

/// Counts of words and of hyphenated compounds (lowercased).
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    words: HashMap<String, u32>,
    compounds: HashMap<String, u32>,
}

/// Does `line` end in a line-end hyphen mark after a letter (`Ben-`, `ver¬`, `ex ¬`)? Returns
/// the line without the mark.
fn strip_mark<'l>(line: &'l str, is_mark: &dyn Fn(char) -> bool) -> Option<&'l str> {
    let t = line.trim_end();
    let last = t.chars().next_back()?;
    if !is_mark(last) {
        return None;
    }
    let body = t[..t.len() - last.len_utf8()].trim_end();
    body.chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace())
        .then_some(body)
}

impl Vocab {
    /// Build from the lines of one page, in order.
    pub fn from_lines<'a>(
        lines: impl Iterator<Item = &'a str>,
        is_mark: &dyn Fn(char) -> bool,
    ) -> Vocab {
        let mut v = Vocab::default();
        v.add_lines(lines, is_mark);
        v
    }

    /// Add the lines of a text (a page or a whole input file).
    pub fn add_text(&mut self, text: &str, is_mark: &dyn Fn(char) -> bool) {
        self.add_lines(text.lines(), is_mark);
    }

    /// Add lines in order, leaving out the fragments of line-end hyphens.
    pub fn add_lines<'a>(
        &mut self,
        lines: impl Iterator<Item = &'a str>,
        is_mark: &dyn Fn(char) -> bool,
    ) {
        let mut after_hyphen = false;
        for line in lines {
            let (body, hyphen) = match strip_mark(line, is_mark) {
                Some(b) => (b, true),
                None => (line.trim_end(), false),
            };
            let toks: Vec<&str> = body
                .split(|c: char| !(chars::is_word_char(c) || c == '-' || c == '\''))
                .filter(|t| !t.is_empty())
                .collect();
            // The first token continues the previous line's fragment; the last one is a fragment.
            let skip_first = usize::from(after_hyphen);
            let end = toks.len() - usize::from(hyphen && !toks.is_empty());
            for tok in toks.iter().take(end).skip(skip_first) {
                self.add_token(tok);
            }
            if !line.trim().is_empty() {
                after_hyphen = hyphen;
            }
        }
    }

    fn add_token(&mut self, tok: &str) {
        let tok = tok.trim_matches(|c| c == '-' || c == '\'');
        if tok.is_empty() || !tok.chars().any(chars::is_latin) {
            return;
        }
        let low = tok.to_lowercase();
        if low.contains('-') {
            for part in low.split('-').filter(|p| !p.is_empty()) {
                *self.words.entry(part.to_owned()).or_default() += 1;
            }
            *self.compounds.entry(low).or_default() += 1;
        } else {
            *self.words.entry(low).or_default() += 1;
        }
    }

    /// Add one word (a line of a `--vocabulary` file), counted once.
    pub fn add_word(&mut self, w: &str) {
        let w = w.trim();
        if !w.is_empty() && !w.starts_with('#') {
            self.add_token(w);
        }
    }

    /// Add the counts of another vocabulary.
    pub fn merge(&mut self, other: Vocab) {
        for (w, n) in other.words {
            *self.words.entry(w).or_default() += n;
        }
        for (w, n) in other.compounds {
            *self.compounds.entry(w).or_default() += n;
        }
    }

    /// How often `w` is written as a word (inside a line, or as a part of a compound).
    pub fn word(&self, w: &str) -> u32 {
        self.words.get(&w.to_lowercase()).copied().unwrap_or(0)
    }

    /// How often the hyphenated compound `w` (`to-day`) is written inside a line.
    pub fn compound(&self, w: &str) -> u32 {
        self.compounds.get(&w.to_lowercase()).copied().unwrap_or(0)
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// No words at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(c: char) -> bool {
        matches!(c, '-' | '¬')
    }

    #[test]
    fn fragments_of_line_end_hyphens_are_not_words() {
        let v = Vocab::from_lines(
            [
                "Capt. Ben-",
                "jamin Tolley wrote to-day,",
                "and Ben¬",
                "jamin came",
            ]
            .into_iter(),
            &mark,
        );
        assert_eq!(v.word("ben"), 0);
        assert_eq!(v.word("jamin"), 0);
        assert_eq!(v.word("tolley"), 1);
        assert_eq!(v.compound("to-day"), 1);
        assert_eq!(v.word("day"), 1);
        assert_eq!(v.word("came"), 1);
    }

    #[test]
    fn spaced_mark_and_vocabulary_words() {
        let mut v = Vocab::from_lines(["to be ex ¬", "amined now"].into_iter(), &mark);
        assert_eq!(v.word("ex"), 0);
        assert_eq!(v.word("amined"), 0);
        assert_eq!(v.word("now"), 1);
        v.add_word("Anti-Tariff");
        v.add_word("# a comment");
        assert_eq!(v.compound("anti-tariff"), 1);
        assert_eq!(v.len(), 5);
    }
}
