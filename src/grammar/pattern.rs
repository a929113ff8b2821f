//! Line patterns: a small regular language over characters, parsed with nom and matched by
//! computing the set of end positions (no backtracking blow-up: every step works on a sorted set
//! of positions, so a match costs O(pattern × line × positions)).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char as ch, digit1, multispace0};
use nom::combinator::{map, opt};
use nom::multi::{many1, separated_list1};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use super::Grammar;
use crate::parse::chars;

/// A parsed pattern.
#[derive(Debug, Clone)]
pub enum Pat {
    /// A literal.
    Lit(Vec<char>),
    /// A named list or definition, or a declared class.
    Name(String),
    /// A built-in character class.
    Class(Builtin),
    /// A sequence.
    Seq(Vec<Pat>),
    /// Alternatives.
    Alt(Vec<Pat>),
    /// Repetition between `min` and `max` times.
    Rep(Box<Pat>, usize, usize),
}

/// Built-in character classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// CJK ideographs.
    Han,
    /// Latin letters.
    Latin,
    /// Uppercase letters.
    Upper,
    /// Lowercase letters.
    Lower,
    /// Decimal digits (ASCII and fullwidth).
    Digit,
    /// A space (ASCII or ideographic).
    Space,
    /// Punctuation.
    Punct,
    /// East Asian wide characters.
    Wide,
    /// Any character.
    Any,
}

impl Builtin {
    fn from_name(s: &str) -> Option<Builtin> {
        Some(match s {
            "han" => Builtin::Han,
            "latin" => Builtin::Latin,
            "upper" => Builtin::Upper,
            "lower" => Builtin::Lower,
            "digit" => Builtin::Digit,
            "s" | "space" => Builtin::Space,
            "punct" => Builtin::Punct,
            "wide" => Builtin::Wide,
            "any" => Builtin::Any,
            _ => return None,
        })
    }

    fn test(self, c: char) -> bool {
        match self {
            Builtin::Han => chars::is_han(c),
            Builtin::Latin => chars::is_latin(c),
            Builtin::Upper => c.is_uppercase(),
            Builtin::Lower => c.is_lowercase(),
            Builtin::Digit => c.is_ascii_digit() || ('０'..='９').contains(&c),
            Builtin::Space => c == ' ' || c == '\u{3000}' || c == '\t',
            Builtin::Punct => chars::is_punct(c),
            Builtin::Wide => chars::is_wide(c),
            Builtin::Any => true,
        }
    }
}

type Res<'a, T> = IResult<&'a str, T>;

fn ws(i: &str) -> Res<'_, &str> {
    multispace0.parse(i)
}

fn literal(i: &str) -> Res<'_, Pat> {
    map(
        delimited(ch('"'), take_while(|c| c != '"'), ch('"')),
        |s: &str| Pat::Lit(s.chars().collect()),
    )
    .parse(i)
}

fn ident(i: &str) -> Res<'_, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-').parse(i)
}

fn name(i: &str) -> Res<'_, Pat> {
    map(delimited(ch('<'), ident, ch('>')), |s: &str| {
        Pat::Name(s.to_owned())
    })
    .parse(i)
}

fn class(i: &str) -> Res<'_, Pat> {
    map(
        preceded(ch('@'), ident),
        |s: &str| match Builtin::from_name(s) {
            Some(b) => Pat::Class(b),
            None => Pat::Name(s.to_owned()),
        },
    )
    .parse(i)
}

fn group(i: &str) -> Res<'_, Pat> {
    delimited((ch('('), ws), alternatives, (ws, ch(')'))).parse(i)
}

fn atom(i: &str) -> Res<'_, Pat> {
    alt((literal, name, class, group)).parse(i)
}

fn number(i: &str) -> Res<'_, usize> {
    map(digit1, |d: &str| d.parse().unwrap_or(usize::MAX)).parse(i)
}

fn quantifier(i: &str) -> Res<'_, (usize, usize)> {
    alt((
        map(tag("?"), |_| (0, 1)),
        map(tag("*"), |_| (0, usize::MAX)),
        map(tag("+"), |_| (1, usize::MAX)),
        map(
            delimited(
                ch('{'),
                (number, opt(preceded(ch(','), opt(number)))),
                ch('}'),
            ),
            |(m, n)| match n {
                None => (m, m),
                Some(None) => (m, usize::MAX),
                Some(Some(n)) => (m, n),
            },
        ),
    ))
    .parse(i)
}

fn item(i: &str) -> Res<'_, Pat> {
    map((atom, opt(quantifier)), |(a, q)| match q {
        Some((m, n)) => Pat::Rep(Box::new(a), m, n),
        None => a,
    })
    .parse(i)
}

