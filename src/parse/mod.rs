//! Stage 1 — lines and their shapes, read with nom.
//!
//! Contract: [`lines`] returns one [`Shape`] per page line, in order, with the byte span of its
//! content in the page; nothing is dropped (blank lines are shapes too). A shape records what
//! later stages decide from: display width (East Asian wide = 2), leading indent, how the line
//! ends (sentence end, comma, hyphen…), whether it opens with a quote, and galley's own markup
//! (`# title`, `## heading`, `@field value`, `---`, `\`, the `%galley-text 1` marker and
//! `%file NAME` lines) so that galley's text output reads back as itself. Markup is read only on
//! pages of galley text ([`Page::galley`], decided once per input by its first line); on a raw
//! page every line is text.

pub mod chars;

use std::ops::Range;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::char as ch;
use nom::combinator::{all_consuming, map, opt, rest, value};
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use crate::grammar::Grammar;
use crate::source::Page;

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Sentence-final punctuation, possibly followed by closing quotes or brackets.
    Sentence,
    /// A comma, enumeration comma or semicolon-like pause: the sentence goes on.
    Pause,
    /// A colon.
    Colon,
    /// A hyphen (or soft hyphen, ¬, ⸗) after a letter.
    Hyphen,
    /// An opening quote or bracket.
    Open,
    /// Anything else (a letter, a digit, a closing quote after a word).
    Word,
    /// Blank line.
    None,
}

/// galley's own markup, recognised when a page is galley text output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Markup {
    /// `# title`
    Title,
    /// `## heading`
    Heading,
    /// `@name value`
    Field(String),
    /// `---` between articles.
    Separator,
    /// `\` before a paragraph that would otherwise read as markup.
    Escape,
    /// The `%galley-text 1` line that opens galley text.
    Marker,
    /// `%file NAME`: where the output of the next input starts when several go to one stream.
    File,
}

/// The shape of one line.
#[derive(Debug, Clone)]
pub struct Shape {
    /// 1-based line number.
    pub no: usize,
    /// Byte span of the content (indent and trailing space excluded) in the page.
    pub span: Range<usize>,
    /// Leading indent in cells.
    pub indent: usize,
    /// Display width of the content in cells.
    pub width: usize,
    /// Characters of content.
    pub chars: usize,
    /// Han characters.
    pub han: usize,
    /// Latin letters.
    pub latin: usize,
    /// Digits.
    pub digits: usize,
    /// Spaces inside the content.
    pub spaces: usize,
    /// Sentence-internal stops (。；) and commas (，,) inside the content, not at its end.
    pub inner_stops: usize,
    /// How it ends.
    pub end: End,
    /// Opens with a quote or bracket.
    pub opens_quote: bool,
    /// galley markup, if the line carries it.
    pub markup: Option<Markup>,
}

impl Shape {
    /// Blank line?
    pub fn blank(&self) -> bool {
        self.end == End::None
    }
}

type Res<'a, T> = IResult<&'a str, T>;

fn indent(i: &str) -> Res<'_, &str> {
    take_while(chars::is_space).parse(i)
}

fn field_name(i: &str) -> Res<'_, &str> {
    take_while1(|c: char| c.is_ascii_lowercase()).parse(i)
}

fn markup(i: &str) -> Res<'_, Markup> {
    alt((
        value(Markup::Heading, tag("## ")),
        value(Markup::Title, tag("# ")),
        map(
            terminated(preceded(ch('@'), field_name), ch(' ')),
            |n: &str| Markup::Field(n.to_owned()),
        ),
        value(Markup::Separator, all_consuming(tag("---"))),
        value(Markup::Escape, tag("\\")),
        value(Markup::Marker, all_consuming(tag(crate::source::MARKER))),
        value(Markup::File, tag("%file ")),
    ))
    .parse(i)
}

/// Split a line into indent, markup and content with nom.
pub fn split_line(line: &str) -> (&str, Option<Markup>, &str) {
    let r: Res<'_, (&str, Option<Markup>, &str)> = (indent, opt(markup), rest).parse(line);
    match r {
        Ok((_, (ind, m, content))) => (ind, m, content),
        Err(_) => ("", None, line),
    }
}

