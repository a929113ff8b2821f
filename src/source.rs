//! The page text: decoding, normalisation, page splitting and the line index.
//!
//! Contract: [`decode`] turns raw bytes into text with one newline convention (LF), no BOM, and
//! no NUL bytes; [`pages`] splits that text at form feeds. Every later stage refers back to a
//! [`Page`] by byte offsets, so every output character can be traced to its source line.

use std::ops::Range;

/// Why bytes could not be read as a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Offset of the first byte that is not valid UTF-8.
        offset: usize,
    },
    /// The bytes hold a NUL, which text pages never do.
    #[error("binary content (NUL byte) at byte {offset}")]
    Binary {
        /// Offset of the NUL byte.
        offset: usize,
    },
    /// The bytes are UTF-16 or UTF-32 text, which galley does not read.
    #[error("the text is {encoding} ({how}); galley reads UTF-8: convert it first, e.g. `iconv -f {iconv} -t UTF-8`")]
    WideEncoding {
        /// `UTF-16LE`, `UTF-16BE`, `UTF-32LE` or `UTF-32BE`.
        encoding: &'static str,
        /// How it was recognised.
        how: &'static str,
        /// The name iconv knows it by.
        iconv: &'static str,
    },
    /// A line is longer than the configured limit.
    #[error("line {line} is {len} bytes long, over the limit of {limit}")]
    LineTooLong {
        /// 1-based line number in the whole input.
        line: usize,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

/// Decode raw bytes: drop a UTF-8 BOM, reject invalid UTF-8 and NUL bytes, turn CRLF and CR
/// into LF. `max_line` bounds the length of one line in bytes (0: no bound).
pub fn decode(bytes: &[u8], max_line: usize) -> Result<String, DecodeError> {
    if let Some(e) = wide_encoding(bytes) {
        return Err(e);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bom = bytes.len() - body.len();
    if let Some(pos) = memchr0(body) {
        return Err(DecodeError::Binary { offset: pos + bom });
    }
    let text = std::str::from_utf8(body).map_err(|e| DecodeError::InvalidUtf8 {
        offset: e.valid_up_to() + bom,
    })?;
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    if max_line > 0 {
        for (i, line) in text.split('\n').enumerate() {
            if line.len() > max_line {
                return Err(DecodeError::LineTooLong {
                    line: i + 1,
                    len: line.len(),
                    limit: max_line,
                });
            }
        }
    }
    Ok(text)
}

/// UTF-16 and UTF-32 text, told by its byte order mark, or (without one) by NUL bytes in every
/// other byte of its start, the way ASCII looks in UTF-16.
fn wide_encoding(bytes: &[u8]) -> Option<DecodeError> {
    let bom = |encoding, iconv| DecodeError::WideEncoding {
        encoding,
        how: "byte order mark",
        iconv,
    };
    if bytes.starts_with(b"\xFF\xFE\0\0") {
        return Some(bom("UTF-32LE", "UTF-32"));
    }
    if bytes.starts_with(b"\0\0\xFE\xFF") {
        return Some(bom("UTF-32BE", "UTF-32"));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(bom("UTF-16LE", "UTF-16"));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(bom("UTF-16BE", "UTF-16"));
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() >= 4 {
        let pairs = || head.chunks_exact(2);
        let guess = |encoding, iconv| DecodeError::WideEncoding {
            encoding,
            how: "no byte order mark, but a NUL in every other byte",
            iconv,
        };
        if pairs().all(|p| p[1] == 0 && p[0] != 0) {
            return Some(guess("UTF-16LE", "UTF-16LE"));
        }
        if pairs().all(|p| p[0] == 0 && p[1] != 0) {
            return Some(guess("UTF-16BE", "UTF-16BE"));
        }
    }
    None
}

fn memchr0(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// The first line of galley's text output. An input is galley text (its `# `, `@field `, `---`
/// and `\` lines are markup) only when its first line is exactly this marker, or when the caller
/// says so ([`Input::Galley`]); the decision is made once for the whole input, never per line or
/// per page, so that a raw page whose lines happen to start with `#` or `\` is read as text.
pub const MARKER: &str = "%galley-text 1";

/// How to read an input: as galley's own text (markup) or as a raw page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Input {
    /// galley text when the first line is [`MARKER`], raw otherwise.
    #[default]
    Auto,
    /// Always galley text (markup is read; the marker line is optional).
    Galley,
    /// Always a raw page: nothing is read as markup, nothing is unescaped.
    Raw,
}

impl Input {
    /// Is `text` (a whole decoded input) galley text under this setting?
    pub fn is_galley(self, text: &str) -> bool {
        match self {
            Input::Galley => true,
            Input::Raw => false,
            Input::Auto => starts_with_marker(text),
        }
    }
}

/// Does the text open with galley's marker line?
pub fn starts_with_marker(text: &str) -> bool {
    text.strip_prefix(MARKER)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['\n', '\x0C']))
}

/// One page of input: the text between form feeds, with its line index.
#[derive(Debug, Clone)]
pub struct Page {
    /// 1-based page number within its input.
    pub number: usize,
    /// The page text (LF line ends, no form feed).
    pub text: String,
    /// The page belongs to galley text (decided once per input by [`Input::is_galley`]): its
    /// markup is read. On a raw page nothing is markup.
    pub galley: bool,
    starts: Vec<usize>,
}

impl Page {
    /// A page from its text.
    pub fn new(number: usize, text: impl Into<String>) -> Page {
        let text = text.into();
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if text.ends_with('\n') {
            starts.pop();
        }
        if text.is_empty() {
            starts.clear();
        }
        Page {
            number,
            text,
            galley: false,
            starts,
        }
    }

    /// The same page, read as galley text (`true`) or as a raw page.
    pub fn with_galley(mut self, galley: bool) -> Page {
        self.galley = galley;
        self
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `n` (1-based), without its newline.
    pub fn line_span(&self, n: usize) -> Range<usize> {
        let start = self.starts[n - 1];
        let end = self
            .starts
            .get(n)
            .map(|s| s - 1)
            .unwrap_or_else(|| self.text.trim_end_matches('\n').len().max(start));
        start..end
    }

    /// Text of line `n` (1-based).
    pub fn line(&self, n: usize) -> &str {
        &self.text[self.line_span(n)]
    }

    /// 1-based line number holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }

    /// 1-based (line, column) of byte `offset`; the column counts characters.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = self.text[start..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        (line, col)
    }
}

/// Split decoded text into pages at form feeds. Form feeds at the end (pdftotext writes one
/// after every page) open no empty pages; empty pages between others are kept, so that page
/// numbers stay those of the input.
///
/// Whether the pages are galley text is decided here, once for the whole input ([`Input::Auto`]:
/// the first line is [`MARKER`]).
pub fn pages(text: &str) -> Vec<Page> {
    pages_as(text, Input::Auto)
}

/// [`pages`], with the reading of the input chosen by `input`.
pub fn pages_as(text: &str, input: Input) -> Vec<Page> {
    let galley = input.is_galley(text);
    let mut parts: Vec<&str> = text.split('\x0C').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.trim().is_empty()) {
        parts.pop();
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| Page::new(i + 1, p).with_galley(galley))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_normalises() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc", 0).unwrap(), "a\nb\nc");
        assert_eq!(
            decode(b"ab\xFFc", 0),
            Err(DecodeError::InvalidUtf8 { offset: 2 })
        );
        assert_eq!(decode(b"a\0", 0), Err(DecodeError::Binary { offset: 1 }));
        for utf16 in [
            &b"\xFF\xFEH\0i\0"[..],
            b"H\0e\0l\0l\0o\0",
            b"\xFE\xFF\0H\0i",
        ] {
            let e = decode(utf16, 0).unwrap_err().to_string();
            assert!(e.contains("UTF-16"), "{e}");
        }
        assert!(decode(b"PK\x03\x04\0\0binary", 0)
            .unwrap_err()
            .to_string()
            .contains("NUL byte) at byte 4"));
        assert!(matches!(
            decode(b"abc\nabcdef", 4),
            Err(DecodeError::LineTooLong { line: 2, .. })
        ));
    }

    #[test]
    fn line_index() {
        let p = Page::new(1, "ab\n\ncd\n");
        assert_eq!(p.line_count(), 3);
        assert_eq!(p.line(1), "ab");
        assert_eq!(p.line(2), "");
        assert_eq!(p.line(3), "cd");
        assert_eq!(p.line_of(4), 3);
        assert_eq!(p.position(5), (3, 2));
    }

    #[test]
    fn galley_text_is_decided_once_by_the_marker() {
        let ps = pages("%galley-text 1\n# T\n\x0C# U\n");
        assert!(ps.iter().all(|p| p.galley), "every page of galley text");
        let ps = pages("# T\n\n\\Vo b\n\x0C%galley-text 1\n");
        assert!(ps.iter().all(|p| !p.galley), "the marker only counts first");
        assert!(!starts_with_marker("%galley-text 10\n"));
        assert!(pages_as("# T\n", Input::Galley)[0].galley);
        assert!(!pages_as("%galley-text 1\n# T\n", Input::Raw)[0].galley);
    }

    #[test]
    fn form_feeds_split_pages() {
        let ps = pages("a\n\x0Cb\n\x0C");
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[1].line(1), "b");
        assert_eq!(
            pages("a\x0C\x0C\x0C\n").len(),
            1,
            "trailing form feeds open no pages"
        );
        assert_eq!(
            pages("a\x0C\x0Cb").len(),
            3,
            "an empty page between others is kept"
        );
    }
}
