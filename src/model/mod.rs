//! A linear-chain sequence model over the lines of a page, with weights as data.
//!
//! Each line gets one label of a small set by Viterbi decoding over the whole page: the score of
//! a labelling is the sum of the weights of every (feature, label) pair of every line plus the
//! weights of every label transition. The weights are fitted by an averaged structured perceptron
//! (Collins 2002), chosen over a CRF because it needs no numerical optimiser, no crate beyond the
//! standard library, trains deterministically in one pass order and gives readable, diffable
//! weight files that `galley fit` reproduces byte for byte.
//!
//! Features are `u64` keys (a template number in the high bits, a value below), computed without
//! allocation on the hot path; the weight file spells each key as `template=value` so that a
//! reader can see what the model learnt (`grammars/model-zh.weights`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rustc_hash::FxHashMap;

/// A feature key: `template << 40 | value`.
pub type Feat = u64;

/// Build a feature key from a template number and a value.
pub const fn feat(template: u16, value: u64) -> Feat {
    ((template as u64) << 40) | (value & 0xff_ffff_ffff)
}

/// The template number of a key.
pub const fn template_of(f: Feat) -> u16 {
    (f >> 40) as u16
}

/// The value of a key.
pub const fn value_of(f: Feat) -> u64 {
    f & 0xff_ffff_ffff
}

/// An error reading a weight file.
#[derive(Debug, thiserror::Error)]
#[error("{name}:{line}: {message}")]
#[non_exhaustive]
pub struct ModelError {
    /// The model's name or path.
    pub name: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Fitted weights of a linear-chain model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Label names, in index order.
    pub labels: Vec<String>,
    /// Template names, in template-number order.
    pub templates: Vec<String>,
    /// Emission weights: per feature, one weight per label.
    pub emit: FxHashMap<Feat, Vec<f32>>,
    /// Transition weights: `trans[from][to]`, `from == labels.len()` is the page start.
    pub trans: Vec<Vec<f32>>,
    /// Header lines kept verbatim (what the model was fitted on).
    pub notes: Vec<String>,
}

impl Model {
    /// An empty model (all weights zero).
    pub fn empty(labels: &[&str], templates: &[&str]) -> Model {
        let n = labels.len();
        Model {
            labels: labels.iter().map(|s| s.to_string()).collect(),
            templates: templates.iter().map(|s| s.to_string()).collect(),
            emit: FxHashMap::default(),
            trans: vec![vec![0.0; n]; n + 1],
            notes: Vec::new(),
        }
    }

    /// Number of labels.
    pub fn n_labels(&self) -> usize {
        self.labels.len()
    }

    /// Emission scores of one line.
    fn scores(&self, feats: &[Feat], out: &mut [f32]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        for f in feats {
            if let Some(w) = self.emit.get(f) {
                for (o, x) in out.iter_mut().zip(w) {
                    *o += x;
                }
            }
        }
    }

