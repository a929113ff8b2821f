//! Fitting the page model from gold pages (`galley fit`), and scoring directories of them.
//!
//! A training page is a page text `NAME.EXTRACTOR.txt` (or `NAME.txt`) beside its gold
//! `NAME.gold.json` (the format of `galley eval`). Line roles come from aligning the gold to the
//! repaired lines: a line found at the start of a gold paragraph starts a paragraph, one found
//! inside it continues it, one found in a title, kicker, subtitle, heading or byline has that
//! role. Lines that cannot be aligned (extraction damage) are left free in training.
//!
//! Fitting is deterministic: pages are read in path order, the perceptron passes over them in
//! that order, weights are written rounded. Cross-validation holds out every extractor's text of
//! a page together, so no page is scored by a model that saw any version of it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use crate::classify::model::{Label, LABELS, TEMPLATES};
use crate::eval::{self, Gold, Scores};
use crate::grammar::{Choice, Profiles};
use crate::model::{self, Example, Model};
use crate::{parse, repair, source, Options};

/// Perceptron passes over the training pages (chosen by cross-validation on the dev pages: 8, 12
/// and 20 passes were compared; 20 scored best on five of the six rows).
pub const EPOCHS: usize = 20;

/// An error reading training pages.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FitError {
    /// A file could not be read.
    #[error("could not read `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A gold file is not valid gold JSON.
    #[error("`{path}` is not a gold file: {message}")]
    Gold {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// No page with a gold file was found.
    #[error("no page with a gold file (NAME.txt or NAME.EXTRACTOR.txt beside NAME.gold.json) in `{0}`")]
    Empty(PathBuf),
}

/// A page text with its gold.
#[derive(Debug)]
pub struct GoldPage {
    /// The page file.
    pub path: PathBuf,
    /// The page's name without extractor (`zh-01`): the cross-validation group.
    pub group: String,
    /// The extractor (`pdfminer`), or `text`.
    pub extractor: String,
    /// The page text (decoded).
    pub text: String,
    /// The gold.
    pub gold: Gold,
    /// Hand labels of line roles (`NAME.lines.tsv`), for pages labelled line by line instead of
    /// with gold articles (real OCR pages): such pages train the model but are not scored as
    /// articles.
    pub line_labels: Option<std::collections::BTreeMap<usize, String>>,
}

impl GoldPage {
    /// Is the page Chinese (CJK) text?
    pub fn cjk(&self) -> bool {
        parse::is_cjk_page(&self.text)
    }
}

/// Read gold JSON: a gold file, or galley's own `clean --format json` output (corrected by hand
/// into gold), whose first page's articles are taken.
pub fn read_gold(path: &Path) -> Result<Gold, FitError> {
    let text = std::fs::read_to_string(path).map_err(|source| FitError::Read {
        path: path.to_owned(),
        source,
    })?;
    Gold::from_json(&text).map_err(|e| FitError::Gold {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Every page text under `dir` (recursively) with a gold file beside it, in path order.
pub fn load_dir(dir: &Path) -> Result<Vec<GoldPage>, FitError> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = path.parent().unwrap_or(Path::new("."));
        let (group, extractor) = match stem.rsplit_once('.') {
            Some((g, e))
                if parent.join(format!("{g}.gold.json")).exists()
                    || parent.join(format!("{g}.lines.tsv")).exists() =>
            {
                (g.to_owned(), e.to_owned())
            }
            _ => (stem.clone(), "text".to_owned()),
        };
        let gold_path = parent.join(format!("{group}.gold.json"));
        let labels_path = parent.join(format!("{group}.lines.tsv"));
        if !gold_path.exists() && labels_path.exists() {
            out.push(labelled_page(&path, &labels_path, &group, &extractor)?);
            continue;
        }
        if !gold_path.exists() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| FitError::Read {
            path: path.clone(),
            source,
        })?;
        let text = source::decode(&bytes, usize::MAX).map_err(|e| FitError::Gold {
            path: path.clone(),
            message: e.to_string(),
        })?;
        out.push(GoldPage {
            gold: read_gold(&gold_path)?,
            path,
            group,
            extractor,
            text,
            line_labels: None,
        });
    }
    if out.is_empty() {
        return Err(FitError::Empty(dir.to_owned()));
    }
    Ok(out)
}

