//! The weights of article assembly: how much each cue counts when a title candidate is scored
//! against a body run. The score is a weighted sum of named features ([`FEATURES`]); the
//! Hungarian assignment maximises the page's total. The weights are data (`grammars/
//! assembly-zh.weights`, `assembly-en.weights`), fitted from gold pages by `galley fit` with an
//! averaged structured perceptron whose decoder is the assignment itself (see
//! [`crate::fit::fit_assembly`]); [`Weights::hand`] are the weights galley used before they were
//! fitted, the starting point of the fit and the answer when no weight file is loaded.

use std::sync::{Arc, OnceLock};

use crate::grammar::Grammar;
use crate::model::ModelError;

/// Feature names, in index order.
pub const FEATURES: &[&str] = &[
    "bias",
    "before_body",
    "before_body_through_1",
    "before_body_through_2",
    "before_body_through_more",
    "stack",
    "after_byline",
    "after_body",
    "place_matches_byline",
    "place_named_in_body",
    "place_other_byline",
    "affinity",
    "best_affinity",
    "lead_affinity",
    "titled",
    "near",
    "idf_affinity",
    "best_idf_affinity",
];

/// Number of features.
pub const N: usize = 18;

/// One (candidate, run) pair's feature values.
pub type Vector = [f64; N];

/// Assembly weights, one per feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Weight per feature, in [`FEATURES`] order.
    pub w: Vector,
    /// Header lines kept verbatim (what the weights were fitted on).
    pub notes: Vec<String>,
}

impl Weights {
    /// The hand-set weights galley used before assembly was fitted.
    pub fn hand() -> Weights {
        let mut w = [0.0; N];
        for (name, v) in [
            ("before_body", 3.0),
            ("before_body_through_1", 2.0),
            ("before_body_through_2", 1.0),
            ("before_body_through_more", 0.5),
            ("stack", 0.5),
            ("after_byline", 2.0),
            ("after_body", 0.8),
            ("place_matches_byline", 2.5),
            ("place_named_in_body", 1.5),
            ("place_other_byline", -1.0),
            ("affinity", 6.0),
        ] {
            w[index(name).expect("a known feature")] = v;
        }
        Weights {
            w,
            notes: Vec::new(),
        }
    }

    /// The score of one pair.
    pub fn score(&self, x: &Vector) -> f64 {
        self.w.iter().zip(x).map(|(w, x)| w * x).sum()
    }

    /// The weights as text: `name weight` per line, in [`FEATURES`] order.
    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# galley assembly weights: written by `galley fit`, do not edit by hand.\n\
             # score(title candidate, body run) = sum of weight x feature (see src/stitch/weights.rs);\n\
             # the page's assignment maximises the total score.\n",
        );
        for n in &self.notes {
            s.push_str(&format!("# {n}\n"));
        }
        for (name, w) in FEATURES.iter().zip(self.w) {
            s.push_str(&format!("{name} {}\n", fmt_w(w)));
        }
        s
    }

    /// Read a weight file. Every feature must be given once; an unknown name is an error.
    pub fn from_text(name: &str, text: &str) -> Result<Weights, ModelError> {
        let err = |line: usize, message: String| ModelError {
            name: name.to_owned(),
            line,
            message,
        };
        let mut w = [0.0; N];
        let mut seen = [false; N];
        let mut notes = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let no = i + 1;
            let line = raw.trim();
            if let Some(note) = line.strip_prefix('#') {
                let note = note.trim();
                if no > 3 && !note.is_empty() {
                    notes.push(note.to_owned());
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            let mut it = line.split_whitespace();
            let (Some(f), Some(v), None) = (it.next(), it.next(), it.next()) else {
                return Err(err(
                    no,
                    format!("expected `feature weight`, found `{line}`"),
                ));
            };
            let k = index(f).ok_or_else(|| {
                err(
                    no,
                    format!(
                        "unknown feature `{f}` (known: {}): fit the weights again",
                        FEATURES.join(" ")
                    ),
                )
            })?;
            if seen[k] {
                return Err(err(no, format!("feature `{f}` given twice")));
            }
            w[k] = v
                .parse()
                .map_err(|_| err(no, format!("`{v}` is not a number")))?;
            seen[k] = true;
        }
        if let Some(k) = seen.iter().position(|s| !s) {
            return Err(err(
                0,
                format!(
                    "feature `{}` is missing: fit the weights again",
                    FEATURES[k]
                ),
            ));
        }
        Ok(Weights { w, notes })
    }
}

/// The index of a feature.
pub fn index(name: &str) -> Option<usize> {
    FEATURES.iter().position(|f| *f == name)
}

/// Weights are written with four decimals, like the line model's.
fn fmt_w(w: f64) -> String {
    let s = format!("{w:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// The shipped weight file of a script: (name, text).
fn source(cjk: bool) -> (&'static str, &'static str) {
    if cjk {
        (
            "assembly-zh.weights",
            include_str!("../../grammars/assembly-zh.weights"),
        )
    } else {
        (
            "assembly-en.weights",
            include_str!("../../grammars/assembly-en.weights"),
        )
    }
}

/// The shipped weights of a script, checked (for tests and `galley fit`).
pub fn shipped(cjk: bool) -> Result<Weights, ModelError> {
    let (name, text) = source(cjk);
    Weights::from_text(name, text)
}

/// The built-in weights of a script, read once. A shipped file that does not parse is a build
/// defect, caught by the tests; at run time it falls back to the hand weights.
fn builtin(cjk: bool) -> Arc<Weights> {
    static ZH: OnceLock<Arc<Weights>> = OnceLock::new();
    static EN: OnceLock<Arc<Weights>> = OnceLock::new();
    let cell = if cjk { &ZH } else { &EN };
    cell.get_or_init(|| Arc::new(shipped(cjk).unwrap_or_else(|_| Weights::hand())))
        .clone()
}

/// The weights a page is assembled with: the grammar's own, else the built-in ones of its
/// script. A page whose line roles the hand rules decided (a snippet too short for the page
/// model) is assembled with the hand weights: the fitted ones were fitted on modelled pages and
/// lean on the model's title labels, which such a page does not have.
pub fn for_page(grammar: &Grammar, cjk: bool, modelled: bool) -> Arc<Weights> {
    static HAND: OnceLock<Arc<Weights>> = OnceLock::new();
    match &grammar.assembly {
        _ if !modelled => HAND.get_or_init(|| Arc::new(Weights::hand())).clone(),
        Some(w) => w.clone(),
        None => builtin(cjk),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_round_trip_and_misspelt_features_are_errors() {
        let w = Weights::hand();
        assert_eq!(FEATURES.len(), N);
        let back = Weights::from_text("t", &w.to_text()).unwrap();
        assert_eq!(back.w, w.w);
        let bad = w.to_text().replace("affinity 6", "afinity 6");
        let e = Weights::from_text("t", &bad).unwrap_err();
        assert!(e.to_string().contains("unknown feature `afinity`"), "{e}");
        let missing = w.to_text().replace("near 0\n", "");
        assert!(Weights::from_text("t", &missing).is_err());
    }

    #[test]
    fn the_shipped_weights_parse() {
        shipped(true).unwrap();
        shipped(false).unwrap();
    }
}
