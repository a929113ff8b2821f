//! Step 1: runs of body text, closed by bylines; heading groups become title candidates, or stay
//! section headings inside a run when nothing marks them as titles.

use super::{Cand, Ctx, Run};
use crate::classify::{Block, Kind};
use crate::grammar::PatternKind;

/// What the walk over the blocks found.
pub(super) struct Found {
    pub runs: Vec<Run>,
    pub cands: Vec<Cand>,
    /// Place-only blocks.
    pub places: Vec<usize>,
}

/// Walk the blocks in page order; furniture (and jumps outside any run) goes to `furniture`.
pub(super) fn collect(ctx: &Ctx, furniture: &mut Vec<Block>) -> Found {
    let blocks = ctx.blocks;
    let mut runs: Vec<Run> = Vec::new();
    let mut open: Option<Run> = None;
    let mut cands: Vec<Cand> = Vec::new();
    let mut place_blocks: Vec<usize> = Vec::new();
    let mut pending_lead: Vec<usize> = Vec::new();
    let mut last_closed_by_byline = false;
    let next_kind = |i: usize| blocks.get(i + 1).map(|b| b.kind);
    for (i, b) in blocks.iter().enumerate() {
        match b.kind {
            Kind::Paragraph | Kind::Caption | Kind::Noise => {
                let r = open.get_or_insert_with(|| new_run(&mut pending_lead));
                r.body.push(i);
                last_closed_by_byline = false;
            }
            Kind::Heading => {
                let in_run = open.as_ref().is_some_and(|r| !r.body.is_empty())
                    && next_kind(i) == Some(Kind::Paragraph);
                // Capitals mark a title where no page model read the group; where one did, its
                // title labels say it (old papers set section heads in capitals too).
                let strong = b.cues.undoubled
                    || b.cues.labels.iter().any(|l| l.title())
                    || (b.cues.capitals && b.cues.labels.is_empty())
                    || !crate::places::title_place_options(
                        ctx.page,
                        ctx.applied,
                        b.title_pieces(),
                        ctx.grammar,
                        Default::default(),
                    )
                    .is_empty();
                let before_byline = next_kind(i) == Some(Kind::Byline);
                if in_run && !strong && !before_byline {
                    open.as_mut().unwrap().body.push(i);
                    continue;
                }
                // A group the page model read as a section heading, just under a title (only
                // bylines between) and over a paragraph, opens that title's body.
                let under_title = open.is_none()
                    && cands
                        .last()
                        .is_some_and(|c| (c.block + 1..i).all(|k| blocks[k].kind == Kind::Byline));
                if under_title
                    && !strong
                    && b.section_only()
                    && next_kind(i) == Some(Kind::Paragraph)
                {
                    let mut r = new_run(&mut pending_lead);
                    r.body.push(i);
                    open = Some(r);
                    last_closed_by_byline = false;
                    continue;
                }
                if let Some(r) = open.take() {
                    runs.push(r);
                }
                let mut cand = Cand::new(i, &b.text, !strong && !before_byline);
                cand.after_byline_of =
                    (i > 0 && blocks[i - 1].kind == Kind::Byline && last_closed_by_byline)
                        .then(|| runs.len().wrapping_sub(1));
                cand.after_body_of =
                    (i > 0 && blocks[i - 1].kind == Kind::Paragraph && !runs.is_empty())
                        .then(|| runs.len() - 1);
                cands.push(cand);
                last_closed_by_byline = false;
            }
            Kind::Byline => {
                if let Some(mut r) = open.take() {
                    r.bylines.push(i);
                    runs.push(r);
                    last_closed_by_byline = true;
                } else if last_closed_by_byline
                    && i > 0
                    && blocks[i - 1].kind == Kind::Byline
                    && !second_byline(ctx, i - 1, i)
                {
                    runs.last_mut().unwrap().bylines.push(i);
                } else {
                    pending_lead.push(i);
                }
            }
            Kind::Place => place_blocks.push(i),
            Kind::Jump => match open.as_mut().or(runs.last_mut()) {
                Some(r) => r.jumps.push(i),
                None => furniture.push(b.clone()),
            },
            Kind::Furniture => furniture.push(b.clone()),
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
    Found {
        runs,
        cands,
        places: place_blocks,
    }
}

/// A run opening with the bylines waiting for a body (printed under its title), if any.
fn new_run(pending_lead: &mut Vec<usize>) -> Run {
    let mut r = Run::default();
    if !pending_lead.is_empty() {
        r.bylines = std::mem::take(pending_lead);
        r.lead_byline = true;
    }
    r
}

/// Is byline block `b`, right after byline block `a`, a byline of its own (the next article's
/// lead byline) rather than the rest of `a`? `b` is a whole byline with names (`本报记者 张三`)
/// and no photo credit (which goes with the byline above it), and `a` a whole byline too or a
/// line of names alone (`李四`, not the wrapped tail of a byline line above it).
fn second_byline(ctx: &Ctx, a: usize, b: usize) -> bool {
    let whole =
        |i: usize| ctx.blocks[i].text.chars().count() > 4 && ctx.block_is(PatternKind::Byline, i);
    // A line of names under another byline line is that byline's wrapped tail.
    let names_alone =
        ctx.block_is(PatternKind::Author, a) && !(a > 0 && ctx.blocks[a - 1].kind == Kind::Byline);
    (whole(a) || names_alone) && whole(b) && !ctx.block_is(PatternKind::Credit, b)
}
