//! Scoring a reconstruction against a gold page (`galley eval`).
//!
//! Definitions (README, "Evaluation"):
//! - Texts are compared after NFKC and removing white space next to a CJK character, with other
//!   runs of white space folded to one space.
//! - Paragraph precision/recall/F1: gold and output paragraphs (kind paragraph or caption) matched
//!   as multisets of normalised texts.
//! - Grouping F1: B-cubed precision and recall over matched paragraphs, clusters being articles.
//! - Titles, bylines right: for each gold article, the output article holding most of its matched
//!   paragraphs (or, with none, the one with the same title) has the same normalised title /
//!   byline (both absent counts as right).
//! - Headings right: gold section headings matched as a multiset among output headings.
//! - Residue in the output: letter-spaced runs (three single CJK characters separated by spaces),
//!   doubled runs (a title or heading that still decomposes into doubled units with a unit of two
//!   or more characters), line-end hyphens left (`letter- letter` inside a paragraph).
//! - Missing characters: visible characters of the gold (as a multiset) absent from the output.

use std::collections::HashMap;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::PageResult;

/// A gold page.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Gold {
    /// Gold articles.
    pub articles: Vec<GoldArticle>,
}

impl Gold {
    /// Read a gold page: either `{"articles": [...]}` or the output of `galley clean --format
    /// json` (`{"source": ..., "pages": [{"articles": [...]}, ...]}`, its first page), so that a
    /// corrected output serves as gold. Fields galley writes and gold does not need (`id`,
    /// `lines`, `fixes`…) are ignored.
    pub fn from_json(text: &str) -> Result<Gold, GoldError> {
        let v: serde_json::Value = serde_json::from_str(text)?;
        let page = if v.get("articles").is_some() {
            v
        } else if let Some(first) = v.get("pages").and_then(|p| p.get(0)) {
            first.clone()
        } else if v.get("pages").is_some() {
            return Err(GoldError::Shape("`pages` holds no page"));
        } else {
            return Err(GoldError::Shape(
                "expected `articles` (a gold page) or `pages` (galley clean --format json)",
            ));
        };
        Ok(serde_json::from_value(page)?)
    }
}

/// Why a gold file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GoldError {
    /// Not JSON, or fields of the wrong type.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// JSON of another shape.
    #[error("{0}")]
    Shape(&'static str),
}

/// A gold article.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct GoldArticle {
    /// Title.
    pub title: Option<String>,
    /// Byline.
    pub byline: Option<String>,
    /// Place.
    #[serde(default)]
    pub place: Option<String>,
    /// Kicker (not scored; used to align line roles in `galley fit`).
    #[serde(default)]
    pub kicker: Option<String>,
    /// Subtitle (not scored; used to align line roles in `galley fit`).
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Dateline opening the first paragraph (repeated from it).
    #[serde(default)]
    pub dateline: Option<String>,
    /// Jump line (`Continued on Page 4.`), printed but not article text.
    #[serde(default)]
    pub jump: Option<String>,
    /// Blocks.
    pub blocks: Vec<GoldBlock>,
}

/// A gold block.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct GoldBlock {
    /// Kind.
    pub kind: String,
    /// Text.
    pub text: String,
}

/// Scores of one page.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Scores {
    /// Paragraph precision.
    pub paragraph_precision: f64,
    /// Paragraph recall.
    pub paragraph_recall: f64,
    /// Paragraph F1.
    pub paragraph_f1: f64,
    /// B-cubed grouping F1.
    pub grouping_f1: f64,
    /// Titles right.
    pub titles_right: usize,
    /// Titles right with the place tag left attached counted too (`../shared/eval/run.sh`'s
    /// title column).
    pub titles_loose: usize,
    /// Bylines right.
    pub bylines_right: usize,
    /// Headings right.
    pub headings_right: usize,
    /// Gold articles.
    pub articles: usize,
    /// Gold headings.
    pub headings: usize,
    /// Letter-spaced runs left.
    pub residue_letter_spaced: usize,
    /// Doubled runs left.
    pub residue_doubled: usize,
    /// Line-end hyphens left.
    pub residue_hyphens: usize,
    /// Gold characters missing from the output.
    pub missing_chars: usize,
}

/// Characters next to which white space is dropped (`../shared/eval/score.py`'s CJK class).
fn cjk_class(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}'
        | '\u{2018}'..='\u{201f}'
        | '\u{2026}'
        | '\u{2014}'
        | '\u{00b7}')
}

