//! Stage 5 — output: galley text, JSON, JSON Lines, diffs, the review view and the HTML review
//! page, all derived from the articles and the one list of fixes of each page.

pub mod diff;
pub mod html;
pub mod json;
pub mod review;
pub mod text;

use std::collections::BTreeMap;

use crate::fix::Safety;
use crate::Document;

/// Fix counts per code and per safety class.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    /// Pages.
    pub pages: usize,
    /// Articles.
    pub articles: usize,
    /// Fixes per code.
    pub by_code: BTreeMap<String, usize>,
    /// Fixes per safety class.
    pub by_safety: BTreeMap<String, usize>,
}

impl Stats {
    /// Add a document's counts.
    pub fn add(&mut self, d: &Document) {
        for p in &d.pages {
            self.pages += 1;
            self.articles += p.articles.len();
            for f in &p.fixes {
                *self.by_code.entry(f.rule.code.to_owned()).or_default() += 1;
                *self
                    .by_safety
                    .entry(f.safety.as_str().to_owned())
                    .or_default() += 1;
            }
        }
    }

    /// Total fixes.
    pub fn fixes(&self) -> usize {
        self.by_code.values().sum()
    }

    /// Fixes per family (the code's letters).
    pub fn by_family(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for (c, n) in &self.by_code {
            let fam: String = c.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            *m.entry(fam).or_default() += n;
        }
        m
    }

    /// A readable table.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for (c, n) in &self.by_code {
            let r = crate::fix::rule(c);
            out.push_str(&format!(
                "{c:<6} {:<20} {:<8} {n:>6}\n",
                r.map(|r| r.name).unwrap_or(""),
                r.map(|r| r.safety.as_str()).unwrap_or("")
            ));
        }
        for s in [Safety::Review, Safety::Certain] {
            out.push_str(&format!(
                "{:<36} {:>6}\n",
                s.as_str(),
                self.by_safety.get(s.as_str()).copied().unwrap_or(0)
            ));
        }
        out
    }
}
