//! Stage 4 — blocks into articles, solved as an assignment.
//!
//! Contract: [`articles`] places every block of the page in exactly one article (or in the
//! page's furniture). Bylines close bodies; titles, subtitles and place tags are attached to
//! bodies by a score combining adjacency (a title just before a body, or just after its byline),
//! place cues (a tag naming the place a byline or body names) and lexical affinity (character
//! bigram overlap between a title and a body), maximised over the whole page with the Hungarian
//! algorithm. Heading groups inside a body stay section headings. A body of two articles run
//! together is split where an unclaimed title fits one part and the parts share few words.
//! Every move is recorded as a fix with its score and the cue that decided it.

mod hungarian;

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::Range;

use crate::classify::{Block, Classified, Kind};
use crate::fix::{Applied, Fix, ST001, ST002, ST003, ST004};
use crate::grammar::Grammar;
use crate::parse::chars;
use crate::source::Page;
use crate::Options;

/// One reconstructed article.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// 1-based id in output order.
    pub id: usize,
    /// Place tag.
    pub place: Option<Block>,
    /// Kicker.
    pub kicker: Option<Block>,
    /// Title.
    pub title: Option<Block>,
    /// Subtitle or deck.
    pub subtitle: Option<Block>,
    /// Bylines and credits.
    pub bylines: Vec<Block>,
    /// Headings, paragraphs and captions in reading order.
    pub blocks: Vec<Block>,
    /// Jump lines.
    pub jumps: Vec<Block>,
    /// The place when no tag was printed but a byline or the body names it.
    pub inferred_place: Option<String>,
}

impl Article {
    /// The place: the tag, else the inferred one.
    pub fn place_text(&self) -> Option<String> {
        self.place
            .as_ref()
            .map(|b| b.text.clone())
            .or_else(|| self.inferred_place.clone())
    }

