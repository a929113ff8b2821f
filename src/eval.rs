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

use crate::parse::chars;
use crate::repair::doubled;
use crate::PageResult;

/// A gold page.
#[derive(Debug, Deserialize)]
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
#[derive(Debug, Deserialize)]
pub struct GoldArticle {
    /// Title.
    pub title: Option<String>,
    /// Byline.
    pub byline: Option<String>,
    /// Place.
    #[serde(default)]
    pub place: Option<String>,
    /// Blocks.
    pub blocks: Vec<GoldBlock>,
}

/// A gold block.
#[derive(Debug, Deserialize)]
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

/// Normalise for comparison.
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
            let cjk_adj = before.is_some_and(chars::is_wide) || after.is_some_and(chars::is_wide);
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

/// The paragraphs and captions of articles given as (kind, text) blocks: (normalised text,
/// article index).
fn paragraphs<'a>(articles: impl Iterator<Item = Vec<(&'a str, &'a str)>>) -> Vec<(String, usize)> {
    articles
        .enumerate()
        .flat_map(|(ai, blocks)| {
            blocks
                .into_iter()
                .filter(|(k, _)| matches!(*k, "paragraph" | "caption"))
                .map(move |(_, t)| (norm(t), ai))
        })
        .collect()
}

/// Score one page against its gold.
pub fn score(gold: &Gold, out: &PageResult) -> Scores {
    let mut s = Scores {
        articles: gold.articles.len(),
        ..Scores::default()
    };
    // Paragraphs (and captions) of gold and output: (normalised text, article).
    let gp = paragraphs(gold.articles.iter().map(|a| {
        a.blocks
            .iter()
            .map(|b| (b.kind.as_str(), b.text.as_str()))
            .collect()
    }));
    let op = paragraphs(out.articles.iter().map(|a| {
        a.blocks
            .iter()
            .map(|b| (b.kind.as_str(), b.text.as_str()))
            .collect()
    }));
    // Multiset matching, in order.
    let mut pool: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, (t, _)) in op.iter().enumerate() {
        pool.entry(t.as_str()).or_default().push(j);
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new(); // (gold idx, out idx)
    for (i, (t, _)) in gp.iter().enumerate() {
        if let Some(v) = pool.get_mut(t.as_str()) {
            if !v.is_empty() {
                pairs.push((i, v.remove(0)));
            }
        }
    }
    let m = pairs.len() as f64;
    s.paragraph_precision = if op.is_empty() {
        0.0
    } else {
        m / op.len() as f64
    };
    s.paragraph_recall = if gp.is_empty() {
        0.0
    } else {
        m / gp.len() as f64
    };
    s.paragraph_f1 = f1(s.paragraph_precision, s.paragraph_recall);
    // B-cubed over matched paragraphs.
    let (mut bp, mut br) = (0.0, 0.0);
    for &(gi, oi) in &pairs {
        let (ga, oa) = (gp[gi].1, op[oi].1);
        let same_out: Vec<&(usize, usize)> =
            pairs.iter().filter(|&&(_, o)| op[o].1 == oa).collect();
        let same_gold: Vec<&(usize, usize)> =
            pairs.iter().filter(|&&(g, _)| gp[g].1 == ga).collect();
        let both = pairs
            .iter()
            .filter(|&&(g, o)| gp[g].1 == ga && op[o].1 == oa)
            .count() as f64;
        bp += both / same_out.len() as f64;
        br += both / same_gold.len() as f64;
    }
    if !pairs.is_empty() {
        s.grouping_f1 = f1(bp / m, br / m);
    }
    // Titles and bylines.
    let on = |o: Option<&str>| o.map(norm).filter(|t| !t.is_empty());
    for (ga, a) in gold.articles.iter().enumerate() {
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for &(gi, oi) in &pairs {
            if gp[gi].1 == ga {
                *votes.entry(op[oi].1).or_default() += 1;
            }
        }
        let gt = on(a.title.as_deref());
        let best = votes
            .into_iter()
            .max_by_key(|&(k, v)| (v, std::cmp::Reverse(k)))
            .map(|(k, _)| k)
            .or_else(|| {
                out.articles.iter().position(|o| {
                    on(o.title.as_ref().map(|b| b.text.as_str())) == gt && gt.is_some()
                })
            });
        if let Some(oa) = best {
            let o = &out.articles[oa];
            if on(o.title.as_ref().map(|b| b.text.as_str())) == gt {
                s.titles_right += 1;
            }
            if on(o.byline_text().as_deref()) == on(a.byline.as_deref()) {
                s.bylines_right += 1;
            }
        }
    }
    // Headings.
    let mut oh: Vec<String> = out
        .articles
        .iter()
        .flat_map(|a| a.blocks.iter())
        .filter(|b| b.kind.as_str() == "heading")
        .map(|b| norm(&b.text))
        .collect();
    for a in &gold.articles {
        for b in a.blocks.iter().filter(|b| b.kind == "heading") {
            s.headings += 1;
            if let Some(p) = oh.iter().position(|h| *h == norm(&b.text)) {
                oh.remove(p);
                s.headings_right += 1;
            }
        }
    }
    // Residue.
    for a in &out.articles {
        for b in a.all_blocks() {
            s.residue_letter_spaced += letter_spaced_runs(&b.text);
            if matches!(b.kind.as_str(), "title" | "heading" | "subtitle" | "kicker") {
                let cs: Vec<char> = b.text.chars().filter(|c| !c.is_whitespace()).collect();
                if let Some(u) = doubled::decompose(&cs) {
                    if u.iter().any(|x| x.1 >= 2) && u.len() >= 2 || u.iter().any(|x| x.1 >= 3) {
                        s.residue_doubled += 1;
                    }
                }
            }
            if b.kind.as_str() == "paragraph" {
                let cs: Vec<char> = b.text.chars().collect();
                s.residue_hyphens += cs
                    .windows(4)
                    .filter(|w| {
                        w[0].is_lowercase() && w[1] == '-' && w[2] == ' ' && w[3].is_lowercase()
                    })
                    .count();
            }
        }
    }
    // Missing characters.
    let mut have: HashMap<char, isize> = HashMap::new();
    for a in &out.articles {
        let inferred = a
            .place
            .is_none()
            .then(|| a.inferred_place.clone())
            .flatten();
        for t in a.all_blocks().map(|b| b.text.clone()).chain(inferred) {
            for c in t.nfkc().filter(|c| !c.is_whitespace()) {
                *have.entry(c).or_default() += 1;
            }
        }
    }
    for a in &gold.articles {
        let texts = a
            .blocks
            .iter()
            .map(|b| b.text.clone())
            .chain(a.title.clone())
            .chain(a.byline.clone())
            .chain(a.place.clone());
        for t in texts {
            for c in t.nfkc().filter(|c| !c.is_whitespace()) {
                let e = have.entry(c).or_default();
                *e -= 1;
                if *e < 0 {
                    s.missing_chars += 1;
                }
            }
        }
    }
    s
}

/// Runs of three or more single CJK characters separated by spaces.
pub fn letter_spaced_runs(text: &str) -> usize {
    let toks: Vec<&str> = text
        .split(chars::is_space)
        .filter(|t| !t.is_empty())
        .collect();
    let mut runs = 0;
    let mut n = 0;
    for t in toks {
        let mut cs = t.chars();
        let single = matches!((cs.next(), cs.next()), (Some(c), None) if chars::is_wide(c));
        if single {
            n += 1;
            if n == 3 {
                runs += 1;
            }
        } else {
            n = 0;
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
