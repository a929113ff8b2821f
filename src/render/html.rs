//! The HTML review page: one self-contained file (no network, no external assets). The raw page
//! on the left, each source line coloured by the article it went to and each fix marked; the
//! reconstructed articles on the right; the fixes listed with code and safety, with a filter that
//! shows only the fixes that need review; for a batch, an index of pages with their counts.

use crate::classify::Kind;
use crate::render::review::{article_of, inline};
use crate::{Document, PageResult};

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = r#"
body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans",sans-serif;margin:0;color:#222;background:#fafafa}
header{position:sticky;top:0;background:#233;color:#fff;padding:.5em 1em;display:flex;gap:2em;align-items:center;z-index:2}
header h1{font-size:1.1em;margin:0}
nav table,table.fixes{border-collapse:collapse;font-size:.85em;margin:.5em 0}
nav td,nav th,table.fixes td,table.fixes th{border:1px solid #ccc;padding:.15em .5em;text-align:left;vertical-align:top}
section.page{padding:0 1em 2em;border-bottom:3px solid #233}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1em}
.raw{font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace;font-size:.85em;background:#fff;border:1px solid #ddd;max-height:90vh;overflow:auto}
.line .t{white-space:pre-wrap}
.line{display:flex;gap:.6em;border-left:6px solid transparent;padding-left:.3em}
.line .no{color:#999;min-width:3.5em;text-align:right;user-select:none}
.articles{max-height:90vh;overflow:auto}
article{background:#fff;border:1px solid #ddd;border-left:6px solid #999;margin:0 0 1em;padding:.5em 1em}
article h3{margin:.2em 0}
article .field{color:#555;font-size:.9em;margin:.1em 0}
article h4{margin:.6em 0 .2em;font-size:1em}
mark.fix{background:#ffe08a;border-bottom:2px solid #c90}
mark.fix.review{background:#ffb3b3;border-bottom:2px solid #c00}
.badge{font-size:.75em;border-radius:3px;padding:0 .3em;margin-left:.4em;background:#ddd}
.badge.review{background:#f66;color:#fff}
tr.fix.review td.safety{color:#c00;font-weight:bold}
body.only-review .fix.certain{display:none}
body.only-review mark.fix.certain{display:inline;background:none;border:none}
code{font-size:.9em}
"#;

const SCRIPT: &str = r#"
document.getElementById('only-review').addEventListener('change', function (e) {
  document.body.classList.toggle('only-review', e.target.checked);
});
"#;

/// Colour of article `i` (a CSS hsl hue walk that keeps neighbours apart).
fn hue(i: usize) -> usize {
    (i * 137) % 360
}

fn page_html(out: &mut String, pi: usize, source: &str, p: &PageResult) {
    let id = format!("p{pi}");
    let review = p.review_count();
    out.push_str(&format!(
        "<section class=\"page\" id=\"{id}\" data-source=\"{}\"><h2>{} — page {} <small>({} articles, {} fixes, {} to review)</small></h2>\n<div class=\"cols\">\n<div class=\"raw\">",
        esc(source), esc(source), p.page.number, p.articles.len(), p.fixes.len(), review
    ));
    let text = &p.page.text;
    for n in 1..=p.page.line_count() {
        let span = p.page.line_span(n);
        let line = &text[span.clone()];
        let first_visible = line
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(i, _)| span.start + i);
        let art = first_visible.and_then(|pos| article_of(p, pos));
        let style = match art {
            Some(a) => format!(" style=\"border-left-color:hsl({},70%,50%);background:hsl({},70%,96%)\" data-article=\"{}\"", hue(a), hue(a), p.articles[a].id),
            None => String::new(),
        };
        out.push_str(&format!("<div class=\"line\" id=\"{id}-l{n}\"{style}><span class=\"no\">{n}</span><span class=\"t\">"));
        // Edits marked inside the line; decisions as badges after it.
        let mut pos = span.start;
        let mut edits: Vec<&crate::fix::Fix> = p
            .fixes
            .iter()
            .filter(|f| {
                f.replacement.is_some()
                    && f.span.start >= span.start
                    && f.span.start < span.end.max(span.start + 1)
            })
            .collect();
        edits.sort_by_key(|f| f.span.start);
        for f in edits {
            let (a, b) = (f.span.start.max(pos), f.span.end.min(span.end));
            if a < pos || a > b {
                continue;
            }
            out.push_str(&esc(&text[pos..a]));
            let shown = if a == b {
                "∅".to_owned()
            } else {
                text[a..b].replace(' ', "␣").replace('\u{3000}', "□")
            };
            out.push_str(&format!(
                "<mark class=\"fix {}\" data-code=\"{}\" title=\"{} {} → {}\">{}</mark>",
                f.safety.as_str(),
                f.rule.code,
                f.rule.code,
                esc(f.rule.name),
                esc(f.after(&p.page)),
                esc(&shown)
            ));
            pos = b;
        }
        out.push_str(&esc(&text[pos..span.end]));
        for f in p
            .fixes
            .iter()
            .filter(|f| f.replacement.is_none() && p.page.line_of(f.span.start) == n)
        {
            out.push_str(&format!(
                "<span class=\"badge fix {}\" data-code=\"{}\" title=\"{}\">{}</span>",
                f.safety.as_str(),
                f.rule.code,
                esc(&format!(
                    "{} {}: {}",
                    f.rule.name,
                    f.after(&p.page),
                    f.evidence.as_deref().unwrap_or("")
                )),
                f.rule.code
            ));
        }
        out.push_str("</span></div>\n");
    }
    out.push_str("</div>\n<div class=\"articles\">\n");
    for (ai, a) in p.articles.iter().enumerate() {
        out.push_str(&format!(
            "<article id=\"{id}-a{}\" style=\"border-left-color:hsl({},70%,50%)\">",
            a.id,
            hue(ai)
        ));
        if let Some(pl) = a.place_text() {
            out.push_str(&format!("<p class=\"field place\">place: {}</p>", esc(&pl)));
        }
        if let Some(k) = &a.kicker {
            out.push_str(&format!(
                "<p class=\"field kicker\">kicker: {}</p>",
                esc(&k.text)
            ));
        }
        match &a.title {
            Some(t) => out.push_str(&format!("<h3 class=\"title\">{}</h3>", esc(&t.text))),
            None => out.push_str("<h3 class=\"title untitled\">(untitled)</h3>"),
        }
        if let Some(s) = &a.subtitle {
            out.push_str(&format!("<p class=\"field subtitle\">{}</p>", esc(&s.text)));
        }
        for b in &a.blocks {
            let (l1, l2) = b.lines(&p.page);
            match b.kind {
                Kind::Heading => out.push_str(&format!(
                    "<h4 title=\"lines {l1}–{l2}\">{}</h4>",
                    esc(&b.text)
                )),
                _ => out.push_str(&format!(
                    "<p class=\"{}\" title=\"lines {l1}–{l2}\">{}</p>",
                    b.kind.as_str(),
                    esc(&b.text)
                )),
            }
        }
        if let Some(by) = a.byline_text() {
            out.push_str(&format!(
                "<p class=\"field byline\">byline: {}</p>",
                esc(&by)
            ));
        }
        out.push_str("</article>\n");
    }
    out.push_str("</div>\n</div>\n<table class=\"fixes\"><thead><tr><th>code</th><th>rule</th><th>safety</th><th>lines</th><th>change</th><th>evidence</th></tr></thead><tbody>\n");
    let mut fixes: Vec<&crate::fix::Fix> = p.fixes.iter().collect();
    fixes.sort_by_key(|f| (f.safety, f.span.start));
    for f in fixes {
        let (l1, _) = p.page.position(f.span.start);
        let (l2, _) = p.page.position(f.span.end);
        let change = match &f.replacement {
            Some(_) => inline(f, &p.page),
            None => format!("{} → {}", inline(f, &p.page), f.after(&p.page)),
        };
        out.push_str(&format!(
            "<tr class=\"fix {}\"><td><code>{}</code></td><td>{}</td><td class=\"safety\">{}</td><td><a href=\"#{id}-l{l1}\">{l1}–{l2}</a></td><td>{}</td><td>{}</td></tr>\n",
            f.safety.as_str(), f.rule.code, esc(f.rule.name), f.safety.as_str(), esc(&change), esc(f.evidence.as_deref().unwrap_or(""))
        ));
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// The review page for a batch of documents.
pub fn page(docs: &[Document]) -> String {
    let mut out = String::new();
    out.push_str("<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>galley review</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n<header><h1>galley review</h1><label><input type=\"checkbox\" id=\"only-review\"> only fixes that need review</label></header>\n");
    let pages: Vec<(&str, &PageResult)> = docs
        .iter()
        .flat_map(|d| d.pages.iter().map(move |p| (d.source.as_str(), p)))
        .collect();
    out.push_str("<nav id=\"index\"><table><thead><tr><th>source</th><th>page</th><th>articles</th><th>fixes</th><th>to review</th></tr></thead><tbody>\n");
    for (i, (src, p)) in pages.iter().enumerate() {
        let review = p.review_count();
        out.push_str(&format!(
            "<tr><td><a href=\"#p{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(src), p.page.number, p.articles.len(), p.fixes.len(), review
        ));
    }
    out.push_str("</tbody></table></nav>\n");
    for (i, (src, p)) in pages.iter().enumerate() {
        page_html(&mut out, i, src, p);
    }
    out.push_str("<script>");
    out.push_str(SCRIPT);
    out.push_str("</script></body></html>\n");
    out
}