fn sequence(i: &str) -> Res<'_, Pat> {
    map(many1(preceded(ws, item)), |mut v| {
        if v.len() == 1 {
            v.pop().unwrap()
        } else {
            Pat::Seq(v)
        }
    })
    .parse(i)
}

fn alternatives(i: &str) -> Res<'_, Pat> {
    map(separated_list1((ws, ch('|')), sequence), |mut v| {
        if v.len() == 1 {
            v.pop().unwrap()
        } else {
            Pat::Alt(v)
        }
    })
    .parse(i)
}

/// Parse a pattern; `known` says whether a `<name>` or `@name` is declared. Errors are
/// (byte offset, message).
pub fn parse(src: &str, known: &dyn Fn(&str) -> bool) -> Result<Pat, (usize, String)> {
    let (rest, p) = alternatives(src).map_err(|e| {
        let at = match &e {
            nom::Err::Error(e) | nom::Err::Failure(e) => src.len() - e.input.len(),
            nom::Err::Incomplete(_) => src.len(),
        };
        (
            at,
            "expected a pattern item: \"literal\", <name>, @class or ( … )".to_owned(),
        )
    })?;
    let rest_trim = rest.trim_start();
    if !rest_trim.is_empty() {
        let at = src.len() - rest_trim.len();
        let what = if rest_trim.starts_with(')') {
            "unbalanced `)`"
        } else if rest_trim.starts_with('"') {
            "unterminated literal"
        } else {
            "expected a pattern item, `|` or the end of the line"
        };
        return Err((at, what.to_owned()));
    }
    check_names(&p, src, known)?;
    Ok(p)
}

fn check_names(p: &Pat, src: &str, known: &dyn Fn(&str) -> bool) -> Result<(), (usize, String)> {
    match p {
        Pat::Name(n) if !known(n) => {
            let at = src
                .find(&format!("<{n}>"))
                .or_else(|| src.find(&format!("@{n}")))
                .unwrap_or(0);
            Err((at, format!("unknown list, definition or class `{n}`")))
        }
        Pat::Seq(v) | Pat::Alt(v) => v.iter().try_for_each(|q| check_names(q, src, known)),
        Pat::Rep(q, _, _) => check_names(q, src, known),
        _ => Ok(()),
    }
}

/// Sorted, deduplicated end positions of the matches of `p` starting at `pos` in `s`.
pub fn ends(p: &Pat, g: &Grammar, s: &[char], pos: usize) -> Vec<usize> {
    let mut out = Vec::new();
    step(p, g, s, &[pos], &mut out, 0);
    out.sort_unstable();
    out.dedup();
    out
}

/// Ends of `p` from each of `starts`, appended to `out`.
fn step(p: &Pat, g: &Grammar, s: &[char], starts: &[usize], out: &mut Vec<usize>, depth: usize) {
    if depth > 32 {
        return; // a definition that refers to itself: no match rather than a stack overflow
    }
    match p {
        Pat::Lit(l) => {
            for &st in starts {
                if s.get(st..st + l.len()) == Some(&l[..]) {
                    out.push(st + l.len());
                }
            }
        }
        Pat::Class(b) => {
            for &st in starts {
                if s.get(st).is_some_and(|&c| b.test(c)) {
                    out.push(st + 1);
                }
            }
        }
        Pat::Name(n) => {
            if let Some(list) = g.list(n) {
                for &st in starts {
                    out.extend(list.ends_at(s, st));
                }
            } else if let Some(d) = g.define(n) {
                step(d, g, s, starts, out, depth + 1);
            } else if let Some(set) = g.class_set(n) {
                for &st in starts {
                    if s.get(st).is_some_and(|c| set.binary_search(c).is_ok()) {
                        out.push(st + 1);
                    }
                }
            }
        }
        Pat::Seq(v) => {
            let mut cur = starts.to_vec();
            for q in v {
                let mut next = Vec::new();
                step(q, g, s, &cur, &mut next, depth + 1);
                next.sort_unstable();
                next.dedup();
                if next.is_empty() {
                    return;
                }
                cur = next;
            }
            out.extend(cur);
        }
        Pat::Alt(v) => {
            for q in v {
                step(q, g, s, starts, out, depth + 1);
            }
        }
        Pat::Rep(q, min, max) => {
            let mut cur = starts.to_vec();
            let mut seen: Vec<usize> = Vec::new();
            if *min == 0 {
                out.extend(starts);
            }
            let mut n = 0;
            while n < *max && !cur.is_empty() {
                let mut next = Vec::new();
                step(q, g, s, &cur, &mut next, depth + 1);
                next.sort_unstable();
                next.dedup();
                n += 1;
                if n >= *min {
                    out.extend(&next);
                }
                // Positions already reached add nothing new (and zero-width loops stop here).
                if n >= *min {
                    next.retain(|x| !seen.contains(x));
                    seen.extend(&next);
                }
                cur = next;
            }
        }
    }
}
