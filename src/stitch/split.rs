//! Cutting a run that holds two articles: at a section title whose two sides share few words or
//! that opens with a dateline, between a byline under the title and one after the text (ST004),
//! and where a title no body claimed fits one part of a run (ST004).

use rustc_hash::FxHashMap;

use super::{Cand, Ctx, Run};
use crate::classify::{Block, Kind};
use crate::fix::{Fix, ST004};
use crate::grammar::{Grammar, PatternKind};
use crate::grams::{Grams, Tfidf};
use crate::parse::chars;

/// A section heading between two parts that share few words, or before a paragraph that opens
/// with a dateline, is the title of a new article run on without a byline: the run is cut there
/// and the heading joins the candidates, unless the page model read it as a section heading
/// (then it opens the second part, whose title may be printed elsewhere).
pub(super) fn at_section_titles(ctx: &Ctx, runs: Vec<Run>, cands: &mut Vec<Cand>) -> Vec<Run> {
    let blocks = ctx.blocks;
    let min_coh = ctx.grammar.setting("min_section_similarity", 0.035);
    let min_chars = ctx.grammar.setting("min_section_chars", 0.0) as usize;
    let tfidf = std::cell::OnceCell::new();
    let tfidf = || {
        tfidf.get_or_init(|| {
            Tfidf::new(
                blocks
                    .iter()
                    .zip(&ctx.grams)
                    .filter(|(b, _)| b.kind == Kind::Paragraph)
                    .map(|(_, g)| g),
            )
        })
    };
    let mut split_runs: Vec<Run> = Vec::new();
    for run in runs {
        let mut cur = Run {
            lead_byline: run.lead_byline,
            bylines: if run.lead_byline {
                run.bylines.clone()
            } else {
                Vec::new()
            },
            ..Run::default()
        };
        let heads: Vec<usize> = (0..run.body.len())
            .filter(|&k| blocks[run.body[k]].kind == Kind::Heading)
            .collect();
        let mut last_cut = 0;
        for (hi, &k) in heads.iter().enumerate() {
            let next_head = heads.get(hi + 1).copied().unwrap_or(run.body.len());
            let before = ctx.text_of(&run.body[last_cut..k]);
            let after = ctx.text_of(&run.body[k + 1..next_head]);
            if before.is_empty() || after.is_empty() {
                continue;
            }
            let dated = run
                .body
                .get(k + 1)
                .is_some_and(|&i| opens_with_dateline(&blocks[i].text, ctx.grammar));
            // Too little text on a side says nothing of what it is about: where the page model
            // read the heading as a section heading, the words must show the change.
            let h = run.body[k];
            let section = blocks[h].section_only();
            let enough = |t: &str| t.chars().count() >= min_chars;
            let weak = !enough(&before) || !enough(&after);
            let apart = !(weak && section) && tfidf().cosine(&before, &after) < min_coh;
            if dated || apart {
                cur.body.extend(&run.body[last_cut..k]);
                split_runs.push(std::mem::take(&mut cur));
                if section {
                    // The model read a section heading: it opens the new article's body, whose
                    // title may be printed elsewhere.
                    last_cut = k;
                } else {
                    cands.push(Cand::new(h, &blocks[h].text, false));
                    last_cut = k + 1;
                }
            }
        }
        cur.body.extend(&run.body[last_cut..]);
        if !run.lead_byline {
            cur.bylines = run.bylines.clone();
        }
        cur.jumps = run.jumps.clone();
        split_runs.push(cur);
    }
    split_runs
}

/// A run with a byline under its title and another after its text holds two articles: the
/// first ran on into the second, which has no title before it. Cut where the words change most.
pub(super) fn at_lead_bylines(ctx: &Ctx, runs: Vec<Run>, fixes: &mut Vec<Fix>) -> Vec<Run> {
    if !ctx.opts.enabled(ST004.code) {
        return runs;
    }
    let blocks = ctx.blocks;
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        if run.body.is_empty() {
            out.push(run);
            continue;
        }
        let (lead, closing) = bylines_around(&run);
        if !run.lead_byline
            || lead.is_empty()
            || closing.is_empty()
            || closing
                .iter()
                .any(|&i| ctx.block_is(PatternKind::Credit, i))
        {
            out.push(run);
            continue;
        }
        let Some(cut) = least_cohesive_cut(ctx, &run, f64::INFINITY) else {
            out.push(run);
            continue;
        };
        let right_body = run.body[cut.at..].to_vec();
        let span = body_span(blocks, &right_body);
        fixes.push(Fix::decision(&ST004, span, "separate article").because(format!(
            "a byline stands under the title and another after the text; the words change most here (cohesion {:.2})",
            cut.cohesion
        )));
        out.push(Run {
            body: run.body[..cut.at].to_vec(),
            bylines: lead,
            jumps: Vec::new(),
            lead_byline: true,
        });
        out.push(Run {
            body: right_body,
            bylines: closing,
            jumps: run.jumps,
            lead_byline: false,
        });
    }
    out
}

