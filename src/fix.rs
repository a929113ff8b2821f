//! Fixes as data, the rule registry, and the one applier.
//!
//! Every change galley makes is a [`Fix`]: a rule, a safety class, a byte span of the page, the
//! text before and after, and (for decisions that weigh evidence) the evidence. Text edits are
//! applied by [`Applied::new`] alone; structural decisions (a paragraph break, a title moved
//! across the page) are fixes without an edit. Text output, JSON, the diff, the review page and
//! the counts all derive from the one list of fixes a page produces.

use std::ops::Range;

use serde::Serialize;

use crate::source::Page;

/// How sure a fix is (ruff's applicability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Needs a reviewer's look: sorted first in reviews.
    Review,
    /// Mechanical: the artifact has one reading.
    Certain,
}

impl Safety {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Review => "review",
            Safety::Certain => "certain",
        }
    }
}

/// A rule: its code, name and documentation (printed by `galley explain`).
#[derive(Debug)]
pub struct Rule {
    /// Stable code: family prefix and number.
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    /// Default safety of its fixes.
    pub safety: Safety,
    /// What it fixes.
    pub what: &'static str,
    /// Why the artifact arises.
    pub why: &'static str,
    /// Example: before → after.
    pub example: &'static str,
    /// When it can be wrong.
    pub wrong: &'static str,
}

macro_rules! rules {
    ($($id:ident = $code:literal, $name:literal, $safety:ident, $what:literal, $why:literal, $ex:literal, $wrong:literal;)*) => {
        $(
            #[doc = $what]
            pub static $id: Rule = Rule { code: $code, name: $name, safety: Safety::$safety,
                what: $what, why: $why, example: $ex, wrong: $wrong };
        )*
        /// Every rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$id),*];
    };
}

