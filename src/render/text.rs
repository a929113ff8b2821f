//! galley text: readable articles that galley reads back as themselves.
//!
//! ```text
//! %galley-text 1
//! @place 万州
//! # 老街区焕发新活力
//!
//! ## 改造 钱从哪里来？事由谁来办？
//!
//! 今年3月起，……
//!
//! @byline 记者 张明
//!
//! ---
//! ```
//! The first line is the marker [`crate::source::MARKER`]: it alone makes an input galley text.
//! Articles are separated by `---`; `# ` marks a title, `## ` a section heading, `@name ` a
//! field (place, kicker, subtitle, byline, caption, jump, furniture, noise). A paragraph that would read
//! as markup is escaped with a leading `\`. Pages are separated by a form feed.

use crate::classify::Kind;
use crate::{Document, PageResult};

/// One page as galley text, without a final newline (the document adds one).
pub fn page(p: &PageResult) -> String {
    let mut out = String::new();
    for (i, a) in p.articles.iter().enumerate() {
        // Articles are separated by `---` (the marker line, not a separator, makes the output
        // galley text, so an untitled first article needs none).
        if i > 0 {
            out.push_str("---\n\n");
        }
        let mut head = String::new();
        if let Some(b) = &a.place {
            head.push_str(&format!("@place {}\n", b.text));
        }
        if let Some(b) = &a.kicker {
            head.push_str(&format!("@kicker {}\n", b.text));
        }
        if let Some(b) = &a.title {
            head.push_str(&format!("# {}\n", b.text));
        }
        if let Some(b) = &a.subtitle {
            head.push_str(&format!("@subtitle {}\n", b.text));
        }
        if !head.is_empty() {
            out.push_str(&head);
            out.push('\n');
        }
        for b in &a.blocks {
            match b.kind {
                Kind::Heading => out.push_str(&format!("## {}\n\n", b.text)),
                Kind::Caption => out.push_str(&format!("@caption {}\n\n", b.text)),
                Kind::Noise => out.push_str(&format!("@noise {}\n\n", b.text)),
                _ => out.push_str(&format!("{}{}\n\n", escape(&b.text), b.text)),
            }
        }
        for b in &a.bylines {
            out.push_str(&format!("@byline {}\n", b.text));
        }
        for b in &a.jumps {
            out.push_str(&format!("@jump {}\n", b.text));
        }
        if !a.bylines.is_empty() || !a.jumps.is_empty() {
            out.push('\n');
        }
    }
    for b in &p.furniture {
        out.push_str(&format!("@furniture {}\n", b.text));
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// A paragraph that would read back as markup is escaped with a backslash.
fn escape(text: &str) -> &'static str {
    let (_, markup, _) = crate::parse::split_line(text);
    if markup.is_some() || text.starts_with('\\') {
        "\\"
    } else {
        ""
    }
}

/// A document as galley text: the marker line, then the pages separated by form feeds, without
/// a final newline. A document with nothing in it is empty (no marker).
pub fn document(d: &Document) -> String {
    let pages = d.pages.iter().map(page).collect::<Vec<_>>().join("\x0C");
    if pages.is_empty() {
        pages
    } else {
        format!("{}\n{pages}", crate::source::MARKER)
    }
}

/// The text of a document with its marker line removed: what `--check` compares with the input.
pub fn without_marker(text: &str) -> &str {
    text.strip_prefix(crate::source::MARKER)
        .and_then(|r| r.strip_prefix('\n'))
        .unwrap_or(text)
}
