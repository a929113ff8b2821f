//! galley text: readable articles that galley reads back as themselves.
//!
//! ```text
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
//! Articles are separated by `---`; `# ` marks a title, `## ` a section heading, `@name ` a
//! field (place, kicker, subtitle, byline, caption, jump, furniture). Pages are separated by a
//! form feed.

use crate::classify::Kind;
use crate::{Document, PageResult};

/// One page as galley text, without a final newline (the document adds one).
pub fn page(p: &PageResult) -> String {
    let mut out = String::new();
    for (i, a) in p.articles.iter().enumerate() {
        let has_head =
            a.place.is_some() || a.kicker.is_some() || a.title.is_some() || a.subtitle.is_some();
        // Articles are separated by `---`; an untitled first article is introduced by one, so
        // that the output always reads back as galley text.
        if i > 0 || !has_head {
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

/// A document as galley text: pages separated by form feeds.
pub fn document(d: &Document) -> String {
    d.pages.iter().map(page).collect::<Vec<_>>().join("\x0C")
}