rules! {
    DR001 = "DR001", "doubled-heading", Certain,
        "A heading whose every drawn run is doubled is undoubled.",
        "Bold headings are drawn twice (fill and stroke); extractors emit each run twice.",
        "老城区老城区““换新颜换新颜””加装电梯加装电梯 → 老城区“换新颜”加装电梯",
        "A short heading made only of a real reduplication (研究研究). Single-unit doublings of two characters or less need evidence (a known place, a doubled neighbour), so those survive.";
    DR002 = "DR002", "repeated-line", Review,
        "A heading line repeated verbatim on the next line is dropped once.",
        "Some extractors emit the fill and the stroke of a bold line as two lines.",
        "山区公路全线贯通 / 山区公路全线贯通 → 山区公路全线贯通",
        "A page that really prints the same short line twice in a row.";
    DR003 = "DR003", "interleaved-copies", Review,
        "A title drawn twice whose two copies an extractor shuffled together over a few lines is written once.",
        "pdfminer sorts the characters of two slightly offset copies of a bold title into lines by position, so lines hold pieces of both copies, out of order.",
        "乙丙丁 / 甲子3030乙丙丁 / 甲子 → 甲子30乙丙丁",
        "A few short lines that really print every character twice in a shuffled order; none is known.";
    SP001 = "SP001", "letter-spaced", Certain,
        "A letter-spaced run of single characters is closed up.",
        "Narrow justified lines are set with letter spacing; extractors turn the gaps into spaces.",
        "进 行 篮 球 训 练 。 记 者 → 进行篮球训练。记者",
        "Two-character names padded to three cells (程 龙) are also single characters; bylines are left alone for that reason.";
    SP002 = "SP002", "digit-cjk-space", Certain,
        "A space between a digit and a CJK character is removed.",
        "Tracked digits and justification put spaces around numbers in CJK text.",
        "6 月 1 日 → 6月1日",
        "A list of numbered CJK items written with spaces on purpose.";
    SP003 = "SP003", "letter-spaced-latin", Certain,
        "A letter-spaced Latin line closes up into words; double spaces separate words.",
        "OCR reads spaced-out headings (Sperrsatz) letter by letter.",
        "E i n e  E r z ä h l u n g → Eine Erzählung",
        "A line of real one-letter words.";
    SP004 = "SP004", "fullwidth-mark-space", Certain,
        "On a line of CJK text, a space beside a full-width punctuation mark, or between a number and its percent sign, is removed.",
        "Full-width marks carry their own spacing; justified and letter-spaced lines put spaces around them and between a number and its sign.",
        "（ Machine Learning ） → （Machine Learning）",
        "A space set on purpose after a full-width mark (a hand-made list or table).";
    HY001 = "HY001", "hyphen-break", Review,
        "A line-end hyphen inside a word is removed and the word rejoined.",
        "Columns break long words with a hyphen at the line end.",
        "gov- / ernment → government",
        "A real compound broken at its hyphen (well- / known) when neither the page nor the word's shape says so.";
    HY002 = "HY002", "hyphen-kept", Review,
        "A line-end hyphen that is a real hyphen is kept and the line joined without a space.",
        "Compounds, acronyms and numbers keep their hyphen when broken at it.",
        "H1N1- / 2009 → H1N1-2009",
        "A break inside a word whose second part is capitalised or numeric by chance.";
    HY004 = "HY004", "hyphen-no-continuation", Review,
        "A line-end hyphen whose next line does not continue the word is left as it is, and the lines are joined with a space.",
        "Extractors interleave columns: the line after a hyphen may start another column's text.",
        "recently cap¬ / On the → recently cap¬ On the",
        "A word OCR broke before a wrong capital (`Ver-`/`Handlungen`) whose second part is also a common word of the page.";
    HY003 = "HY003", "hyphen-inside-line", Review,
        "A word broken by a hyphen and a space inside a line is rejoined when the joined form is a word.",
        "Extractors that merge lines (pdftotext across columns) leave line-end hyphens inside lines.",
        "fommis- sioners → fommissioners; gov- ernment → government",
        "A dash written as a hyphen before a lowercase word (`well- and badly-made`).";
    HY005 = "HY005", "lone-break-mark", Certain,
        "A line holding only a Fraktur break mark, under a line that ends in a hyphen, is removed: it repeats that hyphen.",
        "pdfminer reads the hidden text of scanned pages with the break mark as a text box of its own.",
        "con- / ¬ / tractor → con- / tractor → contractor",
        "None known: the mark stands for the hyphen above it, which stays and is decided as any line-end hyphen.";
    CO001 = "CO001", "columns-side-by-side", Review,
        "A block holding the lines of two columns in turn is read column by column.",
        "When two columns' lines do not share baselines, pdftotext sorts them together by height: their lines alternate, and two lines on one baseline come out as one line with a space between.",
        "春天来到小城的河边， 新建图书馆已经开 / 柳树发出新芽，游人沿 放，每天接待读者 / 着河堤散步，孩子们放 三百多人次，周末 / 风筝，笑声一片。 还有讲座。 → 春天来到小城的河边，柳树发出新芽，游人沿着河堤散步，孩子们放风筝，笑声一片。 // 新建图书馆已经开放，每天接待读者三百多人次，周末还有讲座。",
        "A block of a table or a list whose rows really hold two items of different widths; and inside a block read again, a line as wide as both columns allow (an indented first line of the wider, a full line of the narrower) can go to the wrong one.";
    LB001 = "LB001", "join-across-blank", Review,
        "A blank line that is a column or box break inside a paragraph is removed.",
        "Extractors put a blank line where a paragraph continues in the next column or box.",
        "推进了乡村 / (blank) / 振兴的各项工作 → 推进了乡村振兴的各项工作",
        "A paragraph that really ends without sentence punctuation next to a full-width line.";
    PB001 = "PB001", "paragraph-break", Certain,
        "A paragraph starts where no blank line marks it (first-line indent, short last line).",
        "Extractors drop the indent and the paragraph spacing of justified columns.",
        "……全面完成。 / 会议指出… → two paragraphs",
        "A line that ends a sentence exactly at the column edge, followed by a line shortened by wide punctuation.";
    BY001 = "BY001", "byline-split", Certain,
        "A byline or credit glued to the end of a paragraph line is split off.",
        "The byline sits on the last line of the text, right-aligned; extractors glue it on.",
        "开放。 记者 张明 → 开放。 | byline 记者 张明",
        "A sentence that ends with words that look like a byline pattern of the grammar.";
    ST001 = "ST001", "title-moved", Review,
        "A title is attached to a body it is not printed next to.",
        "Pages print titles beside, above or after their articles; text comes out in layout order.",
        "body … byline / title → title / body … byline",
        "Two titles with similar words competing for one body.";
    ST002 = "ST002", "place-tag", Review,
        "A place tag printed before, after or apart from a title is split off and attached.",
        "Regional pages tag stories with a place name set beside the title.",
        "江北 老街区焕发新活力 → place 江北, title 老街区焕发新活力",
        "A title that begins with a place name as its subject (开州“山间课堂”开课 keeps it).";
    ST003 = "ST003", "subtitle-attached", Review,
        "A subtitle or kicker printed apart from its title is attached to it.",
        "Decks and kickers are set in their own boxes.",
        "助力安防、养老、应急管理 → subtitle of the article it names",
        "A stray heading with words in common with another article.";
    ST004 = "ST004", "body-split", Review,
        "A run of paragraphs is split into two articles where its words and places change.",
        "Articles without bylines run into each other in layout order.",
        "万州 paragraphs + 开州 paragraphs + 开州 byline → two articles",
        "An article that changes subject half-way.";
    ST005 = "ST005", "body-continued", Review,
        "A body broken across boxes is rejoined: a run ending mid-sentence continues in a run starting mid-sentence.",
        "Columns and boxes are emitted in layout order, not reading order.",
        "…推动 / (other text) / 形成… → …推动形成…",
        "Two unrelated runs that happen to end and start mid-sentence.";
}