/// A page labelled line by line: `LINE<TAB>LABEL[ ?]<TAB>TEXT` rows (fixtures/chronam-labels).
fn labelled_page(path: &Path, labels: &Path, group: &str, extractor: &str) -> Result<GoldPage, FitError> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|source| FitError::Read {
            path: p.to_owned(),
            source,
        })
    };
    let text = read(path)?;
    let mut map = std::collections::BTreeMap::new();
    for (i, row) in read(labels)?.lines().enumerate() {
        let mut cols = row.split('\t');
        let (Some(no), Some(label)) = (cols.next(), cols.next()) else {
            continue;
        };
        let no: usize = no.trim().parse().map_err(|_| FitError::Gold {
            path: labels.to_owned(),
            message: format!("line {}: `{no}` is not a line number", i + 1),
        })?;
        let label = label.trim_end_matches('?').trim();
        if !matches!(label, "P" | "C" | "T" | "D" | "S" | "B" | "F" | "N") {
            return Err(FitError::Gold {
                path: labels.to_owned(),
                message: format!("line {}: unknown label `{label}`", i + 1),
            });
        }
        map.insert(no, label.to_owned());
    }
    Ok(GoldPage {
        path: path.to_owned(),
        group: group.to_owned(),
        extractor: extractor.to_owned(),
        text,
        gold: Gold { articles: Vec::new() },
        line_labels: Some(map),
    })
}

/// Model labels from hand labels of lines: a `C` continues whatever the line before it was.
fn labelled(line_numbers: &[usize], labels: &std::collections::BTreeMap<usize, String>) -> Vec<Option<usize>> {
    let mut prev: Option<Label> = None;
    line_numbers
        .iter()
        .map(|n| {
            let y = labels.get(n).and_then(|l| match l.as_str() {
                "P" => Some(Label::Start),
                "T" => Some(Label::Title),
                "D" => Some(Label::Subtitle),
                "S" => Some(Label::Heading),
                "B" => Some(Label::Byline),
                "F" | "N" => Some(Label::Other),
                "C" => Some(match prev {
                    Some(Label::Title | Label::TitleMore) => Label::TitleMore,
                    Some(Label::Start | Label::Body) | None => Label::Body,
                    Some(p) => p,
                }),
                _ => None,
            });
            prev = y;
            y.map(Label::index)
        })
        .collect()
}

/// Normalise for alignment: NFKC, no white space, no soft hyphens.
fn key(s: &str) -> Vec<char> {
    s.nfkc()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect()
}

struct Element {
    label: Label,
    paragraph: bool,
    text: Vec<char>,
}

fn elements(gold: &Gold) -> Vec<Element> {
    let mut out = Vec::new();
    let mut push = |label: Label, paragraph: bool, t: &Option<String>| {
        if let Some(t) = t {
            let text = key(t);
            if !text.is_empty() {
                out.push(Element {
                    label,
                    paragraph,
                    text,
                });
            }
        }
    };
    for a in &gold.articles {
        push(Label::Other, false, &a.place);
        push(Label::Kicker, false, &a.kicker);
        push(Label::Title, false, &a.title);
        push(Label::Subtitle, false, &a.subtitle);
        push(Label::Byline, false, &a.byline);
        push(Label::Other, false, &a.jump);
        for b in &a.blocks {
            let para = b.kind != "heading";
            let label = if para { Label::Start } else { Label::Heading };
            push(label, para, &Some(b.text.clone()));
        }
    }
    out
}

