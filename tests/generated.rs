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
    let (mut pf1, mut grp, mut titles, mut n_art, mut heads, mut n_heads, mut missing) =
        (0.0, 0.0, 0, 0, 0, 0, 0);
    for i in 0..pages {
        let p = page_zh(&arts, &mut rng);
        let doc = clean("generated", &p.text, &g, &Options::default());
        let page = &doc.pages[0];
        page.conservation()
            .unwrap_or_else(|e| panic!("page {i}: {e}\n{}", p.text));
        let s = eval::score(&p.gold, page);
        pf1 += s.paragraph_f1;
        grp += s.grouping_f1;
        titles += s.titles_right;
        n_art += s.articles;
        heads += s.headings_right;
        n_heads += s.headings;
        missing += s.missing_chars;
        assert_eq!(
            s.residue_doubled, 0,
            "page {i}: doubled title left\n{}",
            p.text
        );
    }
    let (pf1, grp) = (pf1 / pages as f64, grp / pages as f64);
    let title_rate = titles as f64 / n_art as f64;
    eprintln!("generated zh: {pages} pages, paragraph F1 {pf1:.3}, grouping F1 {grp:.3}, titles {titles}/{n_art}, headings {heads}/{n_heads}, missing chars {missing}");
    assert_eq!(missing, 0, "characters lost");
    assert!(pf1 >= 0.90, "paragraph F1 {pf1:.3}");
    assert!(grp >= 0.90, "grouping F1 {grp:.3}");
    assert!(title_rate >= 0.80, "titles {titles}/{n_art}");
}

#[test]
#[ignore = "debugging aid: GALLEY_DUMP=N prints page N and its reconstruction"]
fn dump_generated_page() {
    let n: usize = std::env::var("GALLEY_DUMP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let arts = corpus_zh();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut p = page_zh(&arts, &mut rng);
    for _ in 0..n {
        p = page_zh(&arts, &mut rng);
    }
    let doc = clean(
        "generated",
        &p.text,
        &Grammar::default_grammar(),
        &Options::default(),
    );
    eprintln!(
        "{}\n=====\n{}",
        p.text,
        galley::render::text::document(&doc)
    );
    for a in &p.gold.articles {
        eprintln!("GOLD title={:?} byline={:?}", a.title, a.byline);
    }
}

#[test]
#[ignore = "debugging aid: prints the titles that came out wrong on generated pages"]
fn dump_title_errors() {
    let arts = corpus_zh();
    let g = Grammar::default_grammar();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for i in 0..40 {
        let p = page_zh(&arts, &mut rng);
        let doc = clean("generated", &p.text, &g, &Options::default());
        let out: Vec<String> = doc.pages[0]
            .articles
            .iter()
            .map(|a| {
                format!(
                    "{:?}/{:?}",
                    a.kicker.as_ref().map(|b| &b.text),
                    a.title.as_ref().map(|b| &b.text)
                )
            })
            .collect();
        for a in &p.gold.articles {
            let t = a.title.clone().unwrap_or_default();
            if !out.iter().any(|o| o.contains(&format!("Some(\"{t}\")"))) {
                eprintln!("page {i}: missing {t:?}; out: {out:?}");
            }
        }
    }
}

#[test]
#[ignore = "debugging aid: prints paragraphs that came out wrong on generated pages"]
fn dump_paragraph_errors() {
    let arts = corpus_zh();
    let g = Grammar::default_grammar();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for i in 0..40 {
        let p = page_zh(&arts, &mut rng);
        let doc = clean("generated", &p.text, &g, &Options::default());
        let out: Vec<String> = doc.pages[0]
            .articles
            .iter()
            .flat_map(|a| a.blocks.iter())
            .map(|b| eval::norm(&b.text))
            .collect();
        let gold: Vec<String> = p
            .gold
            .articles
            .iter()
            .flat_map(|a| a.blocks.iter())
            .map(|b| eval::norm(&b.text))
            .collect();
        for o in &out {
            if !gold.contains(o) {
                eprintln!(
                    "page {i}: extra {:?}",
                    o.chars().take(60).collect::<String>()
                );
            }
        }
    }
}

#[test]
#[ignore = "debugging aid: per-page scores of generated pages"]
fn dump_page_scores() {
    let arts = corpus_zh();
    let g = Grammar::default_grammar();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for i in 0..40 {
        let p = page_zh(&arts, &mut rng);
        let doc = clean("generated", &p.text, &g, &Options::default());
        let s = eval::score(&p.gold, &doc.pages[0]);
        eprintln!(
            "page {i}: para {:.2} group {:.2} titles {}/{}",
            s.paragraph_f1, s.grouping_f1, s.titles_right, s.articles
        );
    }
}
