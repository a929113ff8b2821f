//! Doubled runs: bold headings drawn twice come out with every run doubled.
//!
//! A heading-like line (or each space-separated token of it) whose characters decompose into
//! doubled units `x x` is undoubled. The decomposition is found by dynamic programming and uses
//! as few units as possible, so that a real reduplication inside a unit survives. Decompositions
//! that real language also produces (ABAB 研究研究, AABB 高高兴兴) need evidence: the unit is a
//! known place, or a neighbouring heading line is itself doubled.

use std::ops::Range;

use crate::fix::{Fix, DR001, DR002, DR003};
use crate::grammar::Grammar;
use crate::parse::{chars, End, Markup, Shape};
use crate::source::Page;
use crate::Options;

/// An ellipsis or a dash is written with two marks (`……`, `——`): never a doubled unit.
pub(super) fn two_mark_sign(c: char) -> bool {
    matches!(c, '…' | '—' | '－')
}

/// Decompose `s` into doubled units with the fewest units: returns each unit's (start, len).
pub fn decompose(s: &[char]) -> Option<Vec<(usize, usize)>> {
    let n = s.len();
    if n < 4 || n % 2 == 1 {
        return None;
    }
    const NONE: usize = usize::MAX;
    let mut dp = vec![NONE; n + 1];
    let mut back = vec![0usize; n + 1];
    dp[0] = 0;
    for i in (2..=n).step_by(2) {
        for l in 1..=i / 2 {
            let j = i - 2 * l;
            if dp[j] == NONE || dp[j] + 1 >= dp[i] {
                continue;
            }
            if l == 1 && two_mark_sign(s[j]) {
                continue;
            }
            if s[j..j + l] == s[j + l..i] {
                dp[i] = dp[j] + 1;
                back[i] = l;
            }
        }
    }
    if dp[n] == NONE {
        return None;
    }
    let mut units = Vec::new();
    let mut i = n;
    while i > 0 {
        let l = back[i];
        units.push((i - 2 * l, l));
        i -= 2 * l;
    }
    units.reverse();
    Some(units)
}

/// How sure a decomposition is by its shape alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Several units with at least one longer than a character, or three and more units, or a
    /// long single unit: language does not produce these.
    Strong,
    /// ABAB or AABB with short units: needs evidence.
    Weak,
}

fn strength(units: &[(usize, usize)]) -> Strength {
    let longest = units.iter().map(|u| u.1).max().unwrap_or(0);
    let strong = match units.len() {
        1 => longest >= 3,
        2 => longest >= 2,
        _ => true,
    };
    if strong {
        Strength::Strong
    } else {
        Strength::Weak
    }
}

/// Could this line be a heading that was drawn twice? Body lines never are.
pub(super) fn candidate(s: &Shape, prev: Option<&Shape>, mode: usize, grammar: &Grammar) -> bool {
    if s.blank() || s.chars < 4 {
        return false;
    }
    // A doubled heading is twice as long as the heading; long titles exist (50 characters).
    let max = 4 * grammar.setting("title_max_chars", 40.0) as usize;
    if s.chars > max || matches!(s.end, End::Pause | End::Hyphen | End::Open | End::Colon) {
        return false;
    }
    // A line that continues a full-width body line mid-sentence is body text.
    if let Some(p) = prev {
        let mid_sentence = matches!(p.end, End::Pause | End::Open | End::Hyphen);
        let column_line = p.end == End::Word && p.width + 3 >= mode && p.width <= mode + 4;
        if !p.blank() && p.markup.is_none() && (mid_sentence || column_line) {
            return false;
        }
    }
    true
}

/// A token of a line: its byte span in the page and its characters.
struct Token {
    start: usize,
    /// Byte end in the page of the token's last character (of the edit it came from).
    end: usize,
    chars: Vec<(usize, char)>,
}

fn tokens(page: &Page, s: &Shape) -> Vec<Token> {
    let text = &page.text[s.span.clone()];
    let base = s.span.start;
    tokens_of(
        text.char_indices()
            .map(|(i, c)| (base + i..base + i + c.len_utf8(), c)),
    )
}