fn find(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// The gold role of each line (`None`: the line could not be aligned).
pub fn align(lines: &[String], gold: &Gold) -> Vec<Option<usize>> {
    let els = elements(gold);
    let mut out = Vec::with_capacity(lines.len());
    // The element the previous line was found in, and where its text ended there.
    let mut prev: Option<(usize, usize)> = None;
    for line in lines {
        let mut s = key(line);
        while s.last().is_some_and(|&c| matches!(c, '-' | '¬' | '⸗')) {
            s.pop();
        }
        let found = locate(&els, &s, prev);
        let found = found.or_else(|| {
            // Damaged lines (a byline glued on, a doubled run left): the start, then the end.
            let n = s.len().min(6);
            (s.len() > n)
                .then(|| locate(&els, &s[..n], prev).or_else(|| locate(&els, &s[s.len() - n..], prev)))
                .flatten()
        });
        match found {
            Some((e, at, len)) => {
                let el = &els[e];
                let label = match (el.paragraph, el.label, at) {
                    (true, _, 0) => Label::Start,
                    (true, _, _) => Label::Body,
                    // A title line that holds the title's start (after a place tag) is its first.
                    (false, Label::Title, 1..) if !holds_start(&s, &el.text) => Label::TitleMore,
                    (false, l, _) => l,
                };
                out.push(Some(label.index()));
                prev = Some((e, at + len));
            }
            None => {
                out.push(None);
                prev = None;
            }
        }
    }
    out
}

/// Does the line hold the first characters of `text`?
fn holds_start(line: &[char], text: &[char]) -> bool {
    let n = text.len().min(4);
    find(line, &text[..n], 0).is_some()
}

/// Where the line's text is in the gold: (element, offset, length).
fn locate(els: &[Element], s: &[char], prev: Option<(usize, usize)>) -> Option<(usize, usize, usize)> {
    if s.is_empty() {
        return None;
    }
    // A field printed alone on the line.
    if let Some(e) = els.iter().position(|e| !e.paragraph && e.text == s) {
        return Some((e, 0, s.len()));
    }
    // The text goes on where the previous line stopped (a hyphen of a compound may sit between).
    if let Some((e, at)) = prev {
        let t = &els[e].text;
        let at2 = if t.get(at) == Some(&'-') && s.first() != Some(&'-') {
            at + 1
        } else {
            at
        };
        if t.len() >= at2 + s.len() && t[at2..at2 + s.len()] == *s {
            return Some((e, at2, s.len()));
        }
    }
    // The start of an element, then anywhere in one (short strings only as whole fields).
    if let Some(e) = els.iter().position(|e| e.text.starts_with(s)) {
        return Some((e, 0, s.len()));
    }
    if s.len() < 4 {
        return None;
    }
    els.iter()
        .enumerate()
        .find_map(|(i, e)| find(&e.text, s, 0).map(|at| (i, at, s.len())))
}

/// The training sequence of a page: its lines' features and aligned roles.
pub fn example(page: &GoldPage, choice: &Choice) -> Option<Example> {
    let opts = Options::default();
    let pages = source::pages(&page.text);
    let p = pages.into_iter().next()?;
    let (g, _) = choice.for_page(&p.text);
    let shapes = parse::lines(&p, g);
    let repairs = repair::fixes(&p, &shapes, g, &opts);
    let ml = crate::classify::model_lines(&p, &shapes, &repairs, g, &opts)?;
    let gold = match &page.line_labels {
        Some(labels) => labelled(&ml.line_numbers, labels),
        None => align(&ml.texts, &page.gold),
    };
    Some(Example {
        gold,
        feats: ml.feats,
        allowed: ml.allowed,
    })
}

/// Fit the line model of one script from its pages.
pub fn fit_pages(pages: &[&GoldPage], name: &str) -> Model {
    let choice = Choice::Auto(Profiles::builtin());
    let examples: Vec<Example> = pages.iter().filter_map(|p| example(p, &choice)).collect();
    let mut m = model::fit(LABELS, TEMPLATES, &examples, EPOCHS);
    let aligned: usize = examples
        .iter()
        .map(|e| e.gold.iter().filter(|g| g.is_some()).count())
        .sum();
    let total: usize = examples.iter().map(|e| e.gold.len()).sum();
    m.notes = vec![
        format!("model {name}: {} pages, {aligned} of {total} lines aligned to gold, {EPOCHS} passes", pages.len()),
    ];
    m
}

/// The profiles with a model set for every grammar.
pub fn choice_with(model: Option<Arc<Model>>) -> Choice {
    let mut p = Profiles::builtin();
    for g in &mut p.grammars {
        g.model = Some(model.clone());
    }
    Choice::Auto(p)
}

/// Clean one gold page with `choice` and score it.
pub fn score_page(page: &GoldPage, choice: &Choice) -> Scores {
    let pages = source::pages(&page.text);
    let Some(p) = pages.into_iter().next() else {
        return Scores::default();
    };
    let r = crate::clean_page_with(p, choice, &Options::default());
    eval::score(&page.gold, &r)
}

/// One row of a scores table: a page (or a mean over pages).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Row {
    /// Page group (`zh-01`) or `MEAN`.
    pub page: String,
    /// `zh` or `en`.
    pub lang: String,
    /// Extractor or `all`.
    pub extractor: String,
    /// Pages in the row.
    pub pages: usize,
    /// Mean paragraph F1.
    pub paragraph_f1: f64,
    /// Mean grouping F1.
    pub grouping_f1: f64,
    /// Titles right / gold articles.
    pub titles: f64,
    /// Bylines right / gold articles.
    pub bylines: f64,
    /// Letter-spaced runs left per page.
    pub letter_spaced: f64,
    /// Doubled runs left per page.
    pub doubled: f64,
    /// Line-end hyphens left per page.
    pub hyphens: f64,
    /// Gold characters lost per page.
    pub lost: f64,
}