/// Where the grammar says a dateline opens an article (`set dateline_opens_article = 1`: a
/// national daily's 本报某地3月2日电 never opens a later paragraph of its story), a paragraph of a
/// run that opens with one, after a paragraph that ends a sentence, starts a new article: two
/// stories printed one under the other without a byline between them are cut there (ST004).
pub(super) fn at_datelines(ctx: &Ctx, runs: Vec<Run>, fixes: &mut Vec<Fix>) -> Vec<Run> {
    if !ctx.opts.enabled(ST004.code) || ctx.grammar.setting("dateline_opens_article", 0.0) < 0.5 {
        return runs;
    }
    let blocks = ctx.blocks;
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        // A lone paragraph before the dateline (an editor's note, 编者按) heads the same story.
        let cuts: Vec<usize> = (2..run.body.len())
            .filter(|&k| {
                let (prev, b) = (&blocks[run.body[k - 1]], &blocks[run.body[k]]);
                prev.kind == Kind::Paragraph
                    && !prev.cues.ends_mid
                    && b.kind == Kind::Paragraph
                    && opens_with_dateline(&b.text, ctx.grammar)
            })
            .collect();
        if cuts.is_empty() {
            out.push(run);
            continue;
        }
        let bounds: Vec<usize> = std::iter::once(0)
            .chain(cuts.iter().copied())
            .chain(std::iter::once(run.body.len()))
            .collect();
        let parts = bounds.len() - 1;
        for (p, w) in bounds.windows(2).enumerate() {
            let body = run.body[w[0]..w[1]].to_vec();
            if p > 0 {
                let span = body_span(blocks, &body);
                fixes.push(
                    Fix::decision(&ST004, span, "separate article")
                        .because("the paragraph opens with a dateline, which opens a story"),
                );
            }
            // A byline before the body stays with the first story, one after it with the last.
            let (first, last) = (p == 0, p + 1 == parts);
            let bylines = match (first, last) {
                (true, true) => run.bylines.clone(),
                (true, false) => bylines_around(&run).0,
                (false, true) => bylines_around(&run).1,
                (false, false) => Vec::new(),
            };
            out.push(Run {
                body,
                lead_byline: run.lead_byline && first && !bylines.is_empty(),
                bylines,
                jumps: if last { run.jumps.clone() } else { Vec::new() },
            });
        }
    }
    out
}

