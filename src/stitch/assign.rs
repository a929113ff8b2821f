//! Titles to bodies, solved as an assignment: where each candidate stands relative to the runs,
//! the place it carries, a score for every (candidate, run) pair, the Hungarian assignment, and
//! the articles built from it (ST001 moves, ST003 subtitles).

use super::weights::{self, Vector, Weights, N};
use super::{fields, hungarian, Article, Cand, Ctx, Run, Tag};
use crate::classify::Kind;
use crate::fix::{Fix, ST001, ST002, ST003};
use crate::grams::{affinity, grams, Grams};
use crate::parse::chars;
use rustc_hash::FxHashMap;

/// What each candidate follows (a run's byline or its last paragraph), which run follows it, and
/// whether it could be that run's first section heading.
pub(super) fn locate(ctx: &Ctx, runs: &[Run], cands: &mut [Cand]) {
    let blocks = ctx.blocks;
    for cand in cands.iter_mut() {
        if cand.block == 0 {
            continue;
        }
        let prev = cand.block - 1;
        cand.after_byline_of = runs
            .iter()
            .position(|r| !r.lead_byline && r.bylines.last() == Some(&prev));
        cand.after_body_of = runs.iter().position(|r| r.body.last() == Some(&prev));
    }
    let run_start: Vec<usize> = runs
        .iter()
        .map(|r| {
            r.body
                .first()
                .or(r.bylines.first())
                .copied()
                .unwrap_or(usize::MAX)
        })
        .collect();
    let cand_blocks: Vec<usize> = cands.iter().map(|c| c.block).collect();
    for cand in cands.iter_mut() {
        // Bylines, place tags and other heading groups may stand between a title and its body.
        cand.next_run = (cand.block + 1..blocks.len())
            .take_while(|&j| {
                matches!(blocks[j].kind, Kind::Byline | Kind::Place)
                    || run_start.contains(&j)
                    || cand_blocks.contains(&j)
            })
            .find_map(|j| run_start.iter().position(|&s| s == j));
        cand.through = (cand.block + 1..blocks.len())
            .take_while(|j| !run_start.contains(j))
            .filter(|j| cand_blocks.contains(j))
            .count();
        // A lead byline belongs to the run after it.
        if cand.next_run.is_none() {
            cand.next_run = (cand.block + 1..blocks.len()).find_map(|j| {
                runs.iter()
                    .position(|r| r.lead_byline && r.bylines.first() == Some(&j))
            });
        }
        // Only a group that opens a run can be that run's first section heading.
        cand.may_be_heading &= cand.next_run.is_some() && cand.through == 0;
    }
}

/// The text, grams and byline place of every run.
#[derive(Default)]
pub(super) struct RunFeatures {
    pub text: Vec<String>,
    pub grams: Vec<Grams>,
    pub byplace: Vec<Option<String>>,
    /// The run's first paragraph.
    pub first: Vec<Option<usize>>,
    /// The first and last block of the run (body and bylines).
    pub span: Vec<(usize, usize)>,
    /// Inverse run frequency of every gram of the runs: a gram every body holds says nothing
    /// about which body a title belongs to.
    pub idf: FxHashMap<u64, f64>,
}

impl RunFeatures {
    pub(super) fn new(ctx: &Ctx, runs: &[Run]) -> RunFeatures {
        RunFeatures {
            text: runs
                .iter()
                .map(|r| {
                    r.body
                        .iter()
                        .map(|&i| ctx.blocks[i].text.as_str())
                        .collect::<Vec<_>>()
                        .join("")
                })
                .collect(),
            grams: runs.iter().map(|r| ctx.run_grams(r)).collect(),
            byplace: runs
                .iter()
                .map(|r| {
                    r.bylines
                        .iter()
                        .find_map(|&b| ctx.grammar.leading_place(&ctx.blocks[b].text))
                })
                .collect(),
            first: runs.iter().map(first_paragraph(ctx)).collect(),
            span: runs.iter().map(block_span).collect(),
            idf: FxHashMap::default(),
        }
        .with_idf()
    }

    /// The inverse run frequencies, `ln((1 + runs) / (1 + runs holding the gram))`.
    fn with_idf(mut self) -> RunFeatures {
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        for g in &self.grams {
            for &x in &g.0 {
                *df.entry(x).or_default() += 1;
            }
        }
        let n = self.grams.len() as f64;
        self.idf = df
            .into_iter()
            .map(|(g, d)| (g, ((1.0 + n) / (1.0 + d as f64)).ln()))
            .collect();
        self
    }