    /// The best labelling of a sequence (Viterbi). `allowed(i, label)` restricts labels.
    pub fn decode(&self, seq: &[Vec<Feat>], allowed: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
        let n = self.n_labels();
        let len = seq.len();
        if len == 0 {
            return Vec::new();
        }
        let mut delta = vec![f32::NEG_INFINITY; len * n];
        let mut back = vec![0usize; len * n];
        let mut em = vec![0.0f32; n];
        for (i, feats) in seq.iter().enumerate() {
            self.scores(feats, &mut em);
            for y in 0..n {
                if !allowed(i, y) {
                    continue;
                }
                if i == 0 {
                    delta[y] = self.trans[n][y] + em[y];
                    continue;
                }
                let mut best = (f32::NEG_INFINITY, 0);
                for p in 0..n {
                    let s = delta[(i - 1) * n + p] + self.trans[p][y];
                    if s > best.0 {
                        best = (s, p);
                    }
                }
                delta[i * n + y] = best.0 + em[y];
                back[i * n + y] = best.1;
            }
        }
        let mut y = (0..n)
            .max_by(|&a, &b| {
                delta[(len - 1) * n + a]
                    .partial_cmp(&delta[(len - 1) * n + b])
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.cmp(&a))
            })
            .unwrap_or(0);
        let mut out = vec![0; len];
        for i in (0..len).rev() {
            out[i] = y;
            y = back[i * n + y];
        }
        out
    }

    /// Name a feature key `template=value`.
    pub fn feature_name(&self, f: Feat) -> String {
        let t = template_of(f) as usize;
        let name = self.templates.get(t).map(String::as_str).unwrap_or("?");
        format!("{name}={}", value_of(f))
    }

    /// The weight file: header, transitions, then features sorted by name, zero weights left out.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        s.push_str("# galley line model: written by `galley fit`, do not edit by hand.\n");
        s.push_str("# Emission lines: `feature template=value` then label:weight pairs;\n");
        s.push_str("# transitions: `trans FROM` then label:weight pairs (FROM ^ = page start).\n");
        for n in &self.notes {
            let _ = writeln!(s, "# {n}");
        }
        let _ = writeln!(s, "labels {}", self.labels.join(" "));
        let _ = writeln!(s, "templates {}", self.templates.join(" "));
        let nl = self.n_labels();
        for from in 0..=nl {
            let name = if from == nl { "^" } else { &self.labels[from] };
            let _ = write!(s, "trans {name}");
            for (to, w) in self.trans[from].iter().enumerate() {
                if *w != 0.0 {
                    let _ = write!(s, " {}:{}", self.labels[to], fmt_w(*w));
                }
            }
            s.push('\n');
        }
        let mut feats: BTreeMap<(u16, u64), &Vec<f32>> = BTreeMap::new();
        for (f, w) in &self.emit {
            if w.iter().any(|x| fmt_w(*x) != "0") {
                feats.insert((template_of(*f), value_of(*f)), w);
            }
        }
        for ((t, v), w) in feats {
            let _ = write!(s, "feature {}={v}", self.templates[t as usize]);
            for (y, x) in w.iter().enumerate() {
                if fmt_w(*x) != "0" {
                    let _ = write!(s, " {}:{}", self.labels[y], fmt_w(*x));
                }
            }
            s.push('\n');
        }
        s
    }

    /// Read a weight file. Templates are matched by name to `templates` (the code's feature
    /// set): a file naming a template the code does not compute is an error.
    pub fn from_text(name: &str, text: &str, templates: &[&str]) -> Result<Model, ModelError> {
        let err = |line: usize, message: String| ModelError {
            name: name.to_owned(),
            line,
            message,
        };
        let mut labels: Vec<String> = Vec::new();
        let mut model: Option<Model> = None;
        for (i, raw) in text.lines().enumerate() {
            let no = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let head = words.next().unwrap_or("");
            match head {
                "labels" => {
                    labels = words.map(str::to_owned).collect();
                }
                "templates" => {
                    for t in words {
                        if !templates.contains(&t) {
                            return Err(err(no, format!("unknown feature template `{t}`")));
                        }
                    }
                    let ls: Vec<&str> = labels.iter().map(String::as_str).collect();
                    if ls.is_empty() {
                        return Err(err(no, "`templates` before `labels`".into()));
                    }
                    model = Some(Model::empty(&ls, templates));
                }
                "trans" | "feature" => {
                    let m = model
                        .as_mut()
                        .ok_or_else(|| err(no, "weights before `labels` and `templates`".into()))?;
                    let key = words
                        .next()
                        .ok_or_else(|| err(no, format!("`{head}` needs a name")))?;
                    let mut w = vec![0.0f32; m.n_labels()];
                    for pair in words {
                        let (l, x) = pair.split_once(':').ok_or_else(|| {
                            err(no, format!("expected label:weight, got `{pair}`"))
                        })?;
                        let y = m
                            .labels
                            .iter()
                            .position(|s| s == l)
                            .ok_or_else(|| err(no, format!("unknown label `{l}`")))?;
                        w[y] = x
                            .parse()
                            .map_err(|_| err(no, format!("bad weight `{x}`")))?;
                    }
                    if head == "trans" {
                        let from = if key == "^" {
                            m.n_labels()
                        } else {
                            m.labels
                                .iter()
                                .position(|s| s == key)
                                .ok_or_else(|| err(no, format!("unknown label `{key}`")))?
                        };
                        m.trans[from] = w;
                    } else {
                        let (t, v) = key.split_once('=').ok_or_else(|| {
                            err(no, format!("expected template=value, got `{key}`"))
                        })?;
                        let t = templates
                            .iter()
                            .position(|s| *s == t)
                            .ok_or_else(|| err(no, format!("unknown feature template `{t}`")))?;
                        let v: u64 = v
                            .parse()
                            .map_err(|_| err(no, format!("bad feature value `{v}`")))?;
                        m.emit.insert(feat(t as u16, v), w);
                    }
                }
                _ => return Err(err(no, format!("unknown directive `{head}`"))),
            }
        }
        model.ok_or_else(|| err(0, "no `labels` and `templates` lines".into()))
    }
}

