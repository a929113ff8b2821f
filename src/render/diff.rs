//! Unified diff from the raw page to the text output (similar, with a deadline).
//!
//! The diff applies with `patch` to the file as it is on disk: the old side is the raw bytes
//! (byte order mark and CRLF line ends included), and the new side is the text output written in
//! the same conventions ([`in_conventions_of`]).

use std::time::Duration;

use similar::TextDiff;

/// A unified diff from `old` to `new`, labelled `a/NAME` and `b/NAME` (see [`label`]).
pub fn unified(name: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::configure()
        .timeout(Duration::from_secs(2))
        .diff_lines(old, new);
    let mut u = diff.unified_diff();
    let name = label(name);
    u.header(&format!("a/{name}"), &format!("b/{name}"));
    u.missing_newline_hint(true);
    u.to_string()
}

/// The path as it follows `a/` and `b/`: relative, without a leading `/` or `./`, so that an
/// absolute input gives `a/tmp/x.txt`, not `a//tmp/x.txt` (`patch -p1` from `/` applies it).
pub fn label(name: &str) -> String {
    let mut s = name.replace('\\', "/");
    loop {
        if let Some(r) = s.strip_prefix("./") {
            s = r.to_owned();
        } else if let Some(r) = s.strip_prefix('/') {
            s = r.to_owned();
        } else {
            break;
        }
    }
    s
}

/// `text` (LF line ends, no BOM) written the way `raw` is: with its byte order mark, and with
/// CRLF line ends when `raw` has them.
pub fn in_conventions_of(raw: &str, text: &str) -> String {
    let bom = if raw.starts_with('\u{FEFF}') {
        "\u{FEFF}"
    } else {
        ""
    };
    let body = if raw.contains("\r\n") {
        text.replace('\n', "\r\n")
    } else {
        text.to_owned()
    };
    format!("{bom}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_relative() {
        assert_eq!(label("/tmp/x/a.txt"), "tmp/x/a.txt");
        assert_eq!(label("./a.txt"), "a.txt");
        assert_eq!(label("dir/a.txt"), "dir/a.txt");
    }

    #[test]
    fn conventions_follow_the_raw_page() {
        assert_eq!(
            in_conventions_of("\u{FEFF}a\r\nb", "x\ny\n"),
            "\u{FEFF}x\r\ny\r\n"
        );
        assert_eq!(in_conventions_of("a\nb", "x\n"), "x\n");
    }
}