    /// The share of a title's weight (the inverse run frequencies of its grams that some run
    /// holds) that run `r` holds.
    pub(super) fn idf_affinity(&self, title: &Grams, r: usize) -> f64 {
        let (mut all, mut here) = (0.0, 0.0);
        for g in &title.0 {
            if let Some(w) = self.idf.get(g) {
                all += w;
                if self.grams[r].contains(*g) {
                    here += w;
                }
            }
        }
        if all > 0.0 {
            here / all
        } else {
            0.0
        }
    }

    /// Recompute run `r` after its body changed (a new run has no byline place); the inverse run
    /// frequencies are left to [`RunFeatures::refresh_all`].
    fn refresh(&mut self, ctx: &Ctx, runs: &[Run], r: usize) {
        let t = ctx.text_of(&runs[r].body);
        let g = ctx.run_grams(&runs[r]);
        let (f, s) = (first_paragraph(ctx)(&runs[r]), block_span(&runs[r]));
        if r < self.text.len() {
            self.text[r] = t;
            self.grams[r] = g;
            self.first[r] = f;
            self.span[r] = s;
        } else {
            self.text.push(t);
            self.grams.push(g);
            self.byplace.push(None);
            self.first.push(f);
            self.span.push(s);
        }
    }

    /// Recompute runs `rs` after their bodies changed, then the inverse run frequencies once.
    pub(super) fn refresh_all(&mut self, ctx: &Ctx, runs: &[Run], rs: &[usize]) {
        for &r in rs {
            self.refresh(ctx, runs, r);
        }
        *self = std::mem::take(self).with_idf();
    }
}

/// The first paragraph of a run.
fn first_paragraph<'a>(ctx: &'a Ctx) -> impl Fn(&Run) -> Option<usize> + 'a {
    |r: &Run| {
        r.body
            .iter()
            .copied()
            .find(|&i| ctx.blocks[i].kind == Kind::Paragraph)
    }
}

/// The first and last block of a run, bylines included.
fn block_span(r: &Run) -> (usize, usize) {
    let all = r.body.iter().chain(&r.bylines);
    (
        all.clone().copied().min().unwrap_or(0),
        all.copied().max().unwrap_or(0),
    )
}

/// The place tag of each candidate (a place glued to the end of a title must be confirmed by the
/// page: a byline names it, or the text names it with an administrative suffix of the grammar),
/// and its grams.
pub(super) fn title_places(ctx: &Ctx, runs: &[Run], feats: &RunFeatures, cands: &mut [Cand]) {
    let blocks = ctx.blocks;
    let page_text: String = feats.text.join("")
        + &runs
            .iter()
            .flat_map(|r| r.bylines.iter())
            .map(|&b| blocks[b].text.as_str())
            .collect::<String>();
    let byline_places: Vec<String> = blocks
        .iter()
        .filter(|b| b.kind == Kind::Byline)
        .filter_map(|b| ctx.grammar.leading_place(&b.text))
        .collect();
    for cand in cands.iter_mut() {
        let b = &blocks[cand.block];
        let options = crate::places::title_place_options(
            ctx.page,
            ctx.applied,
            b.title_pieces(),
            ctx.grammar,
            ctx.tags,
        );
        for (p, t) in options {
            let ptext = ctx.applied.slice(p.clone()).trim().to_owned();
            // A tag set apart from its title by a space needs no other confirmation.
            let text = &ctx.page.text;
            let spaced = if p.end <= t.start {
                text[p.end..].starts_with(chars::is_space)
            } else {
                text[..p.start].ends_with(chars::is_space)
            };
            // A tag glued to the title's start: the text names the place more than once.
            let at_start = b.title_pieces().first().is_some_and(|f| f.start == p.start);
            let confirmed = spaced
                || byline_places.contains(&ptext)
                || ctx.grammar.names_with_suffix(&page_text, &ptext)
                || (at_start && page_text.matches(ptext.as_str()).count() >= 2);
            if confirmed {
                cand.tag = Some(Tag {
                    place: ptext,
                    span: p,
                    title: t,
                });
                break;
            }
        }
        cand.grams = grams(&cand.text);
    }
}

