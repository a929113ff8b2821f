//! Generated pages: clean articles typeset as extractors deliver them (wrapped at varied column
//! widths, first lines shortened or indented, column breaks inside paragraphs, titles after their
//! bylines, bold titles doubled run by run). The pipeline must recover the originals.

mod common;

use common::{corpus_zh, page_zh, Rng};
use galley::grammar::Grammar;
use galley::{clean, eval, Options};

#[test]
fn generated_chinese_pages_are_recovered() {
    let arts = corpus_zh();
    let g = Grammar::default_grammar();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let pages = 40;
    let mut t = Totals::default();
    for i in 0..pages {
        let p = page_zh(&arts, &mut rng);
        let doc = clean("generated", &p.text, &g, &Options::default());
        let s = t.add(i, &p, &doc.pages[0]);
        assert_eq!(
            s.residue_doubled, 0,
            "page {i}: doubled title left\n{}",
            p.text
        );
    }
    let (pf1, grp) = (t.pf1 / pages as f64, t.grp / pages as f64);
    let Totals {
        titles,
        bylines,
        n_art,
        heads,
        n_heads,
        missing,
        ..
    } = t;
    let title_rate = titles as f64 / n_art as f64;
    eprintln!("generated zh: {pages} pages, paragraph F1 {pf1:.3}, grouping F1 {grp:.3}, titles {titles}/{n_art}, bylines {bylines}/{n_art}, headings {heads}/{n_heads}, missing chars {missing}");
    assert_eq!(missing, 0, "characters lost");
    assert!(pf1 >= 0.90, "paragraph F1 {pf1:.3}");
    assert!(grp >= 0.90, "grouping F1 {grp:.3}");
    assert!(title_rate >= 0.80, "titles {titles}/{n_art}");
}

/// Scores summed over generated pages.
#[derive(Default)]
struct Totals {
    pf1: f64,
    grp: f64,
    titles: usize,
    bylines: usize,
    n_art: usize,
    heads: usize,
    n_heads: usize,
    missing: usize,
}

impl Totals {
    /// Check that page `i` lost nothing, score it against its gold and add the scores.
    fn add(&mut self, i: usize, p: &common::Generated, page: &galley::PageResult) -> eval::Scores {
        page.conservation()
            .unwrap_or_else(|e| panic!("page {i}: {e}\n{}", p.text));
        let s = eval::score(&p.gold, page);
        self.pf1 += s.paragraph_f1;
        self.grp += s.grouping_f1;
        self.titles += s.titles_right;
        self.bylines += s.bylines_right;
        self.n_art += s.articles;
        self.heads += s.headings_right;
        self.n_heads += s.headings;
        self.missing += s.missing_chars;
        s
    }
}

#[test]
fn generated_english_pages_are_recovered() {
    let arts = common::corpus_en();
    let g = Grammar::default_grammar();
    let mut rng = Rng(0x5DEECE66D);
    let pages = 30;
    let mut t = Totals::default();
    let (mut hy_ok, mut hy_all) = (0, 0);
    for i in 0..pages {
        let mut breaks = Vec::new();
        let p = common::page_en(&arts, &mut rng, &mut breaks);
        let doc = clean("generated-en", &p.text, &g, &Options::default());
        let page = &doc.pages[0];
        t.add(i, &p, page);
        let out: String = page
            .articles
            .iter()
            .flat_map(|a| a.all_blocks())
            .map(|b| format!(" {} ", b.text))
            .collect();
        for b in &breaks {
            hy_all += 1;
            if out
                .split(|c: char| c.is_whitespace() || ",.;:!?\"'()".contains(c))
                .any(|w| w == b.word.trim_matches(|c: char| !c.is_alphanumeric()))
            {
                hy_ok += 1;
            }
        }
    }
    let (pf1, grp) = (t.pf1 / pages as f64, t.grp / pages as f64);
    let (titles, n_art, missing) = (t.titles, t.n_art, t.missing);
    let hy = hy_ok as f64 / hy_all.max(1) as f64;
    eprintln!("generated en: {pages} pages, paragraph F1 {pf1:.3}, grouping F1 {grp:.3}, titles {titles}/{n_art}, dehyphenation {hy_ok}/{hy_all} = {hy:.3}, missing chars {missing}");
    // A wrong hyphen decision removes a real hyphen (one gold character); nothing else is lost.
    assert!(
        missing <= hy_all - hy_ok,
        "characters lost beyond hyphen decisions: {missing}"
    );
    assert!(hy >= 0.95, "dehyphenation accuracy {hy:.3}");
    assert!(pf1 >= 0.95, "paragraph F1 {pf1:.3}");
}

/// Debugging aid: `GALLEY_LANG=zh|en GALLEY_DUMP=N cargo test --test generated dump -- --ignored
/// --nocapture` prints generated page N, its reconstruction and its scores.
#[test]
#[ignore = "debugging aid"]
fn dump() {
    let n: usize = std::env::var("GALLEY_DUMP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let english = std::env::var("GALLEY_LANG").as_deref() == Ok("en");
    let (arts, mut rng) = if english {
        (common::corpus_en(), Rng(0x5DEECE66D))
    } else {
        (corpus_zh(), Rng(0x9E3779B97F4A7C15))
    };
    let mut breaks = Vec::new();
    let mut page = || {
        if english {
            common::page_en(&arts, &mut rng, &mut breaks)
        } else {
            page_zh(&arts, &mut rng)
        }
    };
    let mut p = page();
    for _ in 0..n {
        p = page();
    }
    let doc = clean(
        "generated",
        &p.text,
        &Grammar::default_grammar(),
        &Options::default(),
    );
    let s = eval::score(&p.gold, &doc.pages[0]);
    eprintln!(
        "{}\n=====\n{}\n=====\n{}",
        p.text,
        galley::render::text::document(&doc),
        s.report()
    );
    for a in &p.gold.articles {
        eprintln!(
            "GOLD title={:?} byline={:?} paragraphs={}",
            a.title,
            a.byline,
            a.blocks.len()
        );
    }
}

/// Training pages for the page model: `cargo test --test generated write_training_pages --
/// --ignored` writes generated pages (other random seeds than the tests above, so that the tests
/// score pages the model never saw) with their gold to `fixtures/generated/`, where `galley fit`
/// reads them beside the dev pages.
#[test]
#[ignore = "writes fixtures/generated"]
fn write_training_pages() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/generated");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: String, p: &common::Generated| {
        std::fs::write(dir.join(format!("{name}.txt")), &p.text).unwrap();
        let gold = serde_json::to_string_pretty(&p.gold).unwrap();
        std::fs::write(dir.join(format!("{name}.gold.json")), gold + "\n").unwrap();
    };
    let (zh, en) = (corpus_zh(), common::corpus_en());
    let mut rng = Rng(0x2545F4914F6CDD1D);
    for i in 0..100 {
        write(format!("gen-zh-{i:03}"), &page_zh(&zh, &mut rng));
    }
    let mut rng = Rng(0xD1B54A32D192ED03);
    for i in 0..60 {
        write(
            format!("gen-en-{i:03}"),
            &common::page_en(&en, &mut rng, &mut Vec::new()),
        );
    }
}
