//! Place tags as article fields: a tag printed alone goes to the article that names the place
//! (ST002); an article without a tag on a page that tags its stories gets the place its byline or
//! body names. The tag beside a title is found by [`crate::places`], shared with `classify`.

use std::collections::HashMap;

use super::{Article, Ctx};
use crate::fix::{Fix, ST002};
use crate::grammar::Grammar;

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
