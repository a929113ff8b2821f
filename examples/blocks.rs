//! Print the classified blocks of a raw page with the page model's line labels: a debugging
//! aid for reading why a page came out as it did. `cargo run --release --example blocks FILE`.
use galley::grammar::{Choice, Profiles};
use galley::source::Page;
use galley::{classify, parse, repair, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: blocks FILE")?;
    let text = std::fs::read_to_string(&path)?;
    let page = Page::new(1, text.trim_start_matches('\u{feff}'));
    let choice = Choice::Auto(Profiles::builtin());
    let (g, _) = choice.for_page(&page.text);
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
    Ok(())
}