/// The feature values of the pair (candidate, run `r`): see [`super::weights::FEATURES`].
pub(super) fn features(ctx: &Ctx, cand: &Cand, r: usize, feats: &RunFeatures) -> Vector {
    let mut x = [0.0; N];
    let mut set = |name: &str, v: f64| x[weights::index(name).expect("a known feature")] = v;
    set("bias", 1.0);
    if cand.next_run == Some(r) {
        // Through another heading group (a title above a section heading) counts less.
        let name = match cand.through {
            0 => "before_body",
            1 => "before_body_through_1",
            2 => "before_body_through_2",
            _ => "before_body_through_more",
        };
        set(name, 1.0);
    }
    let b = &ctx.blocks[cand.block];
    if b.cues.group >= 2 {
        set("stack", 1.0); // a stack (kicker and title) is a title more often than a heading
    }
    if b.cues.labels.iter().any(|l| l.title()) {
        set("titled", 1.0);
    }
    if cand.after_byline_of == Some(r) {
        set("after_byline", 1.0);
    } else if cand.after_body_of == Some(r) {
        set("after_body", 1.0);
    }
    if let Some(p) = cand.tag.as_ref().map(|t| &t.place) {
        if feats.byplace[r].as_deref() == Some(p.as_str()) {
            set("place_matches_byline", 1.0);
        } else if feats.text[r].contains(p.as_str()) {
            set("place_named_in_body", 1.0);
        } else if feats.byplace[r].is_some() {
            set("place_other_byline", 1.0);
        }
    }
    // An affinity, and whether run `r` is the one body it is highest for.
    let best = |of: &dyn Fn(usize) -> f64| {
        let here = of(r);
        let alone = here > 0.0 && (0..feats.grams.len()).all(|o| o == r || of(o) < here);
        (here, if alone { 1.0 } else { 0.0 })
    };
    let (aff, top) = best(&|o| affinity(&cand.grams, &feats.grams[o]));
    set("affinity", aff);
    set("best_affinity", top);
    let (idf_aff, top) = best(&|o| feats.idf_affinity(&cand.grams, o));
    set("idf_affinity", idf_aff);
    set("best_idf_affinity", top);
    if let Some(first) = feats.first[r] {
        set("lead_affinity", affinity(&cand.grams, &ctx.grams[first]));
    }
    let (lo, hi) = feats.span[r];
    let d = if cand.block < lo {
        lo - cand.block
    } else {
        cand.block.saturating_sub(hi)
    };
    set("near", 1.0 / (1.0 + d as f64));
    x
}

/// How well candidate `cand` fits as the title of run `r`, and why (the cues that fired).
fn score(ctx: &Ctx, w: &Weights, cand: &Cand, r: usize, feats: &RunFeatures) -> (f64, String) {
    let x = features(ctx, cand, r, feats);
    let on = |name: &str| x[weights::index(name).expect("a known feature")] > 0.0;
    let mut why = Vec::new();
    if [
        "before_body",
        "before_body_through_1",
        "before_body_through_2",
        "before_body_through_more",
    ]
    .iter()
    .any(|n| on(n))
    {
        why.push("printed just before the body".to_owned());
    }
    if on("after_byline") {
        why.push("printed just after its byline".to_owned());
    } else if on("after_body") {
        why.push("printed just after the body".to_owned());
    }
    if let Some(p) = cand.tag.as_ref().map(|t| &t.place) {
        if on("place_matches_byline") {
            why.push(format!("place `{p}` matches the byline"));
        } else if on("place_named_in_body") {
            why.push(format!("place `{p}` named in the body"));
        }
    }
    let value = |name: &str| x[weights::index(name).expect("a known feature")];
    why.push(format!(
        "affinity {:.2} ({:.2} weighted by rarity)",
        value("affinity"),
        value("idf_affinity")
    ));
    (w.score(&x), why.join(", "))
}

/// The candidates-by-runs matrix of feature vectors, `None` where a pair is not allowed: with
/// ST001 off a title stays where it is printed and only goes to the body just after it.
pub(super) fn pair_features(
    ctx: &Ctx,
    cands: &[Cand],
    feats: &RunFeatures,
) -> Vec<Vec<Option<Vector>>> {
    let moves = ctx.opts.enabled(ST001.code);
    cands
        .iter()
        .map(|cd| {
            (0..feats.text.len())
                .map(|r| (moves || cd.next_run == Some(r)).then(|| features(ctx, cd, r, feats)))
                .collect()
        })
        .collect()
}

/// The run each candidate is the title of, maximising the page's total score. A candidate that
/// could be a section heading opening its run does not beat a real title: the assignment prefers
/// the better one, and a leftover becomes the heading.
pub(super) fn assign(
    ctx: &Ctx,
    w: &Weights,
    cands: &[Cand],
    feats: &RunFeatures,
) -> Vec<Option<usize>> {
    let pairs = pair_features(ctx, cands, feats);
    solve(&pairs, w, ctx.grammar.setting("min_title_score", 0.6))
}