/// Is the page mostly CJK? Decides widths (ambiguous = 2) and join rules.
pub fn is_cjk_page(text: &str) -> bool {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if chars::is_cjk(c) {
            han += 1;
        } else if chars::is_latin(c) {
            latin += 1;
        }
    }
    han * 2 >= latin && han > 0
}

/// Shape every line of the page; markup is read only on galley text ([`Page::galley`]).
pub fn lines(page: &Page, grammar: &Grammar) -> Vec<Shape> {
    let cjk = is_cjk_page(&page.text);
    (1..=page.line_count())
        .map(|n| {
            let span = page.line_span(n);
            shape_with(n, span.start, &page.text[span], grammar, cjk, page.galley)
        })
        .collect()
}

/// Shape one line read as plain text (no markup).
pub fn shape_plain(no: usize, offset: usize, line: &str, grammar: &Grammar, cjk: bool) -> Shape {
    shape_with(no, offset, line, grammar, cjk, false)
}

/// Shape one line of text that starts at byte `offset` of the page.
pub fn shape(no: usize, offset: usize, line: &str, grammar: &Grammar, cjk: bool) -> Shape {
    shape_with(no, offset, line, grammar, cjk, true)
}

fn shape_with(
    no: usize,
    offset: usize,
    line: &str,
    grammar: &Grammar,
    cjk: bool,
    read_markup: bool,
) -> Shape {
    let (ind, markup, content) = if read_markup {
        split_line(line)
    } else {
        let ind_len = line.len() - line.trim_start_matches(chars::is_space).len();
        (&line[..ind_len], None, &line[ind_len..])
    };
    let content_trim = content.trim_end_matches(chars::is_space);
    // The span covers the content including a markup prefix; markup is read, not removed.
    let start = offset + ind.len();
    let end = offset + (line.len() - content.len()) + content_trim.len();
    let measured = content_trim;
    let (mut han, mut latin, mut digits, mut spaces, mut w, mut n) = (0, 0, 0, 0, 0, 0);
    let mut inner_stops = 0;
    let (stop, pause) = (grammar.class("stop"), grammar.class("pause"));
    let last_idx = measured.chars().count().saturating_sub(1);
    for (i, c) in measured.chars().enumerate() {
        n += 1;
        w += chars::width(c, cjk);
        if chars::is_han(c) {
            han += 1;
        } else if c.is_ascii_digit() {
            digits += 1;
        } else if chars::is_latin(c) {
            latin += 1;
        } else if chars::is_space(c) {
            spaces += 1;
        } else if i < last_idx
            && (stop.binary_search(&c).is_ok() || pause.binary_search(&c).is_ok())
        {
            inner_stops += 1;
        }
    }
    let end_kind = if measured.is_empty() && markup.is_none() {
        End::None
    } else {
        ending(measured, grammar)
    };
    let first = measured.chars().next();
    Shape {
        no,
        span: start..end,
        indent: chars::str_width(ind, cjk),
        width: w,
        chars: n,
        han,
        latin,
        digits,
        spaces,
        inner_stops,
        end: if measured.is_empty() && markup.is_some() {
            End::Word
        } else {
            end_kind
        },
        opens_quote: first.is_some_and(|c| grammar.in_class("open_quote", c)),
        markup,
    }
}

