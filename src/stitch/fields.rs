//! A title group split into its fields: place tag, kicker, title and subtitle (from the page
//! model's line labels when it labelled the group, else from the group's shape).

use std::ops::Range;

use crate::classify::{Block, Kind};
use crate::fix::Applied;
use crate::grammar::Grammar;
use crate::places::space_tag;
use crate::source::Page;

/// The fields of a title group.
pub(super) struct Fields {
    pub place: Option<Block>,
    pub kicker: Option<Block>,
    pub title: Option<Block>,
    pub subtitle: Option<Block>,
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
pub(super) fn title_fields(
    page: &Page,
    applied: &Applied,
    b: &Block,
    grammar: &Grammar,
    tag: Option<(Range<usize>, Range<usize>)>,
) -> Fields {
    use crate::classify::Label;
    // A group whose lines the page model labelled: kicker, title and subtitle lines as labelled.
    let labelled = b.cues.labels.len() == b.pieces.len() && b.cues.labels.iter().any(|l| l.title());
    let last_title = labelled
        .then(|| b.cues.labels.iter().rposition(|l| l.title()))
        .flatten();
    let (place, lines) = group_place(page, applied, b, grammar, tag, last_title);
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
    // A line opening with a dash or a hyphen is a subtitle (`——记…`, `- the deck`).
    let dash = |r: &Range<usize>| {
        applied
            .slice(r.clone())
            .trim_start()
            .starts_with(|c| grammar.in_class("dash", c) || grammar.in_class("hyphen", c))
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
                        .ends_with(|c| grammar.in_class("sentence_end", c))
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
/// is a known place alone, else `tag` (the tag the page confirmed beside the title, see
/// [`crate::places::title_place_options`]), else a known place set after the title on the title's
/// last line (`老街区焕发新活力 江北`).
fn group_place(
    page: &Page,
    applied: &Applied,
    b: &Block,
    grammar: &Grammar,
    tag: Option<(Range<usize>, Range<usize>)>,
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
    let tag = tag.or_else(|| {
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