/// A title no body claimed takes the part of a run its words point to, when that part shares few
/// words with the rest: the run is cut and the title assigned to the new run. Returns the fixes.
pub(super) fn for_unassigned_titles(
    ctx: &Ctx,
    cands: &[Cand],
    assigned: &mut [Option<usize>],
    runs: &mut Vec<Run>,
    feats: &mut super::assign::RunFeatures,
) -> Vec<Fix> {
    let blocks = ctx.blocks;
    let split_max = ctx.grammar.setting("split_max_cohesion", 0.12);
    let min_gain = ctx.grammar.setting("split_min_gain", f64::NEG_INFINITY);
    let mut fixes = Vec::new();
    for ci in 0..cands.len() {
        if assigned[ci].is_some() || cands[ci].may_be_heading || !ctx.opts.enabled(ST004.code) {
            continue;
        }
        // Where the page model labelled the group, only a group with a title line is a title
        // (a kicker, deck or heading left over does not cut a body: cross-validated on the dev
        // pages, Chinese titles +0.4 to +3.1 points, grouping level or up).
        let labels = &blocks[cands[ci].block].cues.labels;
        if !labels.is_empty() && !labels.iter().any(|l| l.title()) {
            continue;
        }
        let mut best: Option<(f64, usize, usize)> = None; // (gain, run, cut)
        for (r, run) in runs.iter().enumerate() {
            for cut in split_points(
                run,
                blocks,
                &ctx.grams,
                &feats.byplace[r],
                split_max,
                &cands[ci].grams,
            ) {
                // The title takes the part its words point to; the run's own byline keeps the other.
                let (al, ar) = (cut.left_affinity, cut.right_affinity);
                let take_left = cut.byline_right || al >= ar;
                if !take_left {
                    continue; // only the part before a byline can be detached without it
                }
                let gain = (al - ar) + 0.2 - cut.cohesion;
                if al >= 0.15 && gain >= min_gain && best.is_none_or(|b| gain > b.0) {
                    best = Some((gain, r, cut.at));
                }
            }
        }
        if let Some((gain, r, cut)) = best {
            let left: Vec<usize> = runs[r].body.drain(..cut).collect();
            runs.push(Run {
                body: left,
                ..Run::default()
            });
            let nr = runs.len() - 1;
            feats.refresh_all(ctx, runs, &[r, nr]);
            assigned[ci] = Some(nr);
            let span = body_span(blocks, &runs[nr].body);
            fixes.push(Fix::decision(&ST004, span, "separate article").because(format!(
                "title `{}` fits these paragraphs; they share few words with the rest (gain {gain:.2})",
                cands[ci].text
            )));
        }
    }
    fixes
}

/// A photo credit closing a run (`Herald Photo.`, `通讯员 甲乙 摄`, the grammar's `credit`
/// pattern) is the credit of the photo caption printed just above it, not of the story: where
/// the run's closing bylines are all credits and its body holds more paragraphs, the last
/// paragraph and the credits become a run of their own, the caption (ST004).
pub(super) fn captions_at_credits(ctx: &Ctx, runs: Vec<Run>, fixes: &mut Vec<Fix>) -> Vec<Run> {
    if !ctx.opts.enabled(ST004.code) {
        return runs;
    }
    let blocks = ctx.blocks;
    let mut out = Vec::with_capacity(runs.len());
    for mut run in runs {
        let (_, closing) = bylines_around(&run);
        let paragraphs = run
            .body
            .iter()
            .filter(|&&i| blocks[i].kind == Kind::Paragraph)
            .count();
        let last_is_paragraph = run
            .body
            .last()
            .is_some_and(|&i| blocks[i].kind == Kind::Paragraph);
        if closing.is_empty()
            || paragraphs < 2
            || !last_is_paragraph
            || !closing
                .iter()
                .all(|&i| ctx.block_is(PatternKind::Credit, i))
        {
            out.push(run);
            continue;
        }
        let caption = run.body.split_off(run.body.len() - 1);
        run.bylines.retain(|b| !closing.contains(b));
        let span = body_span(blocks, &caption);
        fixes.push(
            Fix::decision(&ST004, span, "separate article")
                .because("a photo credit closes the run: the paragraph above it is the caption"),
        );
        out.push(run);
        out.push(Run {
            body: caption,
            bylines: closing,
            ..Run::default()
        });
    }
    out
}

/// Where the words of a run change most: the cut between paragraphs whose two sides share the
/// fewest words, at most `max_cohesion` (title-free: no title's affinity is asked).
fn least_cohesive_cut(ctx: &Ctx, run: &Run, max_cohesion: f64) -> Option<SplitPoint> {
    split_points(
        run,
        ctx.blocks,
        &ctx.grams,
        &None,
        max_cohesion,
        &Grams::default(),
    )
    .into_iter()
    .min_by(|x, y| x.cohesion.total_cmp(&y.cohesion))
}

/// A run's bylines printed before its body and after it.
fn bylines_around(run: &Run) -> (Vec<usize>, Vec<usize>) {
    let (first, last) = match (run.body.first(), run.body.last()) {
        (Some(&f), Some(&l)) => (f, l),
        _ => return (Vec::new(), Vec::new()),
    };
    let side = |before: bool| {
        run.bylines
            .iter()
            .copied()
            .filter(|&b| if before { b < first } else { b > last })
            .collect()
    };
    (side(true), side(false))
}

