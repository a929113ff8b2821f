//! Unified diff from the raw page to the text output (similar, with a deadline).

use std::time::Duration;

use similar::TextDiff;

/// A unified diff from `old` to `new`, labelled `a/NAME` and `b/NAME`.
pub fn unified(name: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::configure()
        .timeout(Duration::from_secs(2))
        .diff_lines(old, new);
    let mut u = diff.unified_diff();
    u.header(&format!("a/{name}"), &format!("b/{name}"));
    u.missing_newline_hint(true);
    u.to_string()
}
