//! Titles to bodies, solved as an assignment: where each candidate stands relative to the runs,
//! the place it carries, a score for every (candidate, run) pair, the Hungarian assignment, and
//! the articles built from it (ST001 moves, ST003 subtitles).

use super::{fields, hungarian, Article, Cand, Ctx, Run};
use crate::classify::Kind;
use crate::fix::{Fix, ST001, ST002, ST003};
use crate::grams::{affinity, grams, Grams};
use crate::parse::chars;

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
pub(super) struct RunFeatures {
    pub text: Vec<String>,
    pub grams: Vec<Grams>,
    pub byplace: Vec<Option<String>>,
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
        }
    }

    /// Recompute run `r` after its body changed (a new run has no byline place).
    pub(super) fn refresh(&mut self, ctx: &Ctx, runs: &[Run], r: usize) {
        let t = ctx.text_of(&runs[r].body);
        let g = ctx.run_grams(&runs[r]);
        if r < self.text.len() {
            self.text[r] = t;
            self.grams[r] = g;
        } else {
            self.text.push(t);
            self.grams.push(g);
            self.byplace.push(None);
        }
    }
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
        if let Some((p, _)) =
            crate::places::title_place(ctx.page, ctx.applied, &b.pieces, ctx.grammar)
        {
            let ptext = ctx.applied.slice(p.clone()).trim().to_owned();
            let spaced = ctx
                .applied
                .slice(b.pieces[0].clone())
                .contains(|ch: char| chars::is_space(ch));
            let confirmed = spaced
                || byline_places.contains(&ptext)
                || ctx.grammar.names_with_suffix(&page_text, &ptext);
            if confirmed {
                cand.place = Some(ptext);
            }
        }
        cand.grams = grams(&cand.text);
    }
}

/// How well candidate `cand` fits as the title of run `r`, and why.
fn score(ctx: &Ctx, cand: &Cand, r: usize, feats: &RunFeatures) -> (f64, String) {
    let mut s = 0.0;
    let mut why = Vec::new();
    if cand.next_run == Some(r) {
        // Through another heading group (a title above a section heading) counts a little less.
        s += match cand.through {
            0 => 3.0,
            1 => 2.0,
            2 => 1.0,
            _ => 0.5,
        };
        why.push("printed just before the body".to_owned());
    }
    if ctx.blocks[cand.block].cues.group >= 2 {
        s += 0.5; // a stack (kicker and title) is a title more often than a section heading
    }
    if cand.after_byline_of == Some(r) {
        s += 2.0;
        why.push("printed just after its byline".to_owned());
    } else if cand.after_body_of == Some(r) {
        s += 0.8;
        why.push("printed just after the body".to_owned());
    }
    if let Some(p) = &cand.place {
        if feats.byplace[r].as_deref() == Some(p.as_str()) {
            s += 2.5;
            why.push(format!("place `{p}` matches the byline"));
        } else if feats.text[r].contains(p.as_str()) {
            s += 1.5;
            why.push(format!("place `{p}` named in the body"));
        } else if feats.byplace[r].is_some() {
            s -= 1.0;
        }
    }
    let aff = affinity(&cand.grams, &feats.grams[r]);
    s += 6.0 * aff;
    why.push(format!("affinity {aff:.2}"));
    (s, why.join(", "))
}

/// The run each candidate is the title of, maximising the page's total score. A candidate that
/// could be a section heading opening its run does not beat a real title: the assignment prefers
/// the better one, and a leftover becomes the heading.
pub(super) fn assign(ctx: &Ctx, cands: &[Cand], feats: &RunFeatures) -> Vec<Option<usize>> {
    let min_score = ctx.grammar.setting("min_title_score", 0.6);
    // With ST001 off a title stays where it is printed: it only goes to the body just after it.
    let moves = ctx.opts.enabled(ST001.code);
    let matrix: Vec<Vec<f64>> = cands
        .iter()
        .map(|cd| {
            (0..feats.text.len())
                .map(|r| {
                    if moves || cd.next_run == Some(r) {
                        score(ctx, cd, r, feats).0
                    } else {
                        f64::MIN
                    }
                })
                .collect()
        })
        .collect();
    hungarian::assign(&matrix, min_score)
}

/// The articles: one per run, with its assigned title group split into fields; an unassigned
/// candidate becomes the section heading of the run it opens, a subtitle of the article it fits
/// (ST003), or an article of its own.
pub(super) fn build(
    ctx: &Ctx,
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
        let with_place = cand.place.is_some() && opts.enabled(ST002.code);
        match assigned[ci] {
            Some(r) => {
                let (s, why) = score(ctx, cand, r, feats);
                let fields = fields::title_fields(page, ctx.applied, b, grammar, with_place);
                if cand.next_run != Some(r) {
                    fixes.push(
                        Fix::decision(
                            &ST001,
                            b.pieces[0].start..b.pieces.last().unwrap().end,
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
                // Otherwise a subtitle of the article it fits best, or an article of its own.
                let min_aff = grammar.setting("min_subtitle_affinity", 0.15);
                let best = (0..arts.len())
                    .filter(|&r| {
                        arts[r].title.is_some()
                            && arts[r].subtitle.is_none()
                            && r < feats.grams.len()
                    })
                    .map(|r| (affinity(&cand.grams, &feats.grams[r]), r))
                    .max_by(|x, y| x.0.total_cmp(&y.0));
                match best {
                    Some((aff, r)) if aff >= min_aff && opts.enabled(ST003.code) => {
                        let mut s = b.clone();
                        s.kind = Kind::Subtitle;
                        fixes.push(
                            Fix::decision(
                                &ST003,
                                b.pieces[0].start..b.pieces.last().unwrap().end,
                                "subtitle",
                            )
                            .because(format!("affinity {aff:.2} with the body")),
                        );
                        arts[r].subtitle = Some(s);
                    }
                    _ => {
                        let fields =
                            fields::title_fields(page, ctx.applied, b, grammar, with_place);
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
