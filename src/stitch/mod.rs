//! Stage 4 — blocks into articles, solved as an assignment.
//!
//! Contract: [`articles`] places every block of the page in exactly one article (or in the
//! page's furniture). Bylines close bodies; titles, subtitles and place tags are attached to
//! bodies by a score with fitted weights (`grammars/assembly-*.weights`) over adjacency (a title
//! just before a body, or just after its byline),
//! place cues (a tag naming the place a byline or body names) and lexical affinity (character
//! bigram overlap between a title and a body), maximised over the whole page with the Hungarian
//! algorithm. Heading groups inside a body stay section headings. A body of two articles run
//! together is split where an unclaimed title fits one part and the parts share few words.
//! Every move is recorded as a fix with its score and the cue that decided it.

//!
//! The steps, in order (one file each):
//! - [`runs`]: runs of body text closed by bylines; heading groups become title candidates;
//! - [`split`]: a run holding two articles is cut (at a section title whose two sides share few
//!   words, between a lead byline and a closing one, or where an unclaimed title fits one part);
//! - [`assign`]: each candidate's position and place cues, its features against every run, the
//!   assignment under the fitted [`weights`], the articles;
//! - [`fields`]: a title group split into place, kicker, title and subtitle;
//! - [`places`]: place tags printed alone, attached to the article naming them; inferred places;
//! - [`readback`]: galley's own text output, whose markup says what each block is.

mod assign;
mod fields;
mod hungarian;
mod places;
mod readback;
mod runs;
mod split;
pub mod weights;

pub use weights::Weights;

use std::ops::Range;

use crate::classify::{Block, Classified, Kind};
use crate::fix::{Applied, Fix};
use crate::grammar::Grammar;
use crate::grams::{grams, Grams};
use crate::places::TagSearch;
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

    pub(crate) fn first_pos(&self) -> usize {
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
    /// Its place tag, confirmed by the page.
    tag: Option<Tag>,
    text: String,
    grams: Grams,
}

impl Cand {
    /// A candidate at block `block` with text `text`, its position not yet located.
    fn new(block: usize, text: &str, may_be_heading: bool) -> Cand {
        Cand {
            block,
            next_run: None,
            after_byline_of: None,
            after_body_of: None,
            may_be_heading,
            through: 0,
            tag: None,
            text: text.to_owned(),
            grams: Grams::default(),
        }
    }
}

/// A title's place tag: the place, its span and the title's span in the page.
#[derive(Debug, Clone)]
struct Tag {
    place: String,
    span: Range<usize>,
    title: Range<usize>,
}

/// A run of body text and the bylines and jump lines that belong to it.
#[derive(Debug, Clone, Default)]
struct Run {
    body: Vec<usize>,
    bylines: Vec<usize>,
    jumps: Vec<usize>,
    lead_byline: bool,
}

/// What every step reads: the classified page and the grams of its paragraphs.
struct Ctx<'a> {
    page: &'a Page,
    applied: &'a Applied,
    blocks: &'a [Block],
    grammar: &'a Grammar,
    opts: &'a Options,
    /// Grams of every paragraph (empty for other blocks), computed once for all the scores.
    grams: Vec<Grams>,
    /// Where title place tags are looked for on this page.
    tags: TagSearch,
}

impl Ctx<'_> {
    /// Does a pattern of `kind` match the whole text of block `i`?
    fn block_is(&self, kind: crate::grammar::PatternKind, i: usize) -> bool {
        let cs: Vec<char> = self.blocks[i].text.chars().collect();
        self.grammar.matches(kind, &cs)
    }

    /// The text of some blocks, concatenated.
    fn text_of(&self, blocks: &[usize]) -> String {
        blocks
            .iter()
            .map(|&i| self.blocks[i].text.as_str())
            .collect()
    }

    /// The union of the grams of a run's body.
    fn run_grams(&self, run: &Run) -> Grams {
        Grams::union(run.body.iter().map(|&i| &self.grams[i]))
    }
}

/// Everything the assignment needs: the runs (cut where they hold two articles), the title
/// candidates located against them with their place cues, the runs' features.
struct Board {
    runs: Vec<Run>,
    cands: Vec<Cand>,
    feats: assign::RunFeatures,
    /// Place-only blocks.
    places: Vec<usize>,
    /// ST004 fixes of runs cut between a lead byline and a closing one.
    byline_fixes: Vec<Fix>,
}

impl<'a> Ctx<'a> {
    fn new(page: &'a Page, c: &'a Classified, grammar: &'a Grammar, opts: &'a Options) -> Ctx<'a> {
        Ctx {
            page,
            applied: &c.applied,
            blocks: &c.blocks,
            grammar,
            opts,
            grams: c
                .blocks
                .iter()
                .map(|b| {
                    if b.kind == Kind::Paragraph {
                        grams(&b.text)
                    } else {
                        Grams::default()
                    }
                })
                .collect(),
            tags: TagSearch {
                last_line: true,
                glued_start: glues_tags(page, c, grammar),
            },
        }
    }
}