/// Look up a rule by code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// A code that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnknownCode {
    /// `galley explain CODE` with a code that is no rule.
    #[error("no rule `{0}` (see `galley rules`)")]
    Rule(String),
    /// A `--select`/`--ignore` entry that is neither a code nor the prefix of one.
    #[error("unknown rule code `{code}` in --select/--ignore (codes start with {families}; see `galley rules`)")]
    Selection {
        /// The entry.
        code: String,
        /// The code families, comma-separated.
        families: String,
    },
}

/// Look up a rule by code, or say that there is none.
pub fn lookup(code: &str) -> Result<&'static Rule, UnknownCode> {
    rule(code).ok_or_else(|| UnknownCode::Rule(code.to_owned()))
}

/// Check `--select`/`--ignore` entries: each must be a code or the prefix of one (an entry that
/// matches nothing would silently select nothing or ignore nothing).
pub fn check_selection<'a>(codes: impl IntoIterator<Item = &'a String>) -> Result<(), UnknownCode> {
    for code in codes {
        let known = RULES
            .iter()
            .any(|r| r.code.starts_with(&code.to_ascii_uppercase()));
        if code.is_empty() || !known {
            let mut families: Vec<&str> = RULES
                .iter()
                .map(|r| r.code.trim_end_matches(|c: char| c.is_ascii_digit()))
                .collect();
            families.dedup();
            return Err(UnknownCode::Selection {
                code: code.clone(),
                families: families.join(", "),
            });
        }
    }
    Ok(())
}

impl Rule {
    /// The rule's line in `galley rules`: code, name, safety, what it fixes.
    pub fn listing(&self) -> String {
        format!(
            "{}  {:<22} {:<8} {}",
            self.code,
            self.name,
            self.safety.as_str(),
            self.what
        )
    }

    /// The rule's documentation as `galley explain CODE` prints it (ending in a newline).
    pub fn explanation(&self) -> String {
        format!(
            "{} ({}) — {}\n\nWhat it fixes\n  {}\n\nWhy\n  {}\n\nExample\n  {}\n\nWhen it can be wrong\n  {}\n",
            self.code,
            self.name,
            self.safety.as_str(),
            self.what,
            self.why,
            self.example,
            self.wrong
        )
    }
}