/// The assignment of candidates to runs under weights `w`; a candidate scoring below `floor`
/// against every run stays unassigned.
pub(super) fn solve(pairs: &[Vec<Option<Vector>>], w: &Weights, floor: f64) -> Vec<Option<usize>> {
    let matrix: Vec<Vec<f64>> = pairs
        .iter()
        .map(|row| {
            row.iter()
                .map(|x| x.as_ref().map_or(f64::MIN, |x| w.score(x)))
                .collect()
        })
        .collect();
    hungarian::assign(&matrix, floor)
}

/// The articles: one per run, with its assigned title group split into fields; an unassigned
/// candidate becomes the section heading of the run it opens, a subtitle of the article it fits
/// (ST003), or an article of its own.
pub(super) fn build(
    ctx: &Ctx,
    w: &Weights,
    runs: &[Run],
    cands: &[Cand],
    assigned: &[Option<usize>],
    feats: &RunFeatures,
    fixes: &mut Vec<Fix>,
) -> Vec<Article> {
    let (page, blocks, grammar, opts) = (ctx.page, ctx.blocks, ctx.grammar, ctx.opts);
    let mut arts: Vec<Article> = runs
        .iter()
        .map(|r| Article {
            blocks: r.body.iter().map(|&i| blocks[i].clone()).collect(),
            bylines: r.bylines.iter().map(|&i| blocks[i].clone()).collect(),
            jumps: r.jumps.iter().map(|&i| blocks[i].clone()).collect(),
            ..Article::default()
        })
        .collect();
    for (ci, cand) in cands.iter().enumerate() {
        let b = &blocks[cand.block];
        let tag = cand
            .tag
            .as_ref()
            .filter(|_| opts.enabled(ST002.code))
            .map(|t| (t.span.clone(), t.title.clone()));
        match assigned[ci] {
            Some(r) => {
                let (s, why) = score(ctx, w, cand, r, feats);
                let fields = fields::title_fields(page, ctx.applied, b, grammar, tag);
                if cand.next_run != Some(r) {
                    fixes.push(
                        Fix::decision(
                            &ST001,
                            b.hull(),
                            format!(
                                "title of article with body at line {}",
                                arts[r].blocks.first().map(|x| x.lines(page).0).unwrap_or(0)
                            ),
                        )
                        .because(format!("score {s:.2}: {why}")),
                    );
                }
                if let Some(p) = &fields.place {
                    fixes.push(
                        Fix::decision(&ST002, p.pieces[0].clone(), format!("place {}", p.text))
                            .because("a known place set beside the title"),
                    );
                }
                let a = &mut arts[r];
                a.place = fields.place.or(a.place.take());
                a.kicker = fields.kicker;
                a.title = fields.title;
                a.subtitle = fields.subtitle;
            }
            None => {
                // A heading opening the next run stays a section heading there.
                let target = cand
                    .next_run
                    .filter(|&r| cand.may_be_heading && r < arts.len());
                if let Some(r) = target {
                    let mut h = b.clone();
                    h.kind = Kind::Heading;
                    arts[r].blocks.insert(0, h);
                    continue;
                }
                // Otherwise a subtitle of the article it fits best, or an article of its own. A
                // group holding a line the page model read as a title is a title block of its
                // own, no other title's deck.
                let min_aff = grammar.setting("min_subtitle_affinity", 0.15);
                let titled = b.cues.labels.iter().any(|l| l.title());
                let deck_of = |r: usize| {
                    arts[r].title.is_some() && arts[r].subtitle.is_none() && r < feats.grams.len()
                };
                let best = (0..arts.len())
                    .filter(|&r| !titled && deck_of(r))
                    .map(|r| (affinity(&cand.grams, &feats.grams[r]), r))
                    .max_by(|x, y| x.0.total_cmp(&y.0));
                match best {
                    Some((aff, r)) if aff >= min_aff && opts.enabled(ST003.code) => {
                        let mut s = b.clone();
                        s.kind = Kind::Subtitle;
                        fixes.push(
                            Fix::decision(&ST003, b.hull(), "subtitle")
                                .because(format!("affinity {aff:.2} with the body")),
                        );
                        arts[r].subtitle = Some(s);
                    }
                    _ => {
                        let fields = fields::title_fields(page, ctx.applied, b, grammar, tag);
                        arts.push(Article {
                            place: fields.place,
                            kicker: fields.kicker,
                            title: fields.title,
                            subtitle: fields.subtitle,
                            ..Article::default()
                        });
                    }
                }
            }
        }
    }
    arts
}