/// Tokens of characters that each come from a byte range of the page (a character an edit wrote
/// comes from the edit's whole span).
fn tokens_of(sourced: impl Iterator<Item = (Range<usize>, char)>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut cur: Option<Token> = None;
    for (r, c) in sourced {
        if chars::is_space(c) {
            if let Some(t) = cur.take() {
                out.push(t);
            }
        } else {
            let t = cur.get_or_insert(Token {
                start: r.start,
                end: r.end,
                chars: Vec::new(),
            });
            t.chars.push((r.start, c));
            t.end = r.end;
        }
    }
    out.extend(cur);
    // A letter-spaced run (three or more single characters) reads as one token, as the spacing
    // rule will close it up.
    let mut merged: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < out.len() {
        let mut j = i;
        while j < out.len() && out[j].chars.len() == 1 && chars::is_wide(out[j].chars[0].1) {
            j += 1;
        }
        if j - i >= 3 {
            let (start, end) = (out[i].start, out[j - 1].end);
            let chars = out[i..j]
                .iter()
                .flat_map(|t| t.chars.iter().copied())
                .collect();
            merged.push(Token { start, end, chars });
            i = j;
        } else {
            merged.push(Token {
                start: out[i].start,
                end: out[i].end,
                chars: std::mem::take(&mut out[i].chars),
            });
            i += 1;
        }
    }
    merged
}

/// The page text `start..end` as one token, spaces included, when it decomposes strongly.
fn strongly_doubled(page: &Page, start: usize, end: usize) -> Option<Token> {
    let chars: Vec<(usize, char)> = page.text[start..end]
        .char_indices()
        .map(|(i, c)| (start + i, c))
        .collect();
    let cs: Vec<char> = chars.iter().map(|c| c.1).collect();
    decompose(&cs)
        .is_some_and(|u| strength(&u) == Strength::Strong)
        .then_some(Token { start, end, chars })
}