/// Does the page glue its place tags to their titles? On a CJK page where no title group sets a
/// tag apart by a space, a tag printed beside a title may come out glued to its start.
fn glues_tags(page: &Page, c: &Classified, grammar: &Grammar) -> bool {
    c.cjk
        && grammar.list("place").is_some()
        && !c.blocks.iter().any(|b| {
            b.kind == Kind::Heading
                && b.title_pieces().first().is_some_and(|p| {
                    crate::places::space_tag(page, &c.applied, p, grammar, 4).is_some()
                })
        })
}

/// Steps 1 and 2: runs and candidates, runs cut, candidates located, features computed.
fn board(ctx: &Ctx, furniture: &mut Vec<Block>) -> Board {
    let found = runs::collect(ctx, furniture);
    let mut cands = found.cands;
    let runs = split::at_section_titles(ctx, found.runs, &mut cands);
    let mut byline_fixes = Vec::new();
    let runs = split::at_lead_bylines(ctx, runs, &mut byline_fixes);
    let runs = split::at_datelines(ctx, runs, &mut byline_fixes);
    let runs = split::bylines_past_datelines(ctx, runs, &mut byline_fixes);
    let runs = split::captions_at_credits(ctx, runs, &mut byline_fixes);
    let runs: Vec<Run> = runs
        .into_iter()
        .filter(|r| !r.body.is_empty() || !r.bylines.is_empty())
        .collect();
    cands.sort_by_key(|c| c.block);
    assign::locate(ctx, &runs, &mut cands);
    let feats = assign::RunFeatures::new(ctx, &runs);
    assign::title_places(ctx, &runs, &feats, &mut cands);
    Board {
        runs,
        cands,
        feats,
        places: found.places,
        byline_fixes,
    }
}

/// Assemble the articles of a classified page.
pub fn articles(page: &Page, c: &Classified, grammar: &Grammar, opts: &Options) -> Stitched {
    if c.galley {
        return readback::articles(&c.blocks);
    }
    let ctx = Ctx::new(page, c, grammar, opts);
    let w = weights::for_page(grammar, c.cjk, c.modelled);
    let mut st = Stitched::default();
    let Board {
        mut runs,
        cands,
        mut feats,
        places,
        byline_fixes,
    } = board(&ctx, &mut st.furniture);
    let mut assigned = assign::assign(&ctx, &w, &cands, &feats);
    let mut fixes =
        split::for_unassigned_titles(&ctx, &cands, &mut assigned, &mut runs, &mut feats);
    fixes.extend(byline_fixes);
    let mut arts = assign::build(&ctx, &w, &runs, &cands, &assigned, &feats, &mut fixes);
    let uses_tags = !places.is_empty() || arts.iter().any(|a| a.place.is_some());
    places::attach_tags(&ctx, &places, &mut arts, &mut fixes);
    places::infer(&ctx, &mut arts, uses_tags);
    // Articles go in reading order: the order of their first blocks on the page, which is
    // page order except where two columns were read one after the other (CO001).
    arts.sort_by_cached_key(|a| {
        let pos = a.first_pos();
        let read = ctx.blocks.iter().position(|b| {
            b.pieces
                .iter()
                .any(|p| p.start <= pos && pos < p.end.max(p.start + 1))
        });
        (read.unwrap_or(usize::MAX), pos)
    });
    for (i, a) in arts.iter_mut().enumerate() {
        a.id = i + 1;
    }
    st.articles = arts;
    st.fixes = fixes;
    st
}

/// The assignment problem of a page as data, for fitting the assembly weights: the candidates'
/// texts, each run's paragraph texts, and the feature vector of every allowed pair.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Text of each title candidate.
    pub cands: Vec<String>,
    /// Paragraph texts of each run.
    pub runs: Vec<Vec<String>>,
    /// `pairs[c][r]`: the features of candidate `c` against run `r`, `None` if not allowed.
    pub pairs: Vec<Vec<Option<weights::Vector>>>,
    /// The score below which a candidate stays unassigned (the grammar's `min_title_score`).
    pub floor: f64,
}

/// The assignment problem of a classified page (`None` for galley's own text).
pub fn problem(page: &Page, c: &Classified, grammar: &Grammar, opts: &Options) -> Option<Problem> {
    if c.galley {
        return None;
    }
    let ctx = Ctx::new(page, c, grammar, opts);
    let b = board(&ctx, &mut Vec::new());
    Some(Problem {
        cands: b.cands.iter().map(|c| c.text.clone()).collect(),
        runs: b
            .runs
            .iter()
            .map(|r| {
                r.body
                    .iter()
                    .filter(|&&i| c.blocks[i].kind == Kind::Paragraph)
                    .map(|&i| c.blocks[i].text.clone())
                    .collect()
            })
            .collect(),
        pairs: assign::pair_features(&ctx, &b.cands, &b.feats),
        floor: grammar.setting("min_title_score", 0.6),
    })
}

/// Solve an assignment problem with weights `w`: the run of each candidate.
pub fn solve(p: &Problem, w: &Weights) -> Vec<Option<usize>> {
    assign::solve(&p.pairs, w, p.floor)
}