/// The page span of a run's body, from its earliest byte to its latest (the span an ST004
/// decision covers; a body read across two columns (CO001) has blocks out of page order). `body` is never empty: a cut leaves blocks on both sides.
fn body_span(blocks: &[Block], body: &[usize]) -> std::ops::Range<usize> {
    let hulls = || body.iter().map(|&i| blocks[i].hull());
    let start = hulls().map(|h| h.start).min().expect("a body block");
    let end = hulls().map(|h| h.end).max().expect("a body block");
    start..end
}

/// A place where a run could be cut in two articles, with how the two sides relate.
struct SplitPoint {
    at: usize,
    cohesion: f64,
    byline_right: bool,
    left_affinity: f64,
    right_affinity: f64,
}

/// The cuts of a run between paragraphs (after one that ends a sentence) whose two sides share
/// few words, with the affinity of `title` to each side. One sweep with per-gram block counts:
/// linear in the run's grams, no set is copied.
fn split_points(
    run: &Run,
    blocks: &[Block],
    all_grams: &[Grams],
    byplace: &Option<String>,
    max_cohesion: f64,
    title: &Grams,
) -> Vec<SplitPoint> {
    let body = &run.body;
    if body
        .iter()
        .filter(|&&i| blocks[i].kind == Kind::Paragraph)
        .count()
        < 2
    {
        return Vec::new();
    }
    // How many blocks on each side hold each gram; sizes and shared grams kept up to date.
    let mut left: FxHashMap<u64, u32> = FxHashMap::default();
    let mut right: FxHashMap<u64, u32> = FxHashMap::default();
    for &i in body {
        for &g in &all_grams[i].0 {
            *right.entry(g).or_default() += 1;
        }
    }
    let (mut nl, mut nr, mut shared) = (0usize, right.len(), 0usize);
    let place_at: Vec<bool> = body
        .iter()
        .map(|&i| {
            byplace
                .as_ref()
                .is_some_and(|p| blocks[i].text.contains(p.as_str()))
        })
        .collect();
    let mut out = Vec::new();
    for cut in 1..body.len() {
        for &g in &all_grams[body[cut - 1]].0 {
            let l = left.entry(g).or_default();
            let r = right.get_mut(&g).expect("counted");
            let was = *l > 0 && *r > 0;
            if *l == 0 {
                nl += 1;
            }
            *l += 1;
            *r -= 1;
            if *r == 0 {
                nr -= 1;
            }
            let is = *l > 0 && *r > 0;
            shared = shared + usize::from(is) - usize::from(was);
        }
        if blocks[body[cut - 1]].cues.ends_mid || blocks[body[cut]].kind != Kind::Paragraph {
            continue;
        }
        let small = nl.min(nr);
        let coh = if small == 0 {
            0.0
        } else {
            shared as f64 / small as f64
        };
        if coh > max_cohesion {
            continue;
        }
        let n = title.0.len().max(1) as f64;
        let left_affinity = title
            .0
            .iter()
            .filter(|g| left.get(g).is_some_and(|&c| c > 0))
            .count() as f64
            / n;
        let right_affinity = title
            .0
            .iter()
            .filter(|g| right.get(g).is_some_and(|&c| c > 0))
            .count() as f64
            / n;
        let byline_right =
            place_at[cut..].iter().any(|&b| b) && !place_at[..cut].iter().any(|&b| b);
        out.push(SplitPoint {
            at: cut,
            cohesion: coh,
            byline_right,
            left_affinity,
            right_affinity,
        });
    }
    out
}

