//! Print the classified blocks of a raw page with the page model's line labels: a debugging
//! aid for reading why a page came out as it did, with each title candidate's best runs under
//! the assembly weights. `cargo run --release --example blocks FILE [default]` (`default`: read
//! the page with the default grammar, as the fixture tests do, instead of the profile chosen).
use galley::grammar::{Choice, Profiles};
use galley::source::Page;
use galley::{classify, parse, repair, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: blocks FILE [default]")?;
    let text = std::fs::read_to_string(&path)?;
    let page = Page::new(1, text.trim_start_matches('\u{feff}'));
    // `blocks FILE default` reads the page with the default grammar (as the fixture tests do).
    let default = galley::grammar::Grammar::default_grammar();
    let choice = Choice::Auto(Profiles::builtin());
    let g = match std::env::args().nth(2).as_deref() {
        Some("default") => &default,
        _ => choice.for_page(&page.text).0,
    };
    let opts = Options::default();
    let shapes = parse::lines(&page, g);
    let repairs = repair::fixes(&page, &shapes, g, &opts);
    let c = classify::blocks(&page, &shapes, repairs, g, &opts);
    for (i, b) in c.blocks.iter().enumerate() {
        let (a, z) = b.lines(&page);
        let labels: String = b
            .cues
            .labels
            .iter()
            .map(|l| classify::model::LABELS[l.index()])
            .collect();
        println!(
            "{i:4} {a:4}-{z:<4} {:?} [{labels}] g{} {}",
            b.kind, b.cues.group, b.text
        );
    }
    // The assembly problem: every candidate's best runs under the page's weights.
    if let Some(p) = galley::stitch::problem(&page, &c, g, &opts) {
        let w = galley::stitch::weights::for_page(g, c.cjk, c.modelled);
        let solved = galley::stitch::solve(&p, &w);
        for (r, run) in p.runs.iter().enumerate() {
            let first: String = run
                .first()
                .map(|t| t.chars().take(16).collect())
                .unwrap_or_default();
            println!("run {r}: {} paragraphs, first {first}", run.len());
        }
        for (ci, cand) in p.cands.iter().enumerate() {
            println!("cand {ci} {cand} -> {:?}", solved[ci]);
            let mut scored: Vec<(f64, usize)> = p.pairs[ci]
                .iter()
                .enumerate()
                .filter_map(|(r, x)| x.as_ref().map(|x| (w.score(x), r)))
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (s, r) in scored.into_iter().take(3) {
                let x = p.pairs[ci][r].as_ref().expect("scored");
                let on: Vec<String> = galley::stitch::weights::FEATURES
                    .iter()
                    .zip(x)
                    .filter(|(_, v)| **v != 0.0)
                    .map(|(n, v)| format!("{n}={v:.2}"))
                    .collect();
                println!("    run {r} {s:.2} {}", on.join(" "));
            }
        }
    }
    Ok(())
}