/// Per-page rows, then MEAN rows per language and per language × extractor.
pub fn table(scored: &[(&GoldPage, Scores)]) -> Vec<Row> {
    let row = |name: &str, lang: &str, ex: &str, items: &[&(&GoldPage, Scores)]| {
        let n = items.len().max(1) as f64;
        let arts: usize = items.iter().map(|(_, s)| s.articles).sum::<usize>().max(1);
        Row {
            page: name.to_owned(),
            lang: lang.to_owned(),
            extractor: ex.to_owned(),
            pages: items.len(),
            paragraph_f1: items.iter().map(|(_, s)| s.paragraph_f1).sum::<f64>() / n,
            grouping_f1: items.iter().map(|(_, s)| s.grouping_f1).sum::<f64>() / n,
            titles: items.iter().map(|(_, s)| s.titles_right).sum::<usize>() as f64 / arts as f64,
            bylines: items.iter().map(|(_, s)| s.bylines_right).sum::<usize>() as f64
                / arts as f64,
            letter_spaced: items.iter().map(|(_, s)| s.residue_letter_spaced).sum::<usize>()
                as f64
                / n,
            doubled: items.iter().map(|(_, s)| s.residue_doubled).sum::<usize>() as f64 / n,
            hyphens: items.iter().map(|(_, s)| s.residue_hyphens).sum::<usize>() as f64 / n,
            lost: items.iter().map(|(_, s)| s.missing_chars).sum::<usize>() as f64 / n,
        }
    };
    let lang = |p: &GoldPage| if p.cjk() { "zh" } else { "en" };
    let mut rows: Vec<Row> = scored
        .iter()
        .map(|x| row(&x.0.group, lang(x.0), &x.0.extractor, &[x]))
        .collect();
    let mut keys: Vec<(String, String)> = scored
        .iter()
        .map(|(p, _)| (lang(p).to_owned(), p.extractor.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    let mut langs: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
    langs.dedup();
    for l in &langs {
        let items: Vec<&(&GoldPage, Scores)> = scored.iter().filter(|(p, _)| lang(p) == l).collect();
        rows.push(row("MEAN", l, "all", &items));
        for (kl, ke) in keys.iter().filter(|k| &k.0 == l) {
            let items: Vec<&(&GoldPage, Scores)> = scored
                .iter()
                .filter(|(p, _)| lang(p) == kl && &p.extractor == ke)
                .collect();
            rows.push(row("MEAN", l, ke, &items));
        }
    }
    rows
}

/// Print a table the way `../shared/eval/run.sh` does.
pub fn format_table(rows: &[Row], means_only: bool) -> String {
    let mut s = format!(
        "{:<8} {:<4} {:<11} {:>5} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
        "page", "lang", "extractor", "pages", "par_f1", "grp_f1", "title", "byline", "lspace", "double", "hyph", "lost"
    );
    for r in rows.iter().filter(|r| !means_only || r.page == "MEAN") {
        s.push_str(&format!(
            "{:<8} {:<4} {:<11} {:>5} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3}\n",
            r.page, r.lang, r.extractor, r.pages, r.paragraph_f1, r.grouping_f1, r.titles, r.bylines,
            r.letter_spaced, r.doubled, r.hyphens, r.lost
        ));
    }
    s
}

/// The fitted models: (zh, en); `None` where the pages hold no text of that script.
pub fn fit_all(pages: &[GoldPage]) -> (Option<Model>, Option<Model>) {
    let zh: Vec<&GoldPage> = pages.iter().filter(|p| p.cjk()).collect();
    let en: Vec<&GoldPage> = pages.iter().filter(|p| !p.cjk()).collect();
    (
        (!zh.is_empty()).then(|| fit_pages(&zh, "zh")),
        (!en.is_empty()).then(|| fit_pages(&en, "en")),
    )
}

/// Confusion counts of line labels on held-out pages: `[gold][predicted]`.
pub type Confusion = Vec<Vec<usize>>;

/// Line labels of held-out pages against their aligned gold, per script (zh, en).
pub fn cross_validate_lines(pages: &[GoldPage], k: usize) -> (Confusion, Confusion) {
    let n = LABELS.len();
    let (mut zh, mut en) = (vec![vec![0; n]; n], vec![vec![0; n]; n]);
    let choice = Choice::Auto(Profiles::builtin());
    let mut groups: Vec<&str> = pages.iter().map(|p| p.group.as_str()).collect();
    groups.sort();
    groups.dedup();
    let fold_of = |p: &GoldPage| groups.iter().position(|g| *g == p.group).unwrap_or(0) % k.max(1);
    for fold in 0..k.max(1) {
        for cjk in [true, false] {
            let train: Vec<&GoldPage> = pages
                .iter()
                .filter(|p| fold_of(p) != fold && p.cjk() == cjk)
                .collect();
            if train.is_empty() {
                continue;
            }
            let m = fit_pages(&train, "cv");
            for p in pages.iter().filter(|p| fold_of(p) == fold && p.cjk() == cjk) {
                let Some(ex) = example(p, &choice) else { continue };
                let pred = m.decode(&ex.feats, &|i, y| ex.may(i, y));
                let c = if cjk { &mut zh } else { &mut en };
                for (g, y) in ex.gold.iter().zip(pred) {
                    if let Some(g) = g {
                        c[*g][y] += 1;
                    }
                }
            }
        }
    }
    (zh, en)
}

/// A confusion table with per-label recall and precision.
pub fn format_confusion(c: &Confusion) -> String {
    let mut s = format!("{:>6}", "gold\\");
    for l in LABELS {
        s.push_str(&format!("{l:>7}"));
    }
    s.push_str("  recall\n");
    for (g, row) in c.iter().enumerate() {
        s.push_str(&format!("{:>6}", LABELS[g]));
        for x in row {
            s.push_str(&format!("{x:>7}"));
        }
        let tot: usize = row.iter().sum();
        s.push_str(&format!("  {:.3}\n", row[g] as f64 / tot.max(1) as f64));
    }
    s.push_str(&format!("{:>6}", "prec"));
    for y in 0..c.len() {
        let tot: usize = c.iter().map(|r| r[y]).sum();
        s.push_str(&format!("{:>7.3}", c[y][y] as f64 / tot.max(1) as f64));
    }
    s.push('\n');
    s
}

/// k-fold cross-validation: pages are grouped by name (all extractors of a page in one fold),
/// groups dealt to folds in name order; every page is scored by models fitted without its group.
pub fn cross_validate(pages: &[GoldPage], k: usize) -> Vec<(&GoldPage, Scores)> {
    let mut groups: Vec<&str> = pages.iter().map(|p| p.group.as_str()).collect();
    groups.sort();
    groups.dedup();
    let fold_of = |p: &GoldPage| groups.iter().position(|g| *g == p.group).unwrap_or(0) % k.max(1);
    let mut out: Vec<(&GoldPage, Scores)> = Vec::new();
    for fold in 0..k.max(1) {
        let train: Vec<&GoldPage> = pages.iter().filter(|p| fold_of(p) != fold).collect();
        let test: Vec<&GoldPage> = pages.iter().filter(|p| fold_of(p) == fold).collect();
        if test.is_empty() {
            continue;
        }
        let zh: Vec<&GoldPage> = train.iter().copied().filter(|p| p.cjk()).collect();
        let en: Vec<&GoldPage> = train.iter().copied().filter(|p| !p.cjk()).collect();
        let zh = (!zh.is_empty()).then(|| Arc::new(fit_pages(&zh, "zh")));
        let en = (!en.is_empty()).then(|| Arc::new(fit_pages(&en, "en")));
        let (czh, cen) = (choice_with(zh), choice_with(en));
        for p in test.into_iter().filter(|p| p.line_labels.is_none()) {
            let c = if p.cjk() { &czh } else { &cen };
            out.push((p, score_page(p, c)));
        }
    }
    out.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    out
}