/// The tokens of a line, where runs of tokens that do not decompose on their own are joined into
/// one token when, spaces included, they do (a title of two phrases drawn twice: `夜市 开市 开市`):
/// a doubled unit may hold the space between two phrases.
fn tokens_or_line(page: &Page, s: &Shape) -> Vec<Token> {
    let toks = tokens(page, s);
    // galley's own lines carry their markup as a token: they were undoubled when written.
    if s.markup.is_some() {
        return toks;
    }
    let decomposes = |t: &Token| {
        let cs: Vec<char> = t.chars.iter().map(|c| c.1).collect();
        decompose(&cs).is_some()
    };
    // The whole line first, when some token does not decompose alone (a unit may hold a space
    // that opens it: `夜市夜市 开市 开市`).
    // The tokens' extent: galley's own markup before them is never part of a unit.
    if toks.len() >= 2 && !toks.iter().all(decomposes) {
        if let Some(t) = strongly_doubled(page, toks[0].start, toks[toks.len() - 1].end) {
            return vec![t];
        }
    }
    let mut out: Vec<Token> = Vec::with_capacity(toks.len());
    let mut run: Vec<Token> = Vec::new();
    let flush = |run: &mut Vec<Token>, out: &mut Vec<Token>| {
        if run.len() >= 2 {
            if let Some(t) = strongly_doubled(page, run[0].start, run[run.len() - 1].end) {
                out.push(t);
                run.clear();
                return;
            }
        }
        out.append(run);
    };
    for t in toks {
        if decomposes(&t) {
            flush(&mut run, &mut out);
            out.push(t);
        } else {
            run.push(t);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Keep the first copy of every unit, and undouble the result again until it no longer
/// decomposes, so that the output is a fixed point.
fn undouble_fully(cs: &[char], units: &[(usize, usize)], grammar: &Grammar) -> String {
    let mut kept: String = units
        .iter()
        .map(|&(a, l)| cs[a..a + l].iter().collect::<String>())
        .collect();
    for _ in 0..32 {
        let cs: Vec<char> = kept.chars().collect();
        match decompose(&cs) {
            Some(u) if strength(&u) == Strength::Strong || place_unit(&cs, &u, grammar) => {
                kept = u
                    .iter()
                    .map(|&(a, l)| cs[a..a + l].iter().collect::<String>())
                    .collect();
            }
            _ => break,
        }
    }
    kept
}

/// A token of Latin letters or marks in one unit, without a space inside: its decomposition
/// alone does not show a line drawn twice. Words repeat their halves (`nennen`,
/// `gründenden` → `gründen|den|den`), leaders repeat their dots (`..........`); a unit holding a
/// space (`NEW BRIDGENEW BRIDGE`) or CJK characters is shape enough.
fn latin_by_shape(cs: &[char]) -> bool {
    !cs.iter().any(|&c| chars::is_wide(c) || chars::is_space(c))
}

/// The undoubled token's letters are a word of the lexicon and the token's are not
/// (`BRIDGEBRIDGE`, `LOWLOW,,`).
fn word_evidence(cs: &[char], units: &[(usize, usize)], grammar: &Grammar) -> bool {
    let letters =
        |s: &mut dyn Iterator<Item = char>| -> String { s.filter(|c| c.is_alphabetic()).collect() };
    let token = letters(&mut cs.iter().copied());
    let kept = letters(&mut undouble_fully(cs, units, grammar).chars());
    !kept.is_empty() && grammar.is_word(&kept) && !grammar.is_word(&token)
}

/// A single doubled unit that is a known place.
fn place_unit(cs: &[char], units: &[(usize, usize)], grammar: &Grammar) -> bool {
    units.len() == 1 && grammar.is_place(&cs[..units[0].1].iter().collect::<String>())
}

/// The second look, after the page is classified: galley text marks titles, headings and fields
/// (`# `, `## `, `@byline `…), and on galley text every token of such a line that decomposes is
/// undoubled. A doubled run can appear only once other repairs ran: letter spacing closed
/// (`A A A A A A` → `AAAAAA`), a digit joined to a character (`3311 日日` → `3311日日`), a
/// byline split off a body line, or a line the first look took for body text becoming a title
/// (`LOWLOW,,`). So that `clean` reaches its fixed point in one run (fixtures/fuzz), the tokens
/// of every marked block (the source pieces of its text, as repaired by `fixes`) are judged here the way the
/// galley-text pass judges them, and a token that decomposes becomes one DR001 edit replacing
/// the edits inside it.
pub fn settle<'b>(
    page: &Page,
    marked: impl Iterator<Item = &'b [Range<usize>]>,
    grammar: &Grammar,
    fixes: &mut Vec<Fix>,
) -> bool {
    let mut new = Vec::new();
    for pieces in marked {
        for piece in pieces {
            // The piece as repaired: every character with the source range it came from.
            let edits: Vec<&Fix> = fixes
                .iter()
                .filter(|f| f.replacement.is_some() && overlaps(&f.span, piece))
                .collect();
            if edits
                .iter()
                .any(|f| f.span.start < piece.start || f.span.end > piece.end)
            {
                continue; // an edit across the piece's edge (a join): leave the piece alone
            }
            let mut sourced: Vec<(Range<usize>, char)> = Vec::new();
            let mut pos = piece.start;
            let mut ordered = edits.clone();
            ordered.sort_by_key(|f| (f.span.start, f.span.end));
            for f in ordered {
                if f.span.start < pos {
                    continue; // refused by the applier
                }
                sourced.extend(
                    page.text[pos..f.span.start]
                        .char_indices()
                        .map(|(i, c)| (pos + i..pos + i + c.len_utf8(), c)),
                );
                let rep = f.replacement.as_deref().unwrap_or("");
                sourced.extend(rep.chars().map(|c| (f.span.clone(), c)));
                pos = f.span.end;
            }
            sourced.extend(
                page.text[pos..piece.end]
                    .char_indices()
                    .map(|(i, c)| (pos + i..pos + i + c.len_utf8(), c)),
            );
            // The title echoes the line above it, unless a fix removed that line (a copy).
            let above = line_above(page, piece).filter(|above| {
                echoes_line_above(page, piece, &page.text[above.clone()])
                    && !fixes.iter().any(|f| {
                        f.replacement.as_deref() == Some("")
                            && f.span.start <= above.start
                            && above.end <= f.span.end
                    })
            });
            let echo = above.is_some();
            let above: &str = above.map_or("", |a| &page.text[a]);
            let tokens = tokens_of(sourced.into_iter());
            for (k, t) in tokens.iter().enumerate() {
                let cs: Vec<char> = t.chars.iter().map(|c| c.1).collect();
                // The copy of the line above goes, with the space before it (DR002).
                if echo && tokens.len() > 1 && cs.iter().copied().eq(above.chars()) {
                    let span = if k > 0 {
                        tokens[k - 1].end..t.end
                    } else {
                        t.start..tokens[1].start
                    };
                    new.push(Fix::edit(&DR002, span, "").because(
                        "the title line repeats the line above it beside other text: the \
                             two boxes of a title drawn twice, merged on one line",
                    ));
                    continue;
                }
                let Some(units) = decompose(&cs) else {
                    // Only a Latin run in front of CJK text repeats, on a line the classifier
                    // set as display type.
                    if let Some(run) = latin_prefix(&cs) {
                        let kept: String = cs[..run / 2].iter().chain(&cs[run..]).collect();
                        new.push(Fix::edit(&DR001, t.start..t.end, kept).because(format!(
                            "`{}` drawn twice in front of CJK text in a title or heading",
                            cs[..run / 2].iter().collect::<String>()
                        )));
                    }
                    continue;
                };
                // A Latin word whose halves repeat (`nennen`) or a dot leader, as in `fixes`;
                // here only the lexicon can say the line was drawn twice.
                if latin_by_shape(&cs) && !word_evidence(&cs, &units, grammar) {
                    continue;
                }
                let evidence = if strength(&units) == Strength::Strong {
                    format!(
                        "{} doubled unit(s), longest {}, once the line was repaired",
                        units.len(),
                        units.iter().map(|u| u.1).max().unwrap_or(0)
                    )
                } else if place_unit(&cs, &units, grammar) {
                    format!(
                        "doubled unit `{}` is a known place",
                        cs[..units[0].1].iter().collect::<String>()
                    )
                } else if echo && !latin_by_shape(&cs) {
                    format!(
                        "doubled unit `{}` on a title line that also repeats the line above it",
                        cs[..units[0].1].iter().collect::<String>()
                    )
                } else {
                    continue;
                };
                let span = t.start..t.end;
                new.push(
                    Fix::edit(&DR001, span, undouble_fully(&cs, &units, grammar)).because(evidence),
                );
            }
        }
    }
    if new.is_empty() {
        return false;
    }
    fixes.retain(|f| {
        f.replacement.is_none()
            || !new
                .iter()
                .any(|n| n.span.start <= f.span.start && f.span.end <= n.span.end)
    });
    fixes.extend(new);
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    true
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Undoubling fixes for the page.
pub fn fixes(
    page: &Page,
    shapes: &[Shape],
    grammar: &Grammar,
    mode: usize,
    opts: &Options,
    out: &mut Vec<Fix>,
) {
    // First pass: decompose every candidate token.
    struct Found {
        line: usize,
        token_start: usize,
        token_end: usize,
        units: Vec<(usize, usize)>,
        chars: Vec<(usize, char)>,
        strength: Strength,
    }
    let mut found: Vec<Found> = Vec::new();
    // On galley text the markup says which lines are headings; paragraphs are body text.
    let galley = page.galley;
    // Copies shuffled over several lines first: the lines they read are theirs.
    if opts.enabled(DR003.code) {
        super::interleaved::fixes(page, shapes, grammar, mode, out);
    }
    for (i, s) in shapes.iter().enumerate() {
        let prev = if i > 0 { shapes.get(i - 1) } else { None };
        let heading_markup = matches!(
            s.markup,
            Some(Markup::Title | Markup::Heading | Markup::Field(_))
        );
        if galley && !heading_markup {
            continue;
        }
        // A line continuing body text is a candidate only for decompositions no language makes.
        let in_body = !heading_markup && !candidate(s, prev, mode, grammar);
        let tiny_pair = s.chars == 2 && {
            let cs: Vec<char> = page.text[s.span.clone()].chars().collect();
            cs.len() == 2 && cs[0] == cs[1]
        };
        // A line of two characters is no body text: its doubling needs a doubled neighbour.
        let in_body = in_body && !tiny_pair;
        if in_body && !candidate(s, None, mode, grammar) {
            continue;
        }
        for t in tokens_or_line(page, s) {
            // Text another rule already rewrote (interleaved copies) is theirs.
            if out.iter().any(|f| overlaps(&f.span, &(t.start..t.end))) {
                continue;
            }
            let cs: Vec<char> = t.chars.iter().map(|c| c.1).collect();
            // In body text only decompositions that language never makes, or a doubled place
            // name, are artifacts.
            let place_unit = |u: &Vec<(usize, usize)>| {
                u.len() == 1 && grammar.is_place(&cs[..u[0].1].iter().collect::<String>())
            };
            // A lone doubled character (`园园`, the tail of a title drawn twice) is weak: it needs a
            // doubled neighbour, like ABAB.
            let pair = (cs.len() == 2 && cs[0] == cs[1] && cs[0].is_alphanumeric())
                .then(|| vec![(0usize, 1usize)]);
            if let Some(units) = decompose(&cs)
                .or(pair)
                .filter(|u| !in_body || strength(u) == Strength::Strong || place_unit(u))
            {
                let end = t
                    .chars
                    .last()
                    .map(|(b, c)| b + c.len_utf8())
                    .unwrap_or(t.start);
                found.push(Found {
                    line: s.no,
                    token_start: t.start,
                    token_end: end,
                    strength: strength(&units),
                    units,
                    chars: t.chars,
                });
            }
        }
    }
    // A Latin token's shape alone is no evidence (see `latin_by_shape`), for itself or others.
    let shows_doubling = |f: &Found| {
        let cs: Vec<char> = f.chars.iter().map(|c| c.1).collect();
        f.strength == Strength::Strong
            && (!latin_by_shape(&cs) || word_evidence(&cs, &f.units, grammar))
    };
    let confirmed: Vec<bool> = found.iter().map(shows_doubling).collect();
    let mut strong_lines: Vec<usize> = found
        .iter()
        .zip(&confirmed)
        .filter(|(_, &c)| c)
        .map(|(f, _)| f.line)
        .collect();
    // Lines drawn twice as two lines, or as copies shuffled together, are evidence for their
    // neighbours too.
    strong_lines.extend(
        shapes
            .iter()
            .filter(|s| {
                out.iter()
                    .any(|f| f.rule.code == DR003.code && overlaps(&f.span, &s.span))
            })
            .map(|s| s.no),
    );
    strong_lines.extend(
        repeated_pairs(page, shapes, grammar, mode)
            .into_iter()
            .flat_map(|(a, b)| [shapes[a].no, shapes[b].no]),
    );
    for (k, f) in found.iter().enumerate() {
        let cs: Vec<char> = f.chars.iter().map(|c| c.1).collect();
        // A leader or rule (`..........`, `------`) is one mark repeated, drawn once.
        if cs
            .iter()
            .all(|&c| c == cs[0] && !c.is_alphanumeric() && !chars::is_wide(c))
        {
            continue;
        }
        if f.strength == Strength::Strong && latin_by_shape(&cs) {
            let same_line = found
                .iter()
                .enumerate()
                .any(|(j, g)| j != k && g.line == f.line && confirmed[j]);
            let neighbour = strong_lines
                .iter()
                .any(|&l| l != f.line && l.abs_diff(f.line) <= 2);
            if !same_line && !neighbour && !confirmed[k] {
                continue;
            }
        }
        let unit_text = |u: &(usize, usize)| {
            f.chars[u.0..u.0 + u.1]
                .iter()
                .map(|c| c.1)
                .collect::<String>()
        };
        let evidence = match f.strength {
            Strength::Strong => Some(format!(
                "{} doubled unit(s), longest {}",
                f.units.len(),
                f.units.iter().map(|u| u.1).max().unwrap_or(0)
            )),
            Strength::Weak => {
                if f.units.len() == 1 && grammar.is_place(&unit_text(&f.units[0])) {
                    Some(format!(
                        "doubled unit `{}` is a known place",
                        unit_text(&f.units[0])
                    ))
                } else if strong_lines
                    .iter()
                    .any(|&l| l != f.line && l.abs_diff(f.line) <= 2)
                {
                    Some("a neighbouring heading line is doubled too".to_owned())
                } else {
                    None
                }
            }
        };
        let Some(evidence) = evidence else { continue };
        // One edit per token.
        let kept = undouble_fully(&cs, &f.units, grammar);
        out.push(Fix::edit(&DR001, f.token_start..f.token_end, kept).because(evidence));
    }
    super::stacked::fixes(page, shapes, out, &touched_line);
    repeated_lines(page, shapes, grammar, mode, out);
}

/// The span of the line above the source line of `piece`, without its surrounding white space
/// (`None` on the first line or when that line is blank).
fn line_above(page: &Page, piece: &Range<usize>) -> Option<Range<usize>> {
    let n = page.line_of(piece.start);
    let line = page.line_span(n.checked_sub(1).filter(|&m| m >= 1)?);
    let text = &page.text[line.clone()];
    let lead = text.len() - text.trim_start().len();
    let span = line.start + lead..line.start + text.trim_end().len();
    (!span.is_empty()).then_some(span)
}

/// Does the source line of `piece` hold, beside other text, a copy of the whole line `above` it
/// (pdfminer's merge of two boxes of a bold title: `<title line>` / `<tail><tail> <title line>`)?
/// Such a line was drawn twice, which is the evidence a short doubled unit on it needs.
fn echoes_line_above(page: &Page, piece: &Range<usize>, above: &str) -> bool {
    let line = page.line(page.line_of(piece.start));
    let mut tokens = line.split(chars::is_space).filter(|t| !t.is_empty());
    above.chars().count() >= 3
        && line
            .split(chars::is_space)
            .filter(|t| !t.is_empty())
            .count()
            >= 2
        && tokens.any(|tok| tok == above || tok.ends_with(above))
}

/// The length of a run of Latin capitals or digits drawn twice at the start of a token and
/// followed by a Han character (`IMFIMF调高全球增长预期`: pdfminer puts two boxes of a bold title on
/// one line, and only the Latin run repeats, so the token as a whole does not decompose). At
/// least two characters a copy, one of them a capital; lowercase words whose halves repeat
/// (`nennen`) never match.
fn latin_prefix(cs: &[char]) -> Option<usize> {
    let run = cs
        .iter()
        .position(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
        .unwrap_or(cs.len());
    let half = run / 2;
    (run >= 4
        && run % 2 == 0
        && cs.get(run).is_some_and(|&c| chars::is_han(c))
        && cs[..half] == cs[half..run]
        && cs[..half].iter().any(char::is_ascii_uppercase))
    .then_some(run)
}

/// Does a fix already edit the line?
fn touched_line(out: &[Fix], s: &Shape) -> bool {
    out.iter()
        .any(|f| f.span.start < s.span.end && s.span.start < f.span.end.max(f.span.start + 1))
}

/// The core of a line: its byte range without the quotes and brackets at either end.
fn core(text: &str, grammar: &Grammar) -> std::ops::Range<usize> {
    let edge = |c: char| {
        grammar.in_class("open_quote", c)
            || grammar.in_class("close_quote", c)
            || chars::is_space(c)
    };
    let start = text.find(|c: char| !edge(c)).unwrap_or(text.len());
    let end = text
        .rfind(|c: char| !edge(c))
        .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(start);
    start..end.max(start)
}

/// Is every character of `small` in `big` (as multisets)?
fn within(small: &str, big: &str) -> bool {
    let mut big: Vec<char> = big.chars().collect();
    small
        .chars()
        .all(|c| match big.iter().position(|&x| x == c) {
            Some(i) => {
                big.remove(i);
                true
            }
            None => false,
        })
}

/// Pairs of adjacent lines that are one heading line drawn twice: the same text but for the
/// quotes at either end (`“老街区` / `老街区`, `新活力` / `新活力”`, `X””` / `““X`).
fn repeated_pairs(
    page: &Page,
    shapes: &[Shape],
    grammar: &Grammar,
    mode: usize,
) -> Vec<(usize, usize)> {
    let max = 4 * grammar.setting("title_max_chars", 40.0) as usize;
    let mut out = Vec::new();
    let mut chain_until = 0; // the line a repeated pair last ended at: evidence for the next
    for i in 1..shapes.len() {
        let (a, b) = (&shapes[i - 1], &shapes[i]);
        if a.blank() || b.blank() || a.markup.is_some() || b.markup.is_some() || a.chars > max {
            continue;
        }
        // Copies differ by a few quotes at most (the cheap test before measuring cores).
        if a.chars.abs_diff(b.chars) > 4 || a.inner_stops > 1 {
            continue;
        }
        let (ta, tb) = (&page.text[a.span.clone()], &page.text[b.span.clone()]);
        let (ca, cb) = (core(ta, grammar), core(tb, grammar));
        if ta[ca.clone()] != tb[cb] {
            continue;
        }
        let words = ta[ca].chars().filter(|c| c.is_alphanumeric()).count();
        let chained = chain_until + 1 == a.no;
        if words < 2 || !(chained || (words >= 4 && candidate(a, None, mode, grammar))) {
            continue;
        }
        out.push((i - 1, i));
        chain_until = b.no;
    }
    out
}

/// Quotes doubled on a copy that stays (`““`): one of each; other text as it is.
fn single_quotes(t: &str) -> String {
    let cs: Vec<char> = t.chars().filter(|c| !chars::is_space(*c)).collect();
    if cs.len() >= 2 && cs.len() % 2 == 0 && cs.chunks(2).all(|p| p[0] == p[1]) {
        cs.iter().step_by(2).collect()
    } else {
        cs.iter().collect()
    }
}

/// Heading lines drawn twice as two lines: one copy goes. Where each copy holds quotes the other
/// lacks (pdfminer: `X””` / `““X`), the second copy becomes the whole heading line (`“X”`) and the
/// first goes. A line whose doubled units run on into the next line (`老街老街““新颜新颜””，再出发` /
/// `，再出发`) is undoubled across the break.
fn repeated_lines(
    page: &Page,
    shapes: &[Shape],
    grammar: &Grammar,
    mode: usize,
    out: &mut Vec<Fix>,
) {
    let touched = touched_line;
    for (ia, ib) in repeated_pairs(page, shapes, grammar, mode) {
        let (a, b) = (&shapes[ia], &shapes[ib]);
        if touched(out, a) || touched(out, b) {
            continue;
        }
        let (ta, tb) = (&page.text[a.span.clone()], &page.text[b.span.clone()]);
        let (ca, cb) = (core(ta, grammar), core(tb, grammar));
        let (pa, sa) = (&ta[..ca.start], &ta[ca.end..]);
        let (pb, sb) = (&tb[..cb.start], &tb[cb.end..]);
        let why = if ta == tb {
            format!("line {} repeats line {} verbatim", b.no, a.no)
        } else {
            format!("line {} repeats line {} but for quotes", b.no, a.no)
        };
        let (ea, eb) = (format!("{pa}{sa}"), format!("{pb}{sb}"));
        let (gone, stays) = if within(&eb, &ea) {
            (b, a)
        } else if within(&ea, &eb) {
            (a, b)
        } else {
            // Each copy has its own quotes: the second becomes the whole line.
            let pre = single_quotes(if pb.trim().is_empty() { pa } else { pb });
            let suf = single_quotes(if sa.trim().is_empty() { sb } else { sa });
            let whole = format!("{pre}{}{suf}", &tb[cb.clone()]);
            if chars::visible(&whole) > chars::visible(tb) {
                continue;
            }
            out.push(Fix::edit(&DR002, a.span.clone(), "").because(why.clone()));
            out.push(
                Fix::edit(&DR002, b.span.clone(), whole)
                    .because(format!("{why}; the quotes of both copies, once each")),
            );
            continue;
        };
        out.push(Fix::edit(&DR002, gone.span.clone(), "").because(why));
        // Quotes doubled on the copy that stays (`““老街区`): one of each.
        let t = &page.text[stays.span.clone()];
        let c = core(t, grammar);
        for r in [0..c.start, c.end..t.len()] {
            let q = &t[r.clone()];
            if !q.is_empty() && !q.contains(chars::is_space) && single_quotes(q) != q {
                let span = stays.span.start + r.start..stays.span.start + r.end;
                out.push(Fix::edit(&DR001, span, single_quotes(q)).because(format!(
                    "quotes doubled on line {}, a heading drawn twice",
                    stays.no
                )));
            }
        }
    }
    runs_across_lines(page, shapes, out, &touched);
    copies_beside_tags(page, shapes, out, &touched);
    copies_around(page, shapes, out, &touched);
    out.sort_by_key(|f| (f.span.start, f.span.end));
}

/// A title line drawn twice with a tag beside it (pdfminer: `<place><place> <title>` / `<title>`,
/// `<title> <place><place>` / `<title>`): the next line is the second
/// copy of one of the line's words, and another word of the line is itself drawn twice (the bold
/// tag, undoubled on its own). The copy goes (DR002).
fn copies_beside_tags(
    page: &Page,
    shapes: &[Shape],
    out: &mut Vec<Fix>,
    touched: &dyn Fn(&[Fix], &Shape) -> bool,
) {
    let twice = |w: &str| {
        let cs: Vec<char> = w.chars().collect();
        let h = cs.len() / 2;
        cs.len() >= 4
            && cs.len() % 2 == 0
            && cs[..h] == cs[h..]
            && cs.iter().all(|c| c.is_alphanumeric())
    };
    for i in 1..shapes.len() {
        let (a, b) = (&shapes[i - 1], &shapes[i]);
        if a.blank() || b.blank() || a.markup.is_some() || b.markup.is_some() || b.chars >= a.chars
        {
            continue;
        }
        let (ta, tb) = (&page.text[a.span.clone()], page.text[b.span.clone()].trim());
        let words: Vec<&str> = ta
            .split(chars::is_space)
            .filter(|w| !w.is_empty())
            .collect();
        let copied = tb.chars().filter(|c| c.is_alphanumeric()).count() >= 4
            && words.len() >= 2
            && words.contains(&tb)
            && words.iter().any(|w| *w != tb && twice(w));
        if copied && !touched(out, b) {
            out.push(Fix::edit(&DR002, b.span.clone(), "").because(format!(
                "line {} repeats `{tb}` of line {}, whose tag beside it is drawn twice too: a \
                 title drawn twice",
                b.no, a.no
            )));
        }
    }
}

/// A title of two lines drawn twice, read by pdfminer as one line holding both lines of one copy
/// between the lines of the other (`<second line>` / `<first line> <second line>` /
/// `<first line>`): the lines above and below are each found whole in the line between them, and
/// together they are most of its letters. Both go (DR002); prose never repeats two whole lines
/// of four letters or more inside the line between them.
fn copies_around(
    page: &Page,
    shapes: &[Shape],
    out: &mut Vec<Fix>,
    touched: &dyn Fn(&[Fix], &Shape) -> bool,
) {
    let letters = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
    let mut i = 1;
    while i + 1 < shapes.len() {
        let (a, b, c) = (&shapes[i - 1], &shapes[i], &shapes[i + 1]);
        // The line between holds both others whole: it is at least as long as the two together.
        let long_enough = a.chars >= 4 && c.chars >= 4 && b.chars >= a.chars + c.chars;
        let usable = |s: &Shape| !s.blank() && s.markup.is_none() && !touched(out, s);
        if !(long_enough && usable(a) && usable(b) && usable(c)) {
            i += 1;
            continue;
        }
        let ta = page.text[a.span.clone()].trim();
        let tb = page.text[b.span.clone()].trim();
        let tc = page.text[c.span.clone()].trim();
        let (la, lb, lc) = (letters(ta), letters(tb), letters(tc));
        let around = la >= 4
            && lc >= 4
            && 5 * (la + lc) >= 4 * lb
            && match (tb.find(ta), tb.find(tc)) {
                (Some(x), Some(y)) => x + ta.len() <= y || y + tc.len() <= x,
                _ => false,
            };
        if !around {
            i += 1;
            continue;
        }
        for (s, t) in [(a, ta), (c, tc)] {
            out.push(Fix::edit(&DR002, s.span.clone(), "").because(format!(
                "line {} holds `{t}` of line {} and the line on its other side too: a title of two \
                 lines drawn twice",
                b.no, s.no
            )));
        }
        i += 3;
    }
}

/// A heading line whose doubled units run on into the next line: the two lines together
/// decompose into doubled units (strongly: no language makes them), the first alone does not.
fn runs_across_lines(
    page: &Page,
    shapes: &[Shape],
    out: &mut Vec<Fix>,
    touched: &dyn Fn(&[Fix], &Shape) -> bool,
) {
    for i in 1..shapes.len() {
        let (a, b) = (&shapes[i - 1], &shapes[i]);
        if a.blank() || b.blank() || a.markup.is_some() || b.markup.is_some() || b.chars > a.chars {
            continue;
        }
        let (ta, tb) = (&page.text[a.span.clone()], &page.text[b.span.clone()]);
        // The next line is the second copy of the first line's last unit: the first line ends
        // with it (the cheap test before any decomposition).
        if !ta.ends_with(tb)
            || ta.contains(chars::is_space)
            || tb.contains(chars::is_space)
            || a.chars > 160
        {
            continue;
        }
        let ca: Vec<char> = ta.chars().collect();
        if decompose(&ca).is_some() || touched(out, a) || touched(out, b) {
            continue;
        }
        let both: Vec<char> = ta.chars().chain(tb.chars()).collect();
        let Some(units) = decompose(&both).filter(|u| strength(u) == Strength::Strong) else {
            continue;
        };
        let kept: String = units
            .iter()
            .map(|&(x, l)| both[x..x + l].iter().collect::<String>())
            .collect();
        let why = format!(
            "lines {} and {} together are {} doubled unit(s): a heading drawn twice, broken across the lines",
            a.no,
            b.no,
            units.len()
        );
        if kept != ta {
            out.push(Fix::edit(&DR001, a.span.clone(), kept).because(why.clone()));
        }
        out.push(Fix::edit(&DR001, b.span.clone(), "").because(why));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn undouble(s: &str) -> Option<String> {
        let cs: Vec<char> = s.chars().collect();
        decompose(&cs).map(|u| {
            u.iter()
                .map(|&(a, l)| cs[a..a + l].iter().collect::<String>())
                .collect()
        })
    }

    #[test]
    fn decomposes_doubled_runs() {
        assert_eq!(
            undouble("老城区老城区““换新颜换新颜””加装电梯加装电梯").as_deref(),
            Some("老城区“换新颜”加装电梯")
        );
        assert_eq!(undouble("万州万州").as_deref(), Some("万州"));
        assert_eq!(undouble("一步一步").as_deref(), Some("一步"));
        assert_eq!(undouble("说说"), None);
        assert_eq!(undouble("老街区焕发新活力"), None);
    }

    #[test]
    fn a_latin_run_drawn_twice_before_cjk_text() {
        let run = |s: &str| latin_prefix(&s.chars().collect::<Vec<_>>());
        assert_eq!(run("WHOWHO报告"), Some(6));
        assert_eq!(run("G20G20峰会"), Some(6));
        // Lowercase halves, a single letter, a run not followed by Han, a run of digits alone.
        assert_eq!(run("nennen会"), None);
        assert_eq!(run("AA报告"), None);
        assert_eq!(run("WHOWHO"), None);
        assert_eq!(run("2020年"), None);
        assert_eq!(run("WHO报告"), None);
    }

    #[test]
    fn fewest_units_keep_inner_reduplication() {
        // 哗啦哗啦 inside a doubled heading stays whole.
        assert_eq!(
            undouble("雨声哗啦哗啦雨声哗啦哗啦").as_deref(),
            Some("雨声哗啦哗啦")
        );
    }

    #[test]
    fn strength_needs_evidence_for_short_units() {
        let units = |s: &str| decompose(&s.chars().collect::<Vec<_>>()).unwrap();
        assert_eq!(strength(&units("研究研究")), Strength::Weak);
        assert_eq!(strength(&units("高高兴兴")), Strength::Weak);
        assert_eq!(strength(&units("山区公路山区公路")), Strength::Strong);
        assert_eq!(strength(&units("““换新颜换新颜””")), Strength::Strong);
    }
}
