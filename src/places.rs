//! Place tags beside titles: a known place of the grammar set before a title (apart by a space)
//! or after it (glued, or apart by a space). Used by `classify` (a heading cue and a page-model
//! feature) and by `stitch` (the tag field of an article); it sits below both stages.

use std::ops::Range;

use crate::grammar::Grammar;
use crate::parse::chars;

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
    if plain.iter().any(|&c| {
        grammar.in_class("pause", c) || grammar.in_class("stop", c) || grammar.in_class("colon", c)
    }) {
        return None;
    }
    for start in (plain.len().saturating_sub(6)..plain.len()).rev() {
        if start < 4 {
            break;
        }
        if list.ends_at(&plain, start).contains(&plain.len()) && chars::is_han(plain[start - 1])
            || {
                list.ends_at(&plain, start).contains(&plain.len())
                    && chars::is_space(plain[start - 1])
            }
        {
            let mut t = start;
            while t > 0 && chars::is_space(plain[t - 1]) {
                t -= 1;
            }
            // The place must not be the tail of a longer word of the title: the title part
            // ends with a Han character that is not itself a place suffix.
            let place: String = plain[start..].iter().collect();
            if !confirmed(&place) {
                continue;
            }
            return Some((cs[start].0..text.len(), 0..cs[t].0));
        }
    }
    None
}
