//! Place tags: found beside a title (a known place apart by a space, or glued to the end of a
//! one-token title), or printed alone and attached to the article that names the place (ST002);
//! an article without a tag on a page that tags its stories gets the place its byline or body
//! names.

use std::collections::HashMap;
use std::ops::Range;

use super::{Article, Ctx};
use crate::classify::Block;
use crate::fix::{Applied, Fix, ST002};
use crate::grammar::Grammar;
use crate::parse::chars;
use crate::source::Page;

/// Place-only blocks go to the article that names the place.
pub(super) fn attach_tags(
    ctx: &Ctx,
    tags: &[usize],
    arts: &mut Vec<Article>,
    fixes: &mut Vec<Fix>,
) {
    for &pi in tags {
        let p = &ctx.blocks[pi];
        let name = p.text.trim();
        let best = arts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.place.is_none())
            .map(|(r, a)| {
                let by = a.byline_text().and_then(|t| ctx.grammar.leading_place(&t));
                let text: String = a.blocks.iter().map(|b| b.text.as_str()).collect();
                let mut s = text.matches(name).count().min(5) as f64;
                if by.as_deref() == Some(name) {
                    s += 5.0;
                }
                (s, r)
            })
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        match best {
            Some((s, r)) if s >= 1.0 && ctx.opts.enabled(ST002.code) => {
                fixes.push(
                    Fix::decision(
                        &ST002,
                        p.pieces[0].clone(),
                        format!(
                            "place of article with body at line {}",
                            arts[r]
                                .blocks
                                .first()
                                .map(|x| x.lines(ctx.page).0)
                                .unwrap_or(0)
                        ),
                    )
                    .because(format!("the article names `{name}` (score {s:.1})")),
                );
                arts[r].place = Some(p.clone());
            }
            _ => arts.push(Article {
                place: Some(p.clone()),
                ..Article::default()
            }),
        }
    }
}

/// Inferred places: the byline's place, else (on pages that tag their stories) the place the
/// body names most.
pub(super) fn infer(ctx: &Ctx, arts: &mut [Article], uses_tags: bool) {
    for a in arts.iter_mut() {
        if a.place.is_some() {
            continue;
        }
        if let Some(p) = a.byline_text().and_then(|t| ctx.grammar.leading_place(&t)) {
            a.inferred_place = Some(p);
        } else if uses_tags {
            let text: String = a.blocks.iter().map(|b| b.text.as_str()).collect();
            a.inferred_place = most_named_place(&text, ctx.grammar);
        }
    }
}

/// The space-separated tokens of the page text `raw` starting at byte `at`, as page spans.
fn tokens(raw: &str, at: usize) -> Vec<Range<usize>> {
    let mut toks: Vec<Range<usize>> = Vec::new();
    let mut start = None;
    for (i, c) in raw.char_indices() {
        if chars::is_space(c) {
            if let Some(s) = start.take() {
                toks.push(at + s..at + i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        toks.push(at + s..at + raw.len());
    }
    toks
}

/// A known place set before or after a title on line `p`, apart by a space, with at least
/// `min_rest` characters of title beside it on the line (four for a title's first line; fewer for
/// the last line of a title that began on earlier lines): (place span, title span). Tokens are
/// read through the fixes (a doubled tag is undoubled first).
pub(super) fn space_tag(
    page: &Page,
    applied: &Applied,
    p: &Range<usize>,
    grammar: &Grammar,
    min_rest: usize,
) -> Option<(Range<usize>, Range<usize>)> {
    let toks = tokens(&page.text[p.clone()], p.start);
    if toks.len() < 2 {
        return None;
    }
    let first = applied.slice(toks[0].clone());
    let last = applied.slice(toks[toks.len() - 1].clone());
    let rest_len = |a: usize, b: usize| applied.slice(toks[a].start..toks[b].end).chars().count();
    if grammar.is_place(first) && rest_len(1, toks.len() - 1) >= min_rest {
        return Some((toks[0].clone(), toks[1].start..p.end));
    }
    if grammar.is_place(last) && rest_len(0, toks.len() - 2) >= min_rest {
        return Some((
            toks[toks.len() - 1].clone(),
            p.start..toks[toks.len() - 2].end,
        ));
    }
    None
}

/// A place tag on the first line of a title group: (place span, title span) in the page.
pub(super) fn title_place(
    page: &Page,
    applied: &Applied,
    b: &Block,
    grammar: &Grammar,
) -> Option<(Range<usize>, Range<usize>)> {
    let list = grammar.list("place")?;
    // Only the first line of a group carries a tag.
    if let Some(p) = b.pieces.first() {
        if let Some(found) = space_tag(page, applied, p, grammar, 4) {
            return Some(found);
        }
        let raw = &page.text[p.clone()];
        let toks = tokens(raw, p.start);
        // A place glued to the end of the title: only where the line has no fixes inside.
        let text = applied.slice(p.clone());
        let punct = text.chars().any(|c| {
            grammar.in_class("pause", c)
                || grammar.in_class("stop", c)
                || grammar.in_class("colon", c)
        });
        if text == raw && toks.len() == 1 && !punct {
            let cs: Vec<(usize, char)> = raw.char_indices().collect();
            let plain: Vec<char> = cs.iter().map(|c| c.1).collect();
            for start in (plain.len().saturating_sub(4)..plain.len()).rev() {
                if start < 5 || !chars::is_han(plain[start - 1]) {
                    continue;
                }
                if list.ends_at(&plain, start).contains(&plain.len()) && plain.len() - start >= 2 {
                    return Some((p.start + cs[start].0..p.end, p.start..p.start + cs[start].0));
                }
            }
        }
    }
    None
}

/// The place named most often in `text` (at least twice).
fn most_named_place(text: &str, grammar: &Grammar) -> Option<String> {
    let list = grammar.list("place")?;
    let cs: Vec<char> = text.chars().collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for i in 0..cs.len() {
        if let Some(e) = list
            .ends_at(&cs, i)
            .into_iter()
            .filter(|&e| e - i >= 2)
            .min()
        {
            *counts.entry(cs[i..e].iter().collect()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(p, _)| p)
}
