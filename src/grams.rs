//! Lexical fingerprints of text: sets of character bigrams (Han) and lowercased words (Latin),
//! with TF-IDF cosine and title-to-body affinity. Used by `classify` (bodies continued across a
//! break) and by `stitch` (which title fits which body); it sits below both stages.

use crate::parse::chars;

/// A set of grams: sorted and deduplicated, so that unions, intersections and TF-IDF are merge
/// walks over vectors rather than hashing (stitching is the hot stage on large pages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grams(pub(crate) Vec<u64>);

impl Grams {
    pub(crate) fn from_vec(mut v: Vec<u64>) -> Grams {
        v.sort_unstable();
        v.dedup();
        Grams(v)
    }

    /// The union of several sets.
    pub(crate) fn union<'a>(sets: impl Iterator<Item = &'a Grams>) -> Grams {
        Grams::from_vec(sets.flat_map(|g| g.0.iter().copied()).collect())
    }

    pub(crate) fn contains(&self, g: u64) -> bool {
        self.0.binary_search(&g).is_ok()
    }

    /// Grams both sets hold.
    pub fn overlap(&self, other: &Grams) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].cmp(&other.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// Number of grams.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No grams?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Character bigrams of Han text and lowercased words of Latin text, hashed.
pub fn grams(text: &str) -> Grams {
    Grams::from_vec(gram_list(text))
}

/// Every gram of `text` in order, repeats included.
fn gram_list(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut prev: Option<char> = None;
    let mut word = String::new();
    for c in text.chars() {
        if chars::is_cjk(c) {
            if let Some(p) = prev {
                out.push(((p as u64) << 32) | c as u64);
            }
            prev = Some(c);
        } else {
            prev = None;
        }
        if chars::is_word_char(c) {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            push_word(&mut out, &mut word);
        }
    }
    push_word(&mut out, &mut word);
    out
}

fn push_word(out: &mut Vec<u64>, word: &mut String) {
    if word.chars().count() >= 4 {
        let mut h: u64 = 0xcbf29ce484222325;
        for b in word.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
        out.push(h | (1 << 63));
    }
    word.clear();
}

/// TF-IDF over the paragraphs of a page: bigrams common to the whole page weigh nothing.
pub(crate) struct Tfidf {
    /// (gram, idf), sorted by gram.
    idf: Vec<(u64, f64)>,
}

/// Sorted (gram, count) pairs of a sorted list with repeats.
fn run_lengths(sorted: &[u64]) -> Vec<(u64, f64)> {
    let mut out: Vec<(u64, f64)> = Vec::new();
    for &g in sorted {
        match out.last_mut() {
            Some((h, n)) if *h == g => *n += 1.0,
            _ => out.push((g, 1.0)),
        }
    }
    out
}

impl Tfidf {
    pub(crate) fn new<'a>(paras: impl Iterator<Item = &'a Grams>) -> Tfidf {
        let mut n = 0.0;
        let mut all = Vec::new();
        for p in paras {
            n += 1.0;
            all.extend_from_slice(&p.0);
        }
        all.sort_unstable();
        let idf = run_lengths(&all)
            .into_iter()
            // ln((n+1)/d), not ln(n/d): on a page of few paragraphs a word shared by all of them
            // is still evidence that two parts belong together.
            .map(|(g, d)| (g, ((n + 1.0) / d).ln()))
            .collect();
        Tfidf { idf }
    }

    /// TF-IDF weights of a text, sorted by gram.
    fn vector(&self, text: &str) -> Vec<(u64, f64)> {
        let mut list = gram_list(text);
        list.sort_unstable();
        let mut tf = run_lengths(&list);
        // Merge walk with the idf table (both sorted).
        let mut j = 0;
        for (g, w) in tf.iter_mut() {
            while j < self.idf.len() && self.idf[j].0 < *g {
                j += 1;
            }
            *w *= if j < self.idf.len() && self.idf[j].0 == *g {
                self.idf[j].1
            } else {
                0.0
            };
        }
        tf
    }

    /// Cosine similarity of two texts.
    pub(crate) fn cosine(&self, a: &str, b: &str) -> f64 {
        let (va, vb) = (self.vector(a), self.vector(b));
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < va.len() && j < vb.len() {
            match va[i].0.cmp(&vb[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += va[i].1 * vb[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let na: f64 = va.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        let nb: f64 = vb.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        if na == 0.0 || nb == 0.0 {
            0.0
        } else {
            dot / (na * nb)
        }
    }
}

/// Share of the title's grams found in the body.
pub(crate) fn affinity(title: &Grams, body: &Grams) -> f64 {
    if title.is_empty() {
        return 0.0;
    }
    title.0.iter().filter(|&&g| body.contains(g)).count() as f64 / title.len() as f64
}