/// A story that opens with a dateline naming its reporter carries no byline (where the grammar
/// says its datelines do, `dateline_names_reporter`). Bylines printed right after it (not photo
/// credits) lead the next run when that run has none of its own, else stand alone for the
/// assignment; bylines printed over it (under a title printed after its own body) close the run
/// before when that run has none. A byline after it with a title, not a body, right after the
/// byline leads nothing (a lead byline stands under its title): the dated story ran on into
/// another story whose byline it is, and the run is cut where the words change most (ST004).
pub(super) fn bylines_past_datelines(
    ctx: &Ctx,
    mut runs: Vec<Run>,
    fixes: &mut Vec<Fix>,
) -> Vec<Run> {
    if ctx.grammar.setting("dateline_names_reporter", 0.0) < 0.5 {
        return runs;
    }
    let blocks = ctx.blocks;
    // Bylines moved on to the next run: not moved back.
    let mut moved: Vec<usize> = Vec::new();
    let mut r = 0;
    while r < runs.len() {
        let run = &runs[r];
        let Some(&first) = run.body.first() else {
            r += 1;
            continue;
        };
        if !dateline_names_reporter(&blocks[first].text, ctx.grammar) {
            r += 1;
            continue;
        }
        let names = |b: &usize| !ctx.block_is(PatternKind::Credit, *b) && !moved.contains(b);
        let over: Vec<usize> = run
            .bylines
            .iter()
            .copied()
            .filter(|&b| b < first)
            .filter(names)
            .collect();
        // Not onto a story that names its reporter in its dateline too.
        let before_dated = r > 0
            && runs[r - 1]
                .body
                .first()
                .is_some_and(|&b| dateline_names_reporter(&blocks[b].text, ctx.grammar));
        if !over.is_empty()
            && r > 0
            && !before_dated
            && runs[r - 1].bylines.is_empty()
            && !runs[r - 1].body.is_empty()
        {
            runs[r].bylines.retain(|b| !over.contains(b));
            runs[r].lead_byline = runs[r].bylines.iter().any(|&b| b < first);
            runs[r - 1].bylines = over;
        }
        let run = &runs[r];
        let after: Vec<usize> = run
            .bylines
            .iter()
            .copied()
            .filter(|&b| b > first)
            .filter(names)
            .collect();
        if after.is_empty() || run.lead_byline || r + 1 >= runs.len() {
            r += 1;
            continue;
        }
        let last = *after.iter().max().expect("a byline");
        let title_next = blocks
            .get(last + 1)
            .is_some_and(|b| b.kind == Kind::Heading);
        if title_next && ctx.opts.enabled(ST004.code) {
            let max_cohesion = ctx.grammar.setting("split_max_cohesion", 0.12);
            if let Some(cut) = least_cohesive_cut(ctx, run, max_cohesion) {
                let right_body = runs[r].body.split_off(cut.at);
                runs[r].bylines.retain(|b| !after.contains(b));
                let span = body_span(blocks, &right_body);
                fixes.push(
                    Fix::decision(&ST004, span, "separate article").because(format!(
                    "a story whose dateline names its reporter ran on into another: the byline \
                     after it stands before a title, not under one; the words change most here \
                     (cohesion {:.2})",
                    cut.cohesion
                )),
                );
                runs.insert(
                    r + 1,
                    Run {
                        body: right_body,
                        bylines: after,
                        ..Run::default()
                    },
                );
                r += 2;
                continue;
            }
        }
        runs[r].bylines.retain(|b| !after.contains(b));
        moved.extend(&after);
        if runs[r + 1].bylines.is_empty() && !runs[r + 1].body.is_empty() {
            runs[r + 1].bylines = after;
            runs[r + 1].lead_byline = true;
        } else {
            // The next run has its own: these stand alone, for the assignment to place.
            runs.insert(
                r + 1,
                Run {
                    bylines: after,
                    ..Run::default()
                },
            );
        }
        r += 1;
    }
    runs
}

/// Does the paragraph open with a dateline that names its reporter in brackets after it
/// (`本报某地3月2日电（记者 张三）`: a `reporter` of the grammar)?
fn dateline_names_reporter(text: &str, grammar: &Grammar) -> bool {
    let cs: Vec<char> = text.chars().take(60).collect();
    let Some(reporter) = grammar.list("reporter") else {
        return false;
    };
    grammar
        .match_ends(PatternKind::Dateline, &cs, 0)
        .into_iter()
        .any(|e| {
            let mut k = e;
            while k < cs.len() && chars::is_space(cs[k]) {
                k += 1;
            }
            if k >= cs.len() || !grammar.in_class("open_quote", cs[k]) {
                return false;
            }
            k += 1;
            while k < cs.len() && chars::is_space(cs[k]) {
                k += 1;
            }
            !reporter.ends_at(&cs, k).is_empty()
        })
}

/// Does the paragraph open with a dateline (新华社某地3月2日电, WASHINGTON, Nov. 15.—)?
pub(super) fn opens_with_dateline(text: &str, grammar: &Grammar) -> bool {
    let cs: Vec<char> = text.chars().take(40).collect();
    !grammar.match_ends(PatternKind::Dateline, &cs, 0).is_empty()
}