/// How a piece of text ends, by the grammar's punctuation classes.
pub fn ending(text: &str, grammar: &Grammar) -> End {
    let mut it = text.chars().rev().peekable();
    let Some(&last) = it.peek() else {
        return End::None;
    };
    if grammar.in_class("hyphen", last) {
        let mut before = text.chars().rev().skip(1).peekable();
        // `con ¬`: a mark that is only ever a hyphen, after a space (pdfminer).
        if grammar.in_class("break_mark", last) {
            while before.next_if(|c| c.is_whitespace()).is_some() {}
        }
        return if before.next().is_some_and(char::is_alphabetic) {
            End::Hyphen
        } else {
            End::Word
        };
    }
    if grammar.in_class("open_quote", last) && !grammar.in_class("close_quote", last) {
        return End::Open;
    }
    // Skip closing quotes and brackets: 。” ends a sentence.
    let mut core = None;
    for c in text.chars().rev() {
        if grammar.in_class("close_quote", c) {
            continue;
        }
        core = Some(c);
        break;
    }
    // An abbreviation (`W.`, `Mr.`, `No.`) does not end a sentence.
    if core == Some('.') {
        let body = text.trim_end_matches(|c| grammar.in_class("close_quote", c));
        let body = body.strip_suffix('.').unwrap_or(body);
        let start = body
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map(|(i, _)| i)
            .unwrap_or(body.len());
        let word = &body[start..];
        let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if initial || grammar.is_abbreviation(word) {
            return End::Word;
        }
    }
    match core {
        Some(c) if grammar.in_class("sentence_end", c) => End::Sentence,
        Some(c) if grammar.in_class("pause", c) => End::Pause,
        Some(c) if grammar.in_class("colon", c) => End::Colon,
        _ => End::Word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Grammar {
        Grammar::default_grammar()
    }

    #[test]
    fn splits_indent_and_markup() {
        assert_eq!(split_line("  # 标题"), ("  ", Some(Markup::Title), "标题"));
        assert_eq!(
            split_line("## 小标题"),
            ("", Some(Markup::Heading), "小标题")
        );
        assert_eq!(
            split_line("@place 万州"),
            ("", Some(Markup::Field("place".into())), "万州")
        );
        assert_eq!(split_line("---"), ("", Some(Markup::Separator), ""));
        assert_eq!(split_line("#1 item"), ("", None, "#1 item"));
        assert_eq!(split_line("%galley-text 1"), ("", Some(Markup::Marker), ""));
        assert_eq!(split_line("%file a.txt"), ("", Some(Markup::File), "a.txt"));
        assert_eq!(split_line("　　正文"), ("　　", None, "正文"));
    }

    #[test]
    fn endings() {
        let g = g();
        assert_eq!(ending("全面完成。", &g), End::Sentence);
        assert_eq!(ending("按时完成。”", &g), End::Sentence);
        assert_eq!(ending("持续推进……", &g), End::Sentence);
        assert_eq!(ending("平台，", &g), End::Pause);
        assert_eq!(ending("秉承“", &g), End::Open);
        assert_eq!(ending("gov-", &g), End::Hyphen);
        assert_eq!(ending("2023", &g), End::Word);
        assert_eq!(ending("go:", &g), End::Colon);
        assert_eq!(ending("for months past W.", &g), End::Word);
        assert_eq!(ending("said Mr.", &g), End::Word);
        assert_eq!(ending("it rained.", &g), End::Sentence);
    }

    #[test]
    fn shapes() {
        let g = g();
        let s = shape(3, 10, "　　去年10月12日，科技创 ", &g, true);
        assert_eq!(s.indent, 4);
        assert_eq!(s.width, 2 * 7 + 4 + 2);
        assert_eq!(s.digits, 4);
        assert_eq!(s.span, 16..16 + "去年10月12日，科技创".len());
        assert_eq!(s.inner_stops, 1);
        assert!(shape(1, 0, "", &g, true).blank());
    }

    #[test]
    fn raw_pages_have_no_markup() {
        let g = g();
        let text = "Hello there\n\n\\Vo b\n# not a title\n---\n@byline x\n";
        let raw = Page::new(1, text);
        assert!(lines(&raw, &g).iter().all(|s| s.markup.is_none()));
        let galley = Page::new(1, text).with_galley(true);
        let marks: Vec<Option<Markup>> = lines(&galley, &g).into_iter().map(|s| s.markup).collect();
        assert_eq!(marks[2], Some(Markup::Escape));
        assert_eq!(marks[3], Some(Markup::Title));
    }
}