    /// The bylines joined.
    pub fn byline_text(&self) -> Option<String> {
        (!self.bylines.is_empty()).then(|| {
            self.bylines
                .iter()
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// Every block of the article, fields first.
    pub fn all_blocks(&self) -> impl Iterator<Item = &Block> {
        self.place
            .iter()
            .chain(self.kicker.iter())
            .chain(self.title.iter())
            .chain(self.subtitle.iter())
            .chain(self.blocks.iter())
            .chain(self.bylines.iter())
            .chain(self.jumps.iter())
    }

    fn first_pos(&self) -> usize {
        self.blocks
            .first()
            .or(self.title.as_ref())
            .or(self.bylines.first())
            .or(self.place.as_ref())
            .and_then(|b| b.pieces.first())
            .map(|p| p.start)
            .unwrap_or(usize::MAX)
    }
}

/// The stitched page.
#[derive(Debug, Default)]
pub struct Stitched {
    /// Articles in reading order.
    pub articles: Vec<Article>,
    /// Page furniture (running heads, page numbers).
    pub furniture: Vec<Block>,
    /// Stitching fixes.
    pub fixes: Vec<Fix>,
}

/// A title candidate: a heading group printed apart from running text.
#[derive(Debug, Clone)]
struct Cand {
    block: usize,
    /// Run just after it (only blanks or bylines between).
    next_run: Option<usize>,
    /// Run whose byline it follows directly.
    after_byline_of: Option<usize>,
    /// Run whose last paragraph it follows directly (no byline).
    after_body_of: Option<usize>,
    /// It could be a section heading opening the next run.
    may_be_heading: bool,
    /// Other heading groups between it and the next run.
    through: usize,
    place: Option<String>,
    text: String,
    grams: Grams,
}

#[derive(Debug, Clone, Default)]
struct Run {
    body: Vec<usize>,
    bylines: Vec<usize>,
    jumps: Vec<usize>,
    lead_byline: bool,
}

/// Assemble the articles of a classified page.
pub fn articles(page: &Page, c: &Classified, grammar: &Grammar, opts: &Options) -> Stitched {
    if c.galley {
        return galley_articles(&c.blocks);
    }
    let blocks = &c.blocks;
    let mut st = Stitched::default();
    // 1. Runs of body text, closed by bylines; heading groups become candidates or headings.
    let mut runs: Vec<Run> = Vec::new();
    let mut open: Option<Run> = None;
    let mut cands: Vec<Cand> = Vec::new();
    let mut places: Vec<usize> = Vec::new();
    let mut pending_lead: Vec<usize> = Vec::new();
    let mut last_closed_by_byline = false;
    let next_kind = |i: usize| blocks.get(i + 1).map(|b| b.kind);
    for (i, b) in blocks.iter().enumerate() {
        match b.kind {
            Kind::Paragraph | Kind::Caption => {
                let r = open.get_or_insert_with(|| {
                    let mut r = Run::default();
                    if !pending_lead.is_empty() {
                        r.bylines = std::mem::take(&mut pending_lead);
                        r.lead_byline = true;
                    }
                    r
                });
                r.body.push(i);
                last_closed_by_byline = false;
            }
            Kind::Heading => {
                let in_run = open.as_ref().is_some_and(|r| !r.body.is_empty())
                    && next_kind(i) == Some(Kind::Paragraph);
                let strong = b.cues.undoubled
                    || b.cues.labels.iter().any(|l| l.title())
                    || b.cues.capitals
                    || title_place(page, &c.applied, b, grammar).is_some();
                let before_byline = next_kind(i) == Some(Kind::Byline);
                if in_run && !strong && !before_byline {
                    open.as_mut().unwrap().body.push(i);
                    continue;
                }
                if let Some(r) = open.take() {
                    runs.push(r);
                }
                let after_byline_of =
                    (i > 0 && blocks[i - 1].kind == Kind::Byline && last_closed_by_byline)
                        .then(|| runs.len().wrapping_sub(1));
                let after_body_of =
                    (i > 0 && blocks[i - 1].kind == Kind::Paragraph && !runs.is_empty())
                        .then(|| runs.len() - 1);
                cands.push(Cand {
                    block: i,
                    next_run: None,
                    after_byline_of,
                    after_body_of,
                    may_be_heading: !strong && !before_byline,
                    through: 0,
                    place: None,
                    text: b.text.clone(),
                    grams: Grams::default(),
                });
                last_closed_by_byline = false;
            }
            Kind::Byline => {
                if let Some(mut r) = open.take() {
                    r.bylines.push(i);
                    runs.push(r);
                    last_closed_by_byline = true;
                } else if last_closed_by_byline && i > 0 && blocks[i - 1].kind == Kind::Byline {
                    runs.last_mut().unwrap().bylines.push(i);
                } else {
                    pending_lead.push(i);
                }
            }
            Kind::Place => places.push(i),
            Kind::Jump => match open.as_mut().or(runs.last_mut()) {
                Some(r) => r.jumps.push(i),
                None => st.furniture.push(b.clone()),
            },
            Kind::Furniture => st.furniture.push(b.clone()),
            Kind::Title | Kind::Kicker | Kind::Subtitle => {}
        }
    }
    if let Some(r) = open.take() {
        runs.push(r);
    }
    if !pending_lead.is_empty() {
        // Bylines with no body after them: an article of their own, nothing dropped.
        runs.push(Run {
            bylines: pending_lead,
            ..Run::default()
        });
    }
    // A section heading between two parts that share few words, or before a paragraph that opens
    // with a dateline, is the title of a new article run on without a byline.
    let min_coh = grammar.setting("min_section_similarity", 0.035);
    // Grams of every paragraph, computed once for all the scores below.
    let block_grams: Vec<Grams> = blocks
        .iter()
        .map(|b| {
            if b.kind == Kind::Paragraph {
                grams(&b.text)
            } else {
                Grams::default()
            }
        })
        .collect();
    let tfidf = std::cell::OnceCell::new();
    let tfidf = || {
        tfidf.get_or_init(|| {
            Tfidf::new(
                blocks
                    .iter()
                    .zip(&block_grams)
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
            let before: String = run.body[last_cut..k]
                .iter()
                .map(|&i| blocks[i].text.as_str())
                .collect();
            let after: String = run.body[k + 1..next_head]
                .iter()
                .map(|&i| blocks[i].text.as_str())
                .collect();
            if before.is_empty() || after.is_empty() {
                continue;
            }
            let dated = run
                .body
                .get(k + 1)
                .is_some_and(|&i| opens_with_dateline(&blocks[i].text, grammar));
            let coh = tfidf().cosine(&before, &after);
            if dated || coh < min_coh {
                cur.body.extend(&run.body[last_cut..k]);
                split_runs.push(std::mem::take(&mut cur));
                let h = run.body[k];
                cands.push(Cand {
                    block: h,
                    next_run: None,
                    after_byline_of: None,
                    after_body_of: None,
                    may_be_heading: false,
                    through: 0,
                    place: None,
                    text: blocks[h].text.clone(),
                    grams: Grams::default(),
                });
                last_cut = k + 1;
            }
        }
        cur.body.extend(&run.body[last_cut..]);
        if !run.lead_byline {
            cur.bylines = run.bylines.clone();
        }
        cur.jumps = run.jumps.clone();
        split_runs.push(cur);
    }
    // A run with a byline under its title and another after its text holds two articles: the
    // first ran on into the second, which has no title before it. Cut where the words change most.
    let mut byline_fixes = Vec::new();
    if opts.enabled(ST004.code) {
        let mut out = Vec::with_capacity(split_runs.len());
        for run in split_runs {
            let (Some(&first), Some(&last)) = (run.body.first(), run.body.last()) else {
                out.push(run);
                continue;
            };
            let lead: Vec<usize> = run.bylines.iter().copied().filter(|&b| b < first).collect();
            let closing: Vec<usize> = run.bylines.iter().copied().filter(|&b| b > last).collect();
            let is_credit = |i: usize| {
                let cs: Vec<char> = blocks[i].text.chars().collect();
                grammar.matches(crate::grammar::PatternKind::Credit, &cs)
            };
            if !run.lead_byline
                || lead.is_empty()
                || closing.is_empty()
                || closing.iter().any(|&i| is_credit(i))
            {
                out.push(run);
                continue;
            }
            let best = split_points(
                &run,
                blocks,
                &block_grams,
                &None,
                f64::INFINITY,
                &Grams::default(),
            )
            .into_iter()
            .min_by(|x, y| x.cohesion.total_cmp(&y.cohesion));
            let Some(cut) = best else {
                out.push(run);
                continue;
            };
            let right_body = run.body[cut.at..].to_vec();
            let span = blocks[right_body[0]].pieces[0].start
                ..blocks[*right_body.last().unwrap()]
                    .pieces
                    .last()
                    .unwrap()
                    .end;
            byline_fixes.push(Fix::decision(&ST004, span, "separate article").because(format!(
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
        split_runs = out;
    }
    let mut runs: Vec<Run> = split_runs
        .into_iter()
        .filter(|r| !r.body.is_empty() || !r.bylines.is_empty())
        .collect();
    cands.sort_by_key(|c| c.block);
    // What each candidate follows: a run's byline or its last paragraph.
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
    // Which run follows each candidate.
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
    // 2. Features.
    let mut run_text: Vec<String> = runs
        .iter()
        .map(|r| {
            r.body
                .iter()
                .map(|&i| blocks[i].text.as_str())
                .collect::<Vec<_>>()
                .join("")
        })
        .collect();
    let union = |run: &Run| -> Grams { Grams::union(run.body.iter().map(|&i| &block_grams[i])) };
    let mut run_grams: Vec<Grams> = runs.iter().map(union).collect();
    let mut run_byplace: Vec<Option<String>> = runs
        .iter()
        .map(|r| {
            r.bylines
                .iter()
                .find_map(|&b| grammar.leading_place(&blocks[b].text))
        })
        .collect();
    let page_text: String = run_text.join("")
        + &runs
            .iter()
            .flat_map(|r| r.bylines.iter())
            .map(|&b| blocks[b].text.as_str())
            .collect::<String>();
    let byline_places: Vec<String> = blocks
        .iter()
        .filter(|b| b.kind == Kind::Byline)
        .filter_map(|b| grammar.leading_place(&b.text))
        .collect();
    for cand in cands.iter_mut() {
        let b = &blocks[cand.block];
        if let Some((p, _)) = title_place(page, &c.applied, b, grammar) {
            let ptext = c.applied.slice(p.clone()).trim().to_owned();
            // A place glued to the end of a title must be confirmed by the page: a byline names
            // it, or the text names it with an administrative suffix of the grammar.
            let spaced = c
                .applied
                .slice(b.pieces[0].clone())
                .contains(|ch: char| chars::is_space(ch));
            let confirmed = spaced
                || byline_places.contains(&ptext)
                || grammar.names_with_suffix(&page_text, &ptext);
            if confirmed {
                cand.place = Some(ptext);
            }
        }
        cand.grams = grams(&cand.text);
    }
    // 3. Score and assign.
    let min_score = grammar.setting("min_title_score", 0.6);
    let score = |cand: &Cand,
                 r: usize,
                 run_text: &[String],
                 run_grams: &[Grams],
                 run_byplace: &[Option<String>]|
     -> (f64, String) {
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
        if blocks[cand.block].cues.group >= 2 {
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
            if run_byplace[r].as_deref() == Some(p.as_str()) {
                s += 2.5;
                why.push(format!("place `{p}` matches the byline"));
            } else if run_text[r].contains(p.as_str()) {
                s += 1.5;
                why.push(format!("place `{p}` named in the body"));
            } else if run_byplace[r].is_some() {
                s -= 1.0;
            }
        }
        let aff = affinity(&cand.grams, &run_grams[r]);
        s += 6.0 * aff;
        why.push(format!("affinity {aff:.2}"));
        (s, why.join(", "))
    };
    // With ST001 off a title stays where it is printed: it only goes to the body just after it.
    let moves = opts.enabled(ST001.code);
    let matrix: Vec<Vec<f64>> = cands
        .iter()
        .map(|cd| {
            (0..runs.len())
                .map(|r| {
                    if moves || cd.next_run == Some(r) {
                        score(cd, r, &run_text, &run_grams, &run_byplace).0
                    } else {
                        f64::MIN
                    }
                })
                .collect()
        })
        .collect();
    let mut assigned = hungarian::assign(&matrix, min_score);
    // A candidate that could be a section heading opening its run does not beat a real title:
    // assignment already preferred the better one; a leftover becomes the heading.
    // 4. Split runs for unassigned titles.
    let split_max = grammar.setting("split_max_cohesion", 0.12);
    let mut split_fixes = Vec::new();
    for ci in 0..cands.len() {
        if assigned[ci].is_some() || cands[ci].may_be_heading || !opts.enabled(ST004.code) {
            continue;
        }
        let mut best: Option<(f64, usize, usize)> = None; // (gain, run, cut)
        for (r, run) in runs.iter().enumerate() {
            for cut in split_points(
                run,
                blocks,
                &block_grams,
                &run_byplace[r],
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
                if al >= 0.15 && best.is_none_or(|b| gain > b.0) {
                    best = Some((gain, r, cut.at));
                }
            }
        }
        if let Some((gain, r, cut)) = best {
            let left: Vec<usize> = runs[r].body.drain(..cut).collect();
            let new = Run {
                body: left,
                ..Run::default()
            };
            runs.push(new);
            let nr = runs.len() - 1;
            for rr in [r, nr] {
                let t: String = runs[rr]
                    .body
                    .iter()
                    .map(|&i| blocks[i].text.as_str())
                    .collect();
                let g = union(&runs[rr]);
                if rr < run_text.len() {
                    run_text[rr] = t;
                    run_grams[rr] = g;
                } else {
                    run_text.push(t);
                    run_grams.push(g);
                    run_byplace.push(None);
                }
            }
            assigned[ci] = Some(nr);
            let first = &blocks[runs[nr].body[0]];
            let last = &blocks[*runs[nr].body.last().unwrap()];
            let span = first.pieces[0].start..last.pieces.last().unwrap().end;
            split_fixes.push(Fix::decision(&ST004, span, "separate article").because(format!(
                "title `{}` fits these paragraphs; they share few words with the rest (gain {gain:.2})",
                cands[ci].text
            )));
        }
    }
    // 5. Build articles.
    let mut arts: Vec<Article> = runs
        .iter()
        .map(|r| Article {
            blocks: r.body.iter().map(|&i| blocks[i].clone()).collect(),
            bylines: r.bylines.iter().map(|&i| blocks[i].clone()).collect(),
            jumps: r.jumps.iter().map(|&i| blocks[i].clone()).collect(),
            ..Article::default()
        })
        .collect();
    let mut fixes = split_fixes;
    fixes.extend(byline_fixes);
    for (ci, cand) in cands.iter().enumerate() {
        let b = &blocks[cand.block];
        match assigned[ci] {
            Some(r) => {
                let (s, why) = score(cand, r, &run_text, &run_grams, &run_byplace);
                let fields = title_fields(
                    page,
                    &c.applied,
                    b,
                    grammar,
                    cand.place.is_some() && opts.enabled(ST002.code),
                );
                let moved = cand.next_run != Some(r);
                if moved {
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
                        arts[r].title.is_some() && arts[r].subtitle.is_none() && r < run_grams.len()
                    })
                    .map(|r| (affinity(&cand.grams, &run_grams[r]), r))
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
                        let fields = title_fields(
                            page,
                            &c.applied,
                            b,
                            grammar,
                            cand.place.is_some() && opts.enabled(ST002.code),
                        );
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
    // 6. Place-only blocks go to the article that names the place.
    let uses_tags = !places.is_empty() || arts.iter().any(|a| a.place.is_some());
    for &pi in &places {
        let p = &blocks[pi];
        let name = p.text.trim();
        let best = arts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.place.is_none())
            .map(|(r, a)| {
                let by = a.byline_text().and_then(|t| grammar.leading_place(&t));
                let text: String = a.blocks.iter().map(|b| b.text.as_str()).collect();
                let mut s = text.matches(name).count().min(5) as f64;
                if by.as_deref() == Some(name) {
                    s += 5.0;
                }
                (s, r)
            })
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        match best {
            Some((s, r)) if s >= 1.0 && opts.enabled(ST002.code) => {
                fixes.push(
                    Fix::decision(
                        &ST002,
                        p.pieces[0].clone(),
                        format!(
                            "place of article with body at line {}",
                            arts[r].blocks.first().map(|x| x.lines(page).0).unwrap_or(0)
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
    // 7. Inferred places, for pages that tag their stories.
    for a in arts.iter_mut() {
        if a.place.is_some() {
            continue;
        }
        if let Some(p) = a.byline_text().and_then(|t| grammar.leading_place(&t)) {
            a.inferred_place = Some(p);
        } else if uses_tags {
            let text: String = a.blocks.iter().map(|b| b.text.as_str()).collect();
            a.inferred_place = most_named_place(&text, grammar);
        }
    }
    arts.sort_by_key(Article::first_pos);
    for (i, a) in arts.iter_mut().enumerate() {
        a.id = i + 1;
    }
    st.articles = arts;
    st.fixes = fixes;
    st
}

/// galley text output: articles are delimited by `---`, fields are marked.
fn galley_articles(blocks: &[Block]) -> Stitched {
    let mut st = Stitched::default();
    let mut cur: Option<Article> = None;
    for b in blocks {
        if b.cues.starts_article {
            st.articles.extend(cur.take());
        }
        if b.kind == Kind::Furniture {
            st.furniture.push(b.clone());
            continue;
        }
        // A field that is already set (or a header after the body) starts a new article.
        let taken = cur.as_ref().is_some_and(|a| match b.kind {
            Kind::Place => a.place.is_some() || !a.blocks.is_empty(),
            Kind::Kicker => a.kicker.is_some() || a.title.is_some() || !a.blocks.is_empty(),
            Kind::Title => a.title.is_some() || !a.blocks.is_empty(),
            Kind::Subtitle => a.subtitle.is_some() || !a.blocks.is_empty(),
            _ => false,
        });
        if taken {
            st.articles.extend(cur.take());
        }
        let a = cur.get_or_insert_with(Article::default);
        match b.kind {
            Kind::Place => a.place = Some(b.clone()),
            Kind::Kicker => a.kicker = Some(b.clone()),
            Kind::Title => a.title = Some(b.clone()),
            Kind::Subtitle => a.subtitle = Some(b.clone()),
            Kind::Byline => a.bylines.push(b.clone()),
            Kind::Jump => a.jumps.push(b.clone()),
            _ => a.blocks.push(b.clone()),
        }
    }
    st.articles.extend(cur);
    for (i, a) in st.articles.iter_mut().enumerate() {
        a.id = i + 1;
    }
    st
}

struct Fields {
    place: Option<Block>,
    kicker: Option<Block>,
    title: Option<Block>,
    subtitle: Option<Block>,
}

fn sub_block(kind: Kind, span: Range<usize>, applied: &Applied) -> Block {
    let mut b = Block {
        kind,
        pieces: vec![span],
        seps: vec![],
        cues: Default::default(),
        text: String::new(),
    };
    b.render(applied);
    b
}

/// Split a title group into place, kicker, title and subtitle.
fn title_fields(
    page: &Page,
    applied: &Applied,
    b: &Block,
    grammar: &Grammar,
    with_place: bool,
) -> Fields {
    use crate::classify::Label;
    // A group whose lines the page model labelled: kicker, title and subtitle lines as labelled.
    let labelled = b.cues.labels.len() == b.pieces.len() && b.cues.labels.iter().any(|l| l.title());
    let last_title = labelled
        .then(|| b.cues.labels.iter().rposition(|l| l.title()))
        .flatten();
    let (place, lines) = group_place(page, applied, b, grammar, with_place, last_title);
    if labelled {
        let field = |kind: Kind, want: &[Label]| {
            let rs: Vec<Range<usize>> = lines
                .iter()
                .filter(|(i, _)| want.contains(&b.cues.labels[*i]))
                .map(|(_, r)| r.clone())
                .collect();
            group_block(b, applied, kind, &rs)
        };
        return Fields {
            place,
            kicker: field(Kind::Kicker, &[Label::Kicker]),
            title: field(Kind::Title, &[Label::Title, Label::TitleMore]),
            // Every other line (a deck, a heading, a line the model left as text).
            subtitle: field(Kind::Subtitle, &Label::ALL[3..]),
        };
    }
    let lines: Vec<Range<usize>> = lines.into_iter().map(|(_, r)| r).collect();
    let dash = |r: &Range<usize>| {
        applied
            .slice(r.clone())
            .trim_start()
            .starts_with(['—', '－', '-'])
    };
    // Latin stacks: the lines in capitals form one headline, the lines after them the deck.
    if !lines.is_empty() && !crate::parse::is_cjk_page(applied.slice(lines[0].clone())) {
        let caps = lines
            .iter()
            .take_while(|r| crate::classify::is_capitals(applied.slice((*r).clone())))
            .count();
        // A headline in title case runs to its first sentence end (`Teutons Repulsed / at Every
        // Point by Al- / lied Soldiers.`), within four lines.
        let caps = if caps > 0 {
            caps
        } else {
            lines
                .iter()
                .take(4)
                .position(|r| {
                    applied
                        .slice(r.clone())
                        .trim_end()
                        .ends_with(['.', '?', '!'])
                })
                .map_or(1, |i| i + 1)
        };
        return Fields {
            place,
            kicker: None,
            title: group_block(b, applied, Kind::Title, &lines[..caps]),
            subtitle: group_block(b, applied, Kind::Subtitle, &lines[caps..]),
        };
    }
    let (kicker, title, subtitle) = match lines.len() {
        0 => (None, None, None),
        1 => (None, Some(lines[0].clone()), None),
        2 if dash(&lines[1]) || !crate::parse::is_cjk_page(applied.slice(lines[0].clone())) => {
            (None, Some(lines[0].clone()), Some(lines[1].clone()))
        }
        2 => (Some(lines[0].clone()), Some(lines[1].clone()), None),
        _ => (
            Some(lines[0].clone()),
            Some(lines[1].clone()),
            Some(lines[2].start..lines.last().unwrap().end),
        ),
    };
    let mk = |k: Kind, r: Option<Range<usize>>| r.map(|r| sub_block(k, r, applied));
    // A subtitle made of several lines keeps each as a piece.
    let subtitle = if lines.len() > 3 {
        let mut s = Block {
            kind: Kind::Subtitle,
            pieces: lines[2..].to_vec(),
            seps: vec![" "; lines.len() - 3],
            cues: Default::default(),
            text: String::new(),
        };
        s.render(applied);
        Some(s)
    } else {
        mk(Kind::Subtitle, subtitle)
    };
    Fields {
        place,
        kicker: mk(Kind::Kicker, kicker),
        title: mk(Kind::Title, title),
        subtitle,
    }
}

/// The place tag of a title group and the group's other lines (piece index, span): a line that
/// is a known place alone, else (with `with_place`) a tag on the first line, else a known place
/// set after the title on the title's last line (`老街区焕发新活力 江北`).
fn group_place(
    page: &Page,
    applied: &Applied,
    b: &Block,
    grammar: &Grammar,
    with_place: bool,
    last_title: Option<usize>,
) -> (Option<Block>, Vec<(usize, Range<usize>)>) {
    let mut lines: Vec<(usize, Range<usize>)> = b.pieces.iter().cloned().enumerate().collect();
    let lone_place = (b.pieces.len() > 1)
        .then(|| {
            b.pieces.iter().position(|p| {
                let t = applied.slice(p.clone()).trim();
                t.chars().count() <= 4 && grammar.is_place(t)
            })
        })
        .flatten();
    if let Some(i) = lone_place {
        let (_, p) = lines.remove(i);
        return (Some(sub_block(Kind::Place, p, applied)), lines);
    }
    let tag = with_place
        .then(|| title_place(page, applied, b, grammar))
        .flatten()
        .or_else(|| {
            // Only a tag after the title: a line's leading token is the title's own word. The
            // title may have begun on earlier lines.
            let k = last_title?;
            let first_title = b.cues.labels.iter().position(|l| l.title()).unwrap_or(k);
            let min_rest = if k == first_title { 4 } else { 1 };
            space_tag(page, applied, &b.pieces[k], grammar, min_rest)
                .filter(|(ps, ts)| ps.start > ts.start)
        });
    if let Some((pspan, tspan)) = tag {
        for (_, p) in &mut lines {
            if p.start <= pspan.start && pspan.end <= p.end {
                *p = tspan.clone();
            }
        }
        return (Some(sub_block(Kind::Place, pspan, applied)), lines);
    }
    (None, lines)
}

/// One field of a title group made of some of its lines, keeping the group's separators between
/// them (a headline broken at a hyphen rejoins closed; a CJK title's lines join without space).
fn group_block(b: &Block, applied: &Applied, kind: Kind, rs: &[Range<usize>]) -> Option<Block> {
    // Pieces keep their starts when a place tag is cut off their end.
    let sep = |r: &Range<usize>| {
        b.pieces
            .iter()
            .position(|p| p.start == r.start)
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| b.seps.get(i).copied())
            .unwrap_or(" ")
    };
    (!rs.is_empty()).then(|| {
        let mut blk = Block {
            kind,
            pieces: rs.to_vec(),
            seps: rs[1..].iter().map(sep).collect(),
            cues: Default::default(),
            text: String::new(),
        };
        blk.render(applied);
        blk
    })
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
fn space_tag(
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
fn title_place(
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

/// Does the paragraph open with a dateline (新华社北京10月20日电, WASHINGTON, Nov. 15.—)?
fn opens_with_dateline(text: &str, grammar: &Grammar) -> bool {
    let cs: Vec<char> = text.chars().take(40).collect();
    !grammar
        .match_ends(crate::grammar::PatternKind::Dateline, &cs, 0)
        .is_empty()
}

/// A set of grams: sorted and deduplicated, so that unions, intersections and TF-IDF are merge
/// walks over vectors rather than hashing (stitching is the hot stage on large pages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grams(Vec<u64>);

impl Grams {
    fn from_vec(mut v: Vec<u64>) -> Grams {
        v.sort_unstable();
        v.dedup();
        Grams(v)
    }

    /// The union of several sets.
    fn union<'a>(sets: impl Iterator<Item = &'a Grams>) -> Grams {
        Grams::from_vec(sets.flat_map(|g| g.0.iter().copied()).collect())
    }

    fn contains(&self, g: u64) -> bool {
        self.0.binary_search(&g).is_ok()
    }

    /// Grams both sets hold.
    pub fn overlap(&self, other: &Grams) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].cmp(&other.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// Number of grams.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No grams?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Character bigrams of Han text and lowercased words of Latin text, hashed.
pub fn grams(text: &str) -> Grams {
    Grams::from_vec(gram_list(text))
}

/// Every gram of `text` in order, repeats included.
fn gram_list(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut prev: Option<char> = None;
    let mut word = String::new();
    for c in text.chars() {
        if chars::is_cjk(c) {
            if let Some(p) = prev {
                out.push(((p as u64) << 32) | c as u64);
            }
            prev = Some(c);
        } else {
            prev = None;
        }
        if chars::is_word_char(c) {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            push_word(&mut out, &mut word);
        }
    }
    push_word(&mut out, &mut word);
    out
}

fn push_word(out: &mut Vec<u64>, word: &mut String) {
    if word.chars().count() >= 4 {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in word.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
        out.push(h | (1 << 63));
    }
    word.clear();
}

/// TF-IDF over the paragraphs of a page: bigrams common to the whole page weigh nothing.
struct Tfidf {
    /// (gram, idf), sorted by gram.
    idf: Vec<(u64, f64)>,
}

/// Sorted (gram, count) pairs of a sorted list with repeats.
fn run_lengths(sorted: &[u64]) -> Vec<(u64, f64)> {
    let mut out: Vec<(u64, f64)> = Vec::new();
    for &g in sorted {
        match out.last_mut() {
            Some((h, n)) if *h == g => *n += 1.0,
            _ => out.push((g, 1.0)),
        }
    }
    out
}

impl Tfidf {
    fn new<'a>(paras: impl Iterator<Item = &'a Grams>) -> Tfidf {
        let mut n = 0.0;
        let mut all = Vec::new();
        for p in paras {
            n += 1.0;
            all.extend_from_slice(&p.0);
        }
        all.sort_unstable();
        let idf = run_lengths(&all)
            .into_iter()
            // ln((n+1)/d), not ln(n/d): on a page of few paragraphs a word shared by all of them
            // is still evidence that two parts belong together.
            .map(|(g, d)| (g, ((n + 1.0) / d).ln()))
            .collect();
        Tfidf { idf }
    }

    /// TF-IDF weights of a text, sorted by gram.
    fn vector(&self, text: &str) -> Vec<(u64, f64)> {
        let mut list = gram_list(text);
        list.sort_unstable();
        let mut tf = run_lengths(&list);
        // Merge walk with the idf table (both sorted).
        let mut j = 0;
        for (g, w) in tf.iter_mut() {
            while j < self.idf.len() && self.idf[j].0 < *g {
                j += 1;
            }
            *w *= if j < self.idf.len() && self.idf[j].0 == *g {
                self.idf[j].1
            } else {
                0.0
            };
        }
        tf
    }

    /// Cosine similarity of two texts.
    fn cosine(&self, a: &str, b: &str) -> f64 {
        let (va, vb) = (self.vector(a), self.vector(b));
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < va.len() && j < vb.len() {
            match va[i].0.cmp(&vb[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += va[i].1 * vb[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let na: f64 = va.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        let nb: f64 = vb.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        if na == 0.0 || nb == 0.0 {
            0.0
        } else {
            dot / (na * nb)
        }
    }
}

/// Share of the title's grams found in the body.
fn affinity(title: &Grams, body: &Grams) -> f64 {
    if title.is_empty() {
        return 0.0;
    }
    title.0.iter().filter(|&&g| body.contains(g)).count() as f64 / title.len() as f64
}
