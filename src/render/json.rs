//! JSON and JSON Lines output. Field names are a contract (see README).

use serde::Serialize;

use crate::classify::Block;
use crate::source::Page;
use crate::{Document, PageResult};

#[derive(Serialize)]
struct JBlock<'a> {
    kind: &'a str,
    text: &'a str,
    lines: [usize; 2],
}

#[derive(Serialize)]
struct JArticle<'a> {
    id: usize,
    place: Option<String>,
    kicker: Option<&'a str>,
    title: Option<&'a str>,
    subtitle: Option<&'a str>,
    byline: Option<String>,
    place_lines: Option<[usize; 2]>,
    title_lines: Option<[usize; 2]>,
    byline_lines: Option<[usize; 2]>,
    blocks: Vec<JBlock<'a>>,
    jumps: Vec<&'a str>,
}

/// A fix as JSON.
#[derive(Serialize)]
pub struct JFix<'a> {
    code: &'a str,
    rule: &'a str,
    safety: &'a str,
    lines: [usize; 2],
    columns: [usize; 2],
    before: &'a str,
    after: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a str>,
}

#[derive(Serialize)]
struct JPage<'a> {
    #[serde(rename = "type")]
    ty: &'static str,
    /// The record's id under `--input jsonl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    page: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<JProfile<'a>>,
    articles: Vec<JArticle<'a>>,
    furniture: Vec<&'a str>,
    fixes: Vec<JFix<'a>>,
}

#[derive(Serialize)]
struct JProfile<'a> {
    name: &'a str,
    score: f64,
}

#[derive(Serialize)]
struct JDoc<'a> {
    source: &'a str,
    pages: Vec<JPage<'a>>,
}

fn lines(b: &Block, page: &Page) -> [usize; 2] {
    let (a, z) = b.lines(page);
    [a, z]
}

/// The JSON form of a fix.
pub fn fix<'a>(f: &'a crate::fix::Fix, page: &'a Page) -> JFix<'a> {
    let (l1, c1) = page.position(f.span.start);
    let (l2, c2) = page.position(f.span.end);
    JFix {
        code: f.rule.code,
        rule: f.rule.name,
        safety: f.safety.as_str(),
        lines: [l1, l2],
        columns: [c1, c2],
        before: f.before(page),
        after: f.after(page),
        evidence: f.evidence.as_deref(),
    }
}

fn page<'a>(
    p: &'a PageResult,
    source: Option<&'a str>,
    id: Option<&'a serde_json::Value>,
) -> JPage<'a> {
    let pg = &p.page;
    JPage {
        ty: "page",
        id,
        source,
        page: pg.number,
        profile: p.profile.as_ref().map(|(name, score)| JProfile {
            name,
            score: (score * 100.0).round() / 100.0,
        }),
        articles: p
            .articles
            .iter()
            .map(|a| {
                let bl: Vec<[usize; 2]> = a.bylines.iter().map(|b| lines(b, pg)).collect();
                JArticle {
                    id: a.id,
                    place: a.place_text(),
                    kicker: a.kicker.as_ref().map(|b| b.text.as_str()),
                    title: a.title.as_ref().map(|b| b.text.as_str()),
                    subtitle: a.subtitle.as_ref().map(|b| b.text.as_str()),
                    byline: a.byline_text(),
                    place_lines: a.place.as_ref().map(|b| lines(b, pg)),
                    title_lines: a.title.as_ref().map(|b| lines(b, pg)),
                    byline_lines: (!bl.is_empty()).then(|| [bl[0][0], bl[bl.len() - 1][1]]),
                    blocks: a
                        .blocks
                        .iter()
                        .map(|b| JBlock {
                            kind: b.kind.as_str(),
                            text: &b.text,
                            lines: lines(b, pg),
                        })
                        .collect(),
                    jumps: a.jumps.iter().map(|b| b.text.as_str()).collect(),
                }
            })
            .collect(),
        furniture: p.furniture.iter().map(|b| b.text.as_str()).collect(),
        fixes: p.fixes.iter().map(|f| fix(f, pg)).collect(),
    }
}

/// The document as `--format json` writes it: a value to serialise (with serde_json, or
/// straight into another data model).
pub fn value(d: &Document) -> impl Serialize + '_ {
    JDoc {
        source: &d.source,
        pages: d.pages.iter().map(|p| page(p, None, None)).collect(),
    }
}

/// The document as one JSON object (indented, as `--format json` writes it).
pub fn document(d: &Document) -> String {
    serde_json::to_string_pretty(&value(d)).expect("serialisable")
}

/// The document as one JSON object on one line (the same fields and values as [`document`]).
pub fn compact(d: &Document) -> String {
    serde_json::to_string(&value(d)).expect("serialisable")
}

/// The document as JSON Lines: one page object a line, each with its source.
pub fn lines_of(d: &Document) -> String {
    page_lines(d, None)
}

/// The document as JSON Lines with the id of the record it was read from (`--input jsonl`):
/// one page object a line, each with that id and its source.
pub fn lines_with_id(d: &Document, id: &serde_json::Value) -> String {
    page_lines(d, Some(id))
}

fn page_lines(d: &Document, id: Option<&serde_json::Value>) -> String {
    let mut out = String::new();
    for p in &d.pages {
        out.push_str(&serde_json::to_string(&page(p, Some(&d.source), id)).expect("serialisable"));
        out.push('\n');
    }
    out
}

/// The line written for a record of `--input jsonl` that could not be read or cleaned:
/// `{"type": "error", "id": …, "line": N, "error": "…"}` (`id` null when the line has none).
pub fn error_line(id: &serde_json::Value, line: usize, error: &str) -> String {
    #[derive(Serialize)]
    struct JError<'a> {
        #[serde(rename = "type")]
        ty: &'static str,
        id: &'a serde_json::Value,
        line: usize,
        error: &'a str,
    }
    let e = JError {
        ty: "error",
        id,
        line,
        error,
    };
    serde_json::to_string(&e).expect("serialisable") + "\n"
}