/// Normalise for comparison: NFKC, no white space next to a CJK character, other runs of white
/// space folded to one space, trimmed.
pub fn norm(s: &str) -> String {
    let n: Vec<char> = s.nfkc().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < n.len() {
        if n[i].is_whitespace() {
            let mut j = i;
            while j < n.len() && n[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = n.get(j).copied();
            let cjk_adj = before.is_some_and(cjk_class) || after.is_some_and(cjk_class);
            if !cjk_adj && before.is_some() && after.is_some() {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(n[i]);
            i += 1;
        }
    }
    out
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// An article as the scorer sees it (gold or output): fields and (kind, text) blocks.
#[derive(Debug, Default)]
struct View {
    title: Option<String>,
    byline: Option<String>,
    place: Option<String>,
    kicker: Option<String>,
    subtitle: Option<String>,
    dateline: Option<String>,
    blocks: Vec<(String, String)>,
}

impl View {
    /// Blocks normalised, consecutive headings merged (a two-line heading may come as two).
    fn blocks(&self) -> Vec<(bool, String)> {
        let mut merged: Vec<(bool, String)> = Vec::new();
        for (k, t) in &self.blocks {
            let heading = k.starts_with("head") || k.starts_with("section");
            match merged.last_mut() {
                Some((true, prev)) if heading => {
                    prev.push(' ');
                    prev.push_str(t);
                }
                _ => merged.push((heading, t.clone())),
            }
        }
        merged.into_iter().map(|(h, t)| (h, norm(&t))).collect()
    }

    fn strings(&self) -> Vec<String> {
        let mut xs: Vec<String> = [&self.title, &self.subtitle, &self.byline, &self.place]
            .iter()
            .map(|x| (*x).clone().unwrap_or_default())
            .collect();
        xs.extend(self.blocks.iter().map(|b| b.1.clone()));
        xs
    }
}

fn n_opt(s: &Option<String>) -> String {
    s.as_deref().map(norm).unwrap_or_default()
}

fn gold_views(gold: &Gold) -> Vec<View> {
    gold.articles
        .iter()
        .map(|a| View {
            title: a.title.clone(),
            byline: a.byline.clone(),
            place: a.place.clone(),
            kicker: a.kicker.clone(),
            subtitle: a.subtitle.clone(),
            dateline: a.dateline.clone(),
            blocks: a
                .blocks
                .iter()
                .map(|b| (b.kind.clone(), b.text.clone()))
                .collect(),
        })
        .collect()
}

fn output_views(out: &PageResult) -> Vec<View> {
    let text = |b: &Option<crate::classify::Block>| b.as_ref().map(|b| b.text.clone());
    out.articles
        .iter()
        .map(|a| View {
            title: text(&a.title),
            byline: a.byline_text(),
            place: a.place_text(),
            kicker: text(&a.kicker),
            subtitle: text(&a.subtitle),
            dateline: None,
            blocks: a
                .blocks
                .iter()
                .map(|b| (b.kind.as_str().to_owned(), b.text.clone()))
                .collect(),
        })
        .collect()
}

/// Units of two or more characters (two or more of them word characters) standing doubled.
fn doubled_units(s: &str, into: &mut HashMap<String, isize>, sign: isize) {
    let cs: Vec<char> = s.chars().collect();
    let max = (cs.len() / 2).min(40);
    for l in 2..=max {
        for i in 0..=cs.len() - 2 * l {
            let u = &cs[i..i + l];
            if *u == cs[i + l..i + 2 * l]
                && u.iter()
                    .filter(|c| c.is_alphanumeric() || **c == '_')
                    .count()
                    >= 2
            {
                *into.entry(u.iter().collect()).or_default() += sign;
            }
        }
    }
}

/// Score one page against its gold, with the definitions of `../shared/eval/score.py`.
pub fn score(gold: &Gold, out: &PageResult) -> Scores {
    score_views(&gold_views(gold), &output_views(out))
}

fn score_views(g: &[View], o: &[View]) -> Scores {
    let mut s = Scores {
        articles: g.len(),
        ..Scores::default()
    };
    let gb: Vec<Vec<(bool, String)>> = g.iter().map(View::blocks).collect();
    let ob: Vec<Vec<(bool, String)>> = o.iter().map(View::blocks).collect();
    let gp: Vec<(usize, &str)> = gb
        .iter()
        .enumerate()
        .flat_map(|(ai, bs)| bs.iter().filter(|b| !b.0).map(move |b| (ai, b.1.as_str())))
        .collect();
    // A dateline that opens a paragraph may be kept in the text or moved to its own field.
    let mut alt: HashMap<String, &str> = HashMap::new();
    for (a, bs) in g.iter().zip(&gb) {
        let d = n_opt(&a.dateline);
        for (h, t) in bs {
            if !d.is_empty() && !h && t.starts_with(&d) && t.len() > d.len() {
                alt.insert(t[d.len()..].trim().to_owned(), t.as_str());
            }
        }
    }
    let gset: std::collections::HashSet<&str> = gp.iter().map(|x| x.1).collect();
    let op: Vec<(usize, &str)> = ob
        .iter()
        .enumerate()
        .flat_map(|(ai, bs)| {
            let (gset, alt) = (&gset, &alt);
            bs.iter().filter(|b| !b.0).map(move |b| {
                let t = b.1.as_str();
                let t = if gset.contains(t) {
                    t
                } else {
                    alt.get(t).copied().unwrap_or(t)
                };
                (ai, t)
            })
        })
        .collect();
    let mut gcount: HashMap<&str, usize> = HashMap::new();
    for (_, t) in &gp {
        *gcount.entry(t).or_default() += 1;
    }
    let mut ocount: HashMap<&str, usize> = HashMap::new();
    for (_, t) in &op {
        *ocount.entry(t).or_default() += 1;
    }
    let matched: usize = gcount
        .iter()
        .map(|(t, n)| (*n).min(ocount.get(t).copied().unwrap_or(0)))
        .sum();
    s.paragraph_precision = if op.is_empty() {
        0.0
    } else {
        matched as f64 / op.len() as f64
    };
    s.paragraph_recall = if gp.is_empty() {
        0.0
    } else {
        matched as f64 / gp.len() as f64
    };
    s.paragraph_f1 = f1(s.paragraph_precision, s.paragraph_recall);
    // B-cubed over matched paragraphs.
    let mut gidx: HashMap<&str, Vec<usize>> = HashMap::new();
    for (ai, t) in &gp {
        gidx.entry(t).or_default().push(*ai);
    }
    let mut used: HashMap<&str, usize> = HashMap::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (oi, t) in &op {
        if let Some(v) = gidx.get(t) {
            let u = used.entry(t).or_default();
            if *u < v.len() {
                pairs.push((v[*u], *oi));
                *u += 1;
            }
        }
    }
    let (mut bp, mut br) = (0.0, 0.0);
    for &(gi, oi) in &pairs {
        let same_o = pairs.iter().filter(|x| x.1 == oi);
        let same_g = pairs.iter().filter(|x| x.0 == gi);
        let (no, ng) = (same_o.clone().count(), same_g.clone().count());
        bp += same_o.filter(|x| x.0 == gi).count() as f64 / no as f64;
        br += same_g.filter(|x| x.1 == oi).count() as f64 / ng as f64;
    }
    if !pairs.is_empty() {
        let m = pairs.len() as f64;
        s.grouping_f1 = f1(bp / m, br / m);
    }
    // The output article holding most of each gold article's paragraphs (first on a tie).
    let empty = View::default();
    for (gi, a) in g.iter().enumerate() {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for &(x, oi) in &pairs {
            if x == gi {
                match counts.iter_mut().find(|c| c.0 == oi) {
                    Some(c) => c.1 += 1,
                    None => counts.push((oi, 1)),
                }
            }
        }
        let home = counts
            .iter()
            .fold(None, |best: Option<(usize, usize)>, &c| match best {
                Some(b) if b.1 >= c.1 => Some(b),
                _ => Some(c),
            })
            .map(|c| c.0);
        let ov = home.map(|h| &o[h]).unwrap_or(&empty);
        let (t, pl, ot) = (n_opt(&a.title), n_opt(&a.place), n_opt(&ov.title));
        if ot == t {
            s.titles_right += 1;
            s.titles_loose += 1;
        } else if !pl.is_empty()
            && !t.starts_with(&pl)
            && [
                format!("{pl}{t}"),
                format!("{t}{pl}"),
                format!("{pl} {t}"),
                format!("{t} {pl}"),
            ]
            .contains(&ot)
        {
            // Loose: the place tag left attached to the title (score.py's `title_loose`).
            s.titles_loose += 1;
        }
        if n_opt(&ov.byline) == n_opt(&a.byline) {
            s.bylines_right += 1;
        }
        let gh: Vec<&String> = gb[gi].iter().filter(|b| b.0).map(|b| &b.1).collect();
        let oh: Vec<&String> = match home {
            Some(h) => ob[h].iter().filter(|b| b.0).map(|b| &b.1).collect(),
            None => Vec::new(),
        };
        s.headings += gh.len();
        s.headings_right += gh.iter().filter(|h| oh.contains(h)).count();
    }
    // Residue.
    for v in o {
        for t in v.strings() {
            s.residue_letter_spaced += letter_spaced_runs(&t);
            s.residue_hyphens += hyphen_residue(&t);
        }
    }
    let mut doubled: HashMap<String, isize> = HashMap::new();
    for v in g {
        for t in v.strings() {
            doubled_units(&norm(&t), &mut doubled, -1);
        }
    }
    for v in o {
        for t in v.strings() {
            doubled_units(&norm(&t), &mut doubled, 1);
        }
    }
    s.residue_doubled = doubled
        .values()
        .filter(|n| **n > 0)
        .map(|n| *n as usize)
        .sum();
    // Characters of the gold missing from the output.
    let chars = |vs: &[View], bs: &[Vec<(bool, String)>], dateline: bool| {
        let mut c: HashMap<char, isize> = HashMap::new();
        for (v, blocks) in vs.iter().zip(bs) {
            let mut fields = vec![&v.title, &v.subtitle, &v.byline, &v.place, &v.kicker];
            if dateline {
                fields.push(&v.dateline);
            }
            for f in fields {
                for ch in n_opt(f).chars().filter(|c| *c != ' ') {
                    *c.entry(ch).or_default() += 1;
                }
            }
            for (_, t) in blocks {
                for ch in t.chars().filter(|c| *c != ' ') {
                    *c.entry(ch).or_default() += 1;
                }
            }
        }
        c
    };
    let (gc, oc) = (chars(g, &gb, false), chars(o, &ob, true));
    s.missing_chars = gc
        .iter()
        .map(|(ch, n)| (n - oc.get(ch).copied().unwrap_or(0)).max(0) as usize)
        .sum();
    s
}

/// Line-end hyphens left: `a-` then a line break and `b`, or `A- b` inside a line.
fn hyphen_residue(text: &str) -> usize {
    let cs: Vec<char> = text.chars().collect();
    let mut n = 0;
    let mut i = 0;
    while i + 1 < cs.len() {
        let matched = if cs[i + 1] == '-' {
            let a = cs[i];
            let mut j = i + 2;
            let mut newline = false;
            while j < cs.len() && cs[j].is_whitespace() {
                newline |= cs[j] == '\n';
                j += 1;
            }
            let b = cs.get(j).copied();
            let lower = |c: char| c.is_ascii_lowercase();
            (lower(a) && newline && b.is_some_and(lower))
                || (a.is_ascii_alphabetic()
                    && cs.get(i + 2) == Some(&' ')
                    && cs.get(i + 3).is_some_and(|c| lower(*c)))
        } else {
            false
        };
        if matched {
            n += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    n
}

/// Runs of three or more single CJK characters each followed by a space (`score.py`'s count).
pub fn letter_spaced_runs(text: &str) -> usize {
    let cs: Vec<char> = text.chars().collect();
    let single = |c: char| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}');
    let mut runs = 0;
    let mut i = 0;
    while i + 1 < cs.len() {
        let mut n = 0;
        let mut j = i;
        while j + 1 < cs.len() && single(cs[j]) && cs[j + 1] == ' ' {
            n += 1;
            j += 2;
        }
        if n >= 3 {
            runs += 1;
            i = j;
        } else {
            i += 1;
        }
    }
    runs
}

impl Scores {
    /// Human-readable report.
    pub fn report(&self) -> String {
        format!(
            "paragraphs  precision {:.3}  recall {:.3}  F1 {:.3}\n\
             grouping    B-cubed F1 {:.3}\n\
             titles      {}/{} right\n\
             bylines     {}/{} right\n\
             headings    {}/{} right\n\
             residue     letter-spaced {}  doubled {}  line-end hyphens {}\n\
             missing     {} gold characters not in the output\n",
            self.paragraph_precision,
            self.paragraph_recall,
            self.paragraph_f1,
            self.grouping_f1,
            self.titles_right,
            self.articles,
            self.bylines_right,
            self.articles,
            self.headings_right,
            self.headings,
            self.residue_letter_spaced,
            self.residue_doubled,
            self.residue_hyphens,
            self.missing_chars
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        assert_eq!(norm("改造 钱从哪里来？"), "改造钱从哪里来?");
        assert_eq!(norm("Smart  TV 显示屏"), "Smart TV显示屏");
        assert_eq!(letter_spaced_runs("进 行 篮 球 训 练 。"), 1);
        assert_eq!(letter_spaced_runs("王小明 李华 摄"), 0);
    }
}
