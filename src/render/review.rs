//! The reviewer's view: every fix with its code, source lines and before → after, grouped by the
//! article it belongs to, the fixes that need review first.

use std::collections::BTreeMap;

use similar::{ChangeTag, TextDiff};

use crate::fix::Fix;
use crate::source::Page;
use crate::{Document, PageResult};

/// Index of the article whose blocks hold (or surround) byte `pos`; `None` for the page.
pub fn article_of(p: &PageResult, pos: usize) -> Option<usize> {
    for (i, a) in p.articles.iter().enumerate() {
        if a.all_blocks()
            .flat_map(|b| b.pieces.iter())
            .any(|r| r.start <= pos && pos < r.end.max(r.start + 1))
        {
            return Some(i);
        }
    }
    // Between the pieces of a block (a joined blank line): the article whose block spans it.
    for (i, a) in p.articles.iter().enumerate() {
        for b in a.all_blocks() {
            let span = b.hull();
            if !b.pieces.is_empty() && span.start <= pos && pos <= span.end {
                return Some(i);
            }
        }
    }
    None
}

/// Show newlines and tabs so that a fix on white space is visible.
fn visible(s: &str) -> String {
    s.replace('\n', "⏎")
        .replace('\t', "⇥")
        .replace('\u{3000}', "□")
}

/// The fix inline in its source line: `…context[-before-]{+after+}context…`, computed with a
/// character-level diff (similar) so that only what changed is marked.
pub fn inline(f: &Fix, page: &Page) -> String {
    let start = page.text[..f.span.start]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = page.text[f.span.end..]
        .find('\n')
        .map(|i| f.span.end + i)
        .unwrap_or(page.text.len());
    let end = end.max(f.span.end);
    let ctx = |s: &str, from_end: bool| -> String {
        let cs: Vec<char> = s.chars().collect();
        if cs.len() <= 12 {
            return s.to_owned();
        }
        if from_end {
            format!("…{}", cs[cs.len() - 12..].iter().collect::<String>())
        } else {
            format!("{}…", cs[..12].iter().collect::<String>())
        }
    };
    let before = &page.text[f.span.clone()];
    let Some(rep) = &f.replacement else {
        return format!(
            "{}⟦{}⟧{}",
            visible(&ctx(&page.text[start..f.span.start], true)),
            visible(before),
            visible(&ctx(&page.text[f.span.end..end], false))
        );
    };
    let diff = TextDiff::from_chars(before, rep.as_str());
    let mut mid = String::new();
    for ch in diff.iter_all_changes() {
        let v = visible(ch.value());
        match ch.tag() {
            ChangeTag::Equal => mid.push_str(&v),
            ChangeTag::Delete => mid.push_str(&format!("[-{v}-]")),
            ChangeTag::Insert => mid.push_str(&format!("{{+{v}+}}")),
        }
    }
    // Merge adjacent markers of the same kind: [-a-][-b-] → [-ab-].
    let mid = mid.replace("-][-", "").replace("+}{+", "");
    format!(
        "{}{}{}",
        visible(&ctx(&page.text[start..f.span.start], true)),
        mid,
        visible(&ctx(&page.text[f.span.end..end], false))
    )
}

/// The review view of one document.
pub fn document(d: &Document) -> String {
    let mut out = String::new();
    for p in &d.pages {
        let review = p.review_count();
        out.push_str(&format!(
            "{} page {}: {} fixes ({} to review, {} certain)\n",
            d.source,
            p.page.number,
            p.fixes.len(),
            review,
            p.fixes.len() - review
        ));
        let mut groups: BTreeMap<Option<usize>, Vec<&Fix>> = BTreeMap::new();
        for f in &p.fixes {
            groups
                .entry(article_of(p, f.span.start))
                .or_default()
                .push(f);
        }
        for (art, mut fixes) in groups {
            fixes.sort_by_key(|f| (f.safety, f.span.start));
            match art {
                Some(i) => {
                    let a = &p.articles[i];
                    let title = a
                        .title
                        .as_ref()
                        .map(|b| b.text.as_str())
                        .unwrap_or("(untitled)");
                    let (l1, l2) = a
                        .all_blocks()
                        .map(|b| b.lines(&p.page))
                        .fold((usize::MAX, 0), |acc, (x, y)| (acc.0.min(x), acc.1.max(y)));
                    out.push_str(&format!(
                        "\n  article {} — {} (lines {}–{})\n",
                        a.id, title, l1, l2
                    ));
                }
                None => out.push_str("\n  page\n"),
            }
            for f in fixes {
                let (l1, _) = p.page.position(f.span.start);
                let (l2, _) = p.page.position(f.span.end);
                let lines = if l1 == l2 {
                    format!("{l1}")
                } else {
                    format!("{l1}–{l2}")
                };
                let after = match &f.replacement {
                    Some(_) => String::new(),
                    None => format!(" → {}", f.after(&p.page)),
                };
                out.push_str(&format!(
                    "    {:<7} {} {:<18} line {:<8} {}{}",
                    f.safety.as_str(),
                    f.rule.code,
                    f.rule.name,
                    lines,
                    inline(f, &p.page),
                    after
                ));
                if let Some(e) = &f.evidence {
                    out.push_str(&format!("  ({e})"));
                }
                out.push('\n');
            }
        }
        out.push('\n');
    }
    out
}
