//! Place tags beside titles: a known place of the grammar set before a title (apart by a space)
//! or after it (glued, or apart by a space). Used by `classify` (a heading cue and a page-model
//! feature) and by `stitch` (the tag field of an article); it sits below both stages.

use std::ops::Range;

use crate::fix::Applied;
use crate::grammar::Grammar;
use crate::parse::chars;
use crate::source::Page;

/// A place tag at the start (followed by a space) or at the end (glued, the rest title-like) of
/// a title line: (place, title) as byte ranges of `text`.
pub fn place_split(
    text: &str,
    grammar: &Grammar,
    confirmed: &dyn Fn(&str) -> bool,
) -> Option<(Range<usize>, Range<usize>)> {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    if cs.len() < 4 {
        return None;
    }
    let list = grammar.list("place")?;
    let plain: Vec<char> = cs.iter().map(|c| c.1).collect();
    // Prefix followed by a space.
    for end in list.ends_at(&plain, 0) {
        if end < plain.len() && chars::is_space(plain[end]) {
            let mut t = end;
            while t < plain.len() && chars::is_space(plain[t]) {
                t += 1;
            }
            if plain.len() - t >= 4 {
                return Some((0..cs[end].0, cs[t].0..text.len()));
            }
        }
    }
    // Suffix glued to the title, or after a space: only on a line without sentence punctuation,
    // since a body line may end with a place name (地处祁连).
    if has_clause_punct(text, grammar) {
        return None;
    }
    let found = glued_suffix(
        &plain,
        grammar,
        &Glued {
            max_place: 6,
            min_title: 4,
            min_place: 1,
            after_space: true,
        },
        confirmed,
    )?;
    let mut t = found;
    while t > 0 && chars::is_space(plain[t - 1]) {
        t -= 1;
    }
    Some((cs[found].0..text.len(), 0..cs[t].0))
}

/// How a place glued to the end of a title is searched for.
pub struct Glued {
    /// Longest place, in characters.
    pub max_place: usize,
    /// Fewest title characters before it.
    pub min_title: usize,
    /// Fewest place characters.
    pub min_place: usize,
    /// The place may also stand after a space (`老街区焕发新活力 江北`).
    pub after_space: bool,
}

/// The char index where a known place ends `plain`, glued to a Han character of the title (or
/// after a space, with `after_space`), shortest place first, confirmed by `confirmed`.
pub fn glued_suffix(
    plain: &[char],
    grammar: &Grammar,
    rule: &Glued,
    confirmed: &dyn Fn(&str) -> bool,
) -> Option<usize> {
    let list = grammar.list("place")?;
    let n = plain.len();
    for start in (n.saturating_sub(rule.max_place)..n.saturating_sub(rule.min_place - 1)).rev() {
        if start < rule.min_title {
            break;
        }
        let before = plain[start - 1];
        let joined = chars::is_han(before) || (rule.after_space && chars::is_space(before));
        if !joined || !list.ends_at(plain, start).contains(&n) {
            continue;
        }
        let place: String = plain[start..].iter().collect();
        if confirmed(&place) {
            return Some(start);
        }
    }
    None
}

/// Does the text hold clause punctuation (a pause, a stop or a colon)? A title does not, and a
/// body line that ends with a place name does (`地处祁连`).
fn has_clause_punct(text: &str, grammar: &Grammar) -> bool {
    text.chars().any(|c| {
        grammar.in_class("pause", c) || grammar.in_class("stop", c) || grammar.in_class("colon", c)
    })
}

/// The space-separated tokens of the page text `raw` starting at byte `at`, as page spans.
pub fn tokens(raw: &str, at: usize) -> Vec<Range<usize>> {
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
pub fn space_tag(
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

/// Where a title's place tag is looked for besides its first line's spaced tag and glued end.
#[derive(Debug, Clone, Copy, Default)]
pub struct TagSearch {
    /// Glued to the end of the last line of a title of several lines (`<title>` /
    /// `<title><place>`). Titles end in place names too: the caller confirms the place.
    pub last_line: bool,
    /// Glued to the start of the first line (`<place><title>`), on a page that sets no tag
    /// apart by a space (an extractor that drops the gap between a tag box and its title).
    /// Titles start with place names too: the caller confirms the place.
    pub glued_start: bool,
}

/// Every place tag of a title group, most likely first: on its first line, set apart by a space
/// or glued to the end of a one-token line; elsewhere as `search` allows. (place span, title
/// span) in the page. A caller that confirms tags takes the first it confirms.
pub fn title_place_options(
    page: &Page,
    applied: &Applied,
    pieces: &[Range<usize>],
    grammar: &Grammar,
    search: TagSearch,
) -> Vec<(Range<usize>, Range<usize>)> {
    let Some(first) = pieces.first().filter(|_| grammar.list("place").is_some()) else {
        return Vec::new();
    };
    let last = pieces
        .last()
        .filter(|_| search.last_line && pieces.len() > 1);
    [
        space_tag(page, applied, first, grammar, 4),
        glued_tag(page, applied, first, grammar),
        last.and_then(|l| glued_tag(page, applied, l, grammar)),
        search
            .glued_start
            .then(|| glued_prefix(page, applied, first, grammar))
            .flatten(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A place of two to four characters glued to the start of title line `p`, before a Han
/// character or an opening quote and at least four characters of title: only where the line has
/// no fixes inside and is one token.
fn glued_prefix(
    page: &Page,
    applied: &Applied,
    p: &Range<usize>,
    grammar: &Grammar,
) -> Option<(Range<usize>, Range<usize>)> {
    let raw = &page.text[p.clone()];
    if applied.slice(p.clone()) != raw || tokens(raw, p.start).len() != 1 {
        return None;
    }
    let cs: Vec<(usize, char)> = raw.char_indices().collect();
    let plain: Vec<char> = cs.iter().map(|c| c.1).collect();
    let list = grammar.list("place")?;
    let end = list
        .ends_at(&plain, 0)
        .into_iter()
        .filter(|&e| (2..=4).contains(&e) && plain.len() - e >= 4)
        .rfind(|&e| chars::is_han(plain[e]) || grammar.in_class("open_quote", plain[e]))?;
    Some((p.start..p.start + cs[end].0, p.start + cs[end].0..p.end))
}

/// A place glued to the end of title line `p`, after at least five characters of title: only
/// where the line has no fixes inside, is one token and holds no clause punctuation.
fn glued_tag(
    page: &Page,
    applied: &Applied,
    p: &Range<usize>,
    grammar: &Grammar,
) -> Option<(Range<usize>, Range<usize>)> {
    let raw = &page.text[p.clone()];
    let text = applied.slice(p.clone());
    if text != raw || tokens(raw, p.start).len() != 1 || has_clause_punct(text, grammar) {
        return None;
    }
    let cs: Vec<(usize, char)> = raw.char_indices().collect();
    let plain: Vec<char> = cs.iter().map(|c| c.1).collect();
    let rule = Glued {
        max_place: 4,
        min_title: 5,
        min_place: 2,
        after_space: false,
    };
    let start = glued_suffix(&plain, grammar, &rule, &|_| true)?;
    Some((p.start + cs[start].0..p.end, p.start..p.start + cs[start].0))
}