/// One fix: what a rule changed or decided, where, and why.
#[derive(Debug, Clone)]
pub struct Fix {
    /// The rule.
    pub rule: &'static Rule,
    /// Safety of this fix (a rule may downgrade one fix to review).
    pub safety: Safety,
    /// Byte span of the page the fix is about.
    pub span: Range<usize>,
    /// Replacement text for `span`, or `None` for a structural decision.
    pub replacement: Option<String>,
    /// Text shown as "after" for structural decisions.
    pub note: Option<String>,
    /// The evidence that decided it (score and cue).
    pub evidence: Option<String>,
}

impl Fix {
    /// A text edit.
    pub fn edit(rule: &'static Rule, span: Range<usize>, replacement: impl Into<String>) -> Fix {
        Fix {
            rule,
            safety: rule.safety,
            span,
            replacement: Some(replacement.into()),
            note: None,
            evidence: None,
        }
    }

    /// A structural decision about `span`, described by `note`.
    pub fn decision(rule: &'static Rule, span: Range<usize>, note: impl Into<String>) -> Fix {
        Fix {
            rule,
            safety: rule.safety,
            span,
            replacement: None,
            note: Some(note.into()),
            evidence: None,
        }
    }

    /// The same edit without the whole words it keeps at either end of `span` (`发展提供助力””
    /// 海南` → `” 海南` becomes `发展提供助力””` → `”`), so that a token of the page outside the
    /// edited word (a place tag after a title) still reads as itself through the applier. Only
    /// text up to a space is left out: the edit a reviewer sees keeps its word (`万州万州` →
    /// `万州`).
    pub fn narrowed(mut self, page_text: &str) -> Fix {
        let Some(rep) = self.replacement.take() else {
            return self;
        };
        let before = &page_text[self.span.clone()];
        // The common prefix, cut back to just after its last space.
        let common: usize = before
            .chars()
            .zip(rep.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let prefix = before[..common].rfind(char::is_whitespace).map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
        let (b_rest, r_rest) = (&before[prefix..], &rep[prefix..]);
        // The common suffix, cut back to its first space.
        let common: usize = b_rest
            .chars()
            .rev()
            .zip(r_rest.chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum();
        let tail = &b_rest[b_rest.len() - common..];
        let suffix = tail.find(char::is_whitespace).map_or(0, |i| common - i);
        let start = self.span.start + prefix;
        let end = self.span.end - suffix;
        self.replacement = Some(r_rest[..r_rest.len() - suffix].to_owned());
        self.span = start..end;
        self
    }

    /// With evidence.
    pub fn because(mut self, evidence: impl Into<String>) -> Fix {
        self.evidence = Some(evidence.into());
        self
    }

    /// With a safety class.
    pub fn safety(mut self, safety: Safety) -> Fix {
        self.safety = safety;
        self
    }

    /// The text the fix is about.
    pub fn before<'p>(&self, page: &'p Page) -> &'p str {
        &page.text[self.span.clone()]
    }

    /// The text after the fix.
    pub fn after<'a>(&'a self, page: &'a Page) -> &'a str {
        match (&self.replacement, &self.note) {
            (Some(r), _) => r,
            (None, Some(n)) => n,
            (None, None) => self.before(page),
        }
    }
}

/// The page with every text edit applied, and the map from source offsets to output offsets.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The edited page text.
    pub text: String,
    /// Applied edits as (source span, output start, output length), in source order.
    edits: Vec<(Range<usize>, usize, usize)>,
    /// Indices (into the input list) of edits refused because they overlapped an earlier one.
    pub refused: Vec<usize>,
}