/// Weights are written with four decimals (enough for decisions, stable across platforms).
fn fmt_w(w: f32) -> String {
    let s = format!("{:.4}", w);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// One training sequence: features and gold labels of each line; `None` labels are unknown
/// (the line could not be aligned) and are free during training.
#[derive(Debug, Clone)]
pub struct Example {
    /// Features per line.
    pub feats: Vec<Vec<Feat>>,
    /// Gold label per line.
    pub gold: Vec<Option<usize>>,
    /// Labels each line may take (bit `y` set: label `y` allowed; empty: every label).
    pub allowed: Vec<u32>,
    /// How much a mistake on this sequence counts (1 for real pages).
    pub weight: f32,
}

impl Example {
    /// May line `i` take label `y`?
    pub fn may(&self, i: usize, y: usize) -> bool {
        self.allowed.get(i).is_none_or(|m| m & (1 << y) != 0)
    }
}

/// Fit an averaged structured perceptron: the mean of `runs` perceptrons, each `epochs` passes
/// over `examples` in its own fixed-seed shuffled order. One perceptron depends on the order it
/// sees pages in; the mean of several scored a little higher cross-validated (see
/// `crate::fit::FIT_RUNS`), though refits still move single rows. Deterministic: the same
/// examples give the same weights.
pub fn fit(
    labels: &[&str],
    templates: &[&str],
    examples: &[Example],
    epochs: usize,
    runs: usize,
) -> Model {
    let seed = |r: u64| 0x9E37_79B9_7F4A_7C15u64 ^ r.wrapping_mul(0xD1B5_4A32_D192_ED03);
    let mut m = fit_once(labels, templates, examples, epochs, seed(0));
    for r in 1..runs.max(1) {
        let o = fit_once(labels, templates, examples, epochs, seed(r as u64));
        for (f, w) in o.emit {
            let e = m.emit.entry(f).or_insert_with(|| vec![0.0; w.len()]);
            for (x, y) in e.iter_mut().zip(&w) {
                *x += y;
            }
        }
        for (row, orow) in m.trans.iter_mut().zip(&o.trans) {
            for (x, y) in row.iter_mut().zip(orow) {
                *x += y;
            }
        }
    }
    let k = runs.max(1) as f32;
    for x in m
        .emit
        .values_mut()
        .flatten()
        .chain(m.trans.iter_mut().flatten())
    {
        *x /= k;
    }
    // Round-trip through text so that a fitted model and a loaded one decide alike.
    let names: Vec<&str> = templates.to_vec();
    Model::from_text("fitted", &m.to_text(), &names).expect("a fitted model reads back")
}

/// One averaged perceptron, its pass order shuffled from `seed`.
fn fit_once(
    labels: &[&str],
    templates: &[&str],
    examples: &[Example],
    epochs: usize,
    seed: u64,
) -> Model {
    let mut m = Model::empty(labels, templates);
    let n = m.n_labels();
    // Averaging with the lazy-update trick: keep sum of (weight * steps) via timestamps.
    let mut acc_emit: FxHashMap<Feat, Vec<f64>> = FxHashMap::default();
    let mut acc_trans = vec![vec![0.0f64; n]; n + 1];
    let mut c = 1.0f64;
    // Each pass visits the sequences in a new order (a fixed-seed shuffle, so fitting stays
    // deterministic): a perceptron that sees the same order every pass overfits its last pages.
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = seed;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for ex in order.iter().map(|&i| &examples[i]) {
            if ex.feats.is_empty() {
                continue;
            }
            // Unknown gold labels take the model's own choice constrained to agree elsewhere.
            let pred = m.decode(&ex.feats, &|i, y| ex.may(i, y));
            let gold: Vec<usize> = {
                // A gold label the constraints forbid leaves its line free.
                let fixed = |i: usize, y: usize| {
                    ex.may(i, y) && ex.gold[i].is_none_or(|g| g == y || !ex.may(i, g))
                };
                m.decode(&ex.feats, &fixed)
            };
            let r = ex.weight;
            if pred != gold {
                for i in 0..pred.len() {
                    let (g, p) = (gold[i], pred[i]);
                    let gprev = if i == 0 { n } else { gold[i - 1] };
                    let pprev = if i == 0 { n } else { pred[i - 1] };
                    if g != p || gprev != pprev {
                        m.trans[gprev][g] += r;
                        m.trans[pprev][p] -= r;
                        acc_trans[gprev][g] += c * r as f64;
                        acc_trans[pprev][p] -= c * r as f64;
                    }
                    if g != p {
                        for f in &ex.feats[i] {
                            let w = m.emit.entry(*f).or_insert_with(|| vec![0.0; n]);
                            w[g] += r;
                            w[p] -= r;
                            let a = acc_emit.entry(*f).or_insert_with(|| vec![0.0; n]);
                            a[g] += c * r as f64;
                            a[p] -= c * r as f64;
                        }
                    }
                }
            }
            c += 1.0;
        }
    }
    // Averaged weights: w - acc / c.
    for (f, w) in m.emit.iter_mut() {
        if let Some(a) = acc_emit.get(f) {
            for (x, s) in w.iter_mut().zip(a) {
                *x = (*x as f64 - s / c) as f32;
            }
        }
    }
    for (row, arow) in m.trans.iter_mut().zip(&acc_trans) {
        for (x, s) in row.iter_mut().zip(arow) {
            *x = (*x as f64 - s / c) as f32;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: [&str; 2] = ["A", "B"];
    const T: [&str; 2] = ["bias", "x"];

    #[test]
    fn learns_a_feature_and_a_transition() {
        // Label B whenever x=1; the label after B is A.
        let ex = |xs: &[u64], ys: &[usize]| Example {
            feats: xs.iter().map(|&x| vec![feat(0, 0), feat(1, x)]).collect(),
            gold: ys.iter().map(|&y| Some(y)).collect(),
            allowed: Vec::new(),
            weight: 1.0,
        };
        let data = vec![
            ex(&[0, 1, 0, 0], &[0, 1, 0, 0]),
            ex(&[1, 0, 1, 0], &[1, 0, 1, 0]),
            ex(&[0, 0, 1], &[0, 0, 1]),
        ];
        let seq: Vec<Vec<Feat>> = [1u64, 0, 0, 1]
            .iter()
            .map(|&x| vec![feat(0, 0), feat(1, x)])
            .collect();
        for runs in [1, 3] {
            let m = fit(&L, &T, &data, 5, runs);
            assert_eq!(
                m.decode(&seq, &|_, _| true),
                vec![1, 0, 0, 1],
                "{runs} runs"
            );
            // Deterministic: the same examples give the same weights.
            assert_eq!(fit(&L, &T, &data, 5, runs).to_text(), m.to_text());
        }
        // The mean of runs: one run's weights differ from the mean of three.
        let one = fit(&L, &T, &data, 5, 1).to_text();
        assert_ne!(fit(&L, &T, &data, 5, 3).to_text(), one);
    }

    #[test]
    fn text_round_trips_and_rejects_unknown_templates() {
        let mut m = Model::empty(&L, &T);
        m.emit.insert(feat(1, 7), vec![0.5, -0.25]);
        m.trans[2][1] = 1.5;
        let text = m.to_text();
        assert!(text.contains("feature x=7 A:0.5 B:-0.25"), "{text}");
        let back = Model::from_text("m", &text, &T).unwrap();
        assert_eq!(back.to_text(), text);
        let err = Model::from_text("m", &text, &["bias"]).unwrap_err();
        assert!(
            err.to_string().contains("unknown feature template `x`"),
            "{err}"
        );
    }

    #[test]
    fn decode_respects_constraints() {
        let mut m = Model::empty(&L, &T);
        m.emit.insert(feat(0, 0), vec![1.0, 0.0]);
        let seq = vec![vec![feat(0, 0)]; 3];
        assert_eq!(m.decode(&seq, &|_, _| true), vec![0, 0, 0]);
        assert_eq!(m.decode(&seq, &|i, y| i != 1 || y == 1), vec![0, 1, 0]);
    }
}