impl Applied {
    /// Apply the edits among `fixes` to `text`: sort by position, refuse overlaps, record the map.
    pub fn new(text: &str, fixes: &[Fix]) -> Applied {
        let mut order: Vec<usize> = (0..fixes.len())
            .filter(|&i| fixes[i].replacement.is_some())
            .collect();
        order.sort_by_key(|&i| (fixes[i].span.start, fixes[i].span.end, i));
        let mut out = String::with_capacity(text.len());
        let mut edits = Vec::with_capacity(order.len());
        let mut refused = Vec::new();
        let mut pos = 0;
        for i in order {
            let f = &fixes[i];
            if f.span.start < pos || f.span.end > text.len() {
                refused.push(i);
                continue;
            }
            out.push_str(&text[pos..f.span.start]);
            let rep = f.replacement.as_deref().unwrap_or("");
            edits.push((f.span.clone(), out.len(), rep.len()));
            out.push_str(rep);
            pos = f.span.end;
        }
        out.push_str(&text[pos..]);
        Applied {
            text: out,
            edits,
            refused,
        }
    }

    /// Output offset of source offset `src` taken as a start: inside an edit, its replacement start.
    pub fn map_start(&self, src: usize) -> usize {
        self.map(src, false)
    }

    /// Output offset of source offset `src` taken as an end: inside an edit, its replacement end.
    pub fn map_end(&self, src: usize) -> usize {
        self.map(src, true)
    }

    fn map(&self, src: usize, end: bool) -> usize {
        // Last edit whose span starts before src (or at it, for an end).
        let idx = self.edits.partition_point(|(s, _, _)| {
            if end {
                s.start < src
            } else {
                s.start < src || (s.start == src && s.is_empty())
            }
        });
        if idx == 0 {
            return src;
        }
        let (span, ostart, olen) = &self.edits[idx - 1];
        if src < span.end || (end && src == span.end) {
            if end {
                ostart + olen
            } else {
                *ostart
            }
        } else {
            ostart + olen + (src - span.end)
        }
    }

    /// The output text for source span `span`.
    pub fn slice(&self, span: Range<usize>) -> &str {
        let a = self.map_start(span.start);
        let b = self.map_end(span.end).max(a);
        &self.text[a..b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applier_maps_spans() {
        let text = "ab  cd-\nef";
        let fixes = vec![
            Fix::edit(&SP001, 2..4, ""),
            Fix::edit(&HY001, 6..7, ""),
            Fix::edit(&SP001, 3..4, "x"), // overlaps the first
        ];
        let a = Applied::new(text, &fixes);
        assert_eq!(a.text, "abcd\nef");
        assert_eq!(a.refused, vec![2]);
        assert_eq!(a.slice(0..2), "ab");
        assert_eq!(a.slice(4..7), "cd");
        assert_eq!(a.slice(8..10), "ef");
        assert_eq!(a.slice(0..10), "abcd\nef");
    }

    #[test]
    fn narrowing_leaves_out_kept_words_only() {
        let page = "发展提供助力”” 海南";
        let f = Fix::edit(&DR001, 0..page.len(), "” 海南").narrowed(page);
        assert_eq!(&page[f.span.clone()], "发展提供助力””");
        assert_eq!(f.replacement.as_deref(), Some("”"));
        // A word edited inside keeps its whole span: the reviewer sees `万州万州` → `万州`.
        let page = "万州万州";
        let f = Fix::edit(&DR001, 0..page.len(), "万州").narrowed(page);
        assert_eq!(
            (f.span.clone(), f.replacement.as_deref()),
            (0..page.len(), Some("万州"))
        );
        // Kept words before the edit are left out up to a space.
        let page = "IMF IMFIMF调高";
        let f = Fix::edit(&DR001, 0..page.len(), "IMF IMF调高").narrowed(page);
        assert_eq!(&page[f.span.clone()], "IMFIMF调高");
        assert_eq!(f.replacement.as_deref(), Some("IMF调高"));
    }

    #[test]
    fn every_rule_is_documented() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n, "codes are unique");
        for r in RULES {
            assert!(
                !r.what.is_empty()
                    && !r.why.is_empty()
                    && !r.example.is_empty()
                    && !r.wrong.is_empty()
            );
            assert!(rule(r.code).is_some());
        }
    }
}
