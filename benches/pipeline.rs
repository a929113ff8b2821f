//! Throughput of each stage and of the whole pipeline, on the seed page and on pages 10× and
//! 100× its size (the seed repeated on one page, so stitching sees ten and a hundred times the
//! articles), and on a block of two columns pdftotext read into one another (read again by
//! CO001). Run with `cargo bench`; figures are in the README.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use galley::grammar::Grammar;
use galley::source::Page;
use galley::{classify, parse, render, repair, stitch, Options};

const SEED: &str = include_str!("../seeds/000_251e972a222be27a.txt");
const TWO_COLUMNS: &str = include_str!("../fixtures/CO001/two-columns-side-by-side.input.txt");

fn pages() -> Vec<(&'static str, String)> {
    vec![
        ("seed", SEED.to_owned()),
        ("10x", SEED.repeat(10)),
        ("100x", SEED.repeat(100)),
        ("two-columns", TWO_COLUMNS.to_owned()),
    ]
}

fn stages(c: &mut Criterion) {
    let g = Grammar::default_grammar();
    let o = Options::default();
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    for (name, text) in pages() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        let page = Page::new(1, text.clone());
        let shapes = parse::lines(&page, &g);
        let repairs = repair::fixes(&page, &shapes, &g, &o);
        let classified = classify::blocks(&page, &shapes, repairs.clone(), &g, &o);
        group.bench_with_input(BenchmarkId::new("parse", name), &page, |b, p| {
            b.iter(|| parse::lines(p, &g))
        });
        group.bench_with_input(BenchmarkId::new("repair", name), &page, |b, p| {
            b.iter(|| repair::fixes(p, &shapes, &g, &o))
        });
        group.bench_with_input(BenchmarkId::new("classify", name), &page, |b, p| {
            b.iter(|| classify::blocks(p, &shapes, repairs.clone(), &g, &o))
        });
        group.bench_with_input(BenchmarkId::new("stitch", name), &page, |b, p| {
            b.iter(|| stitch::articles(p, &classified, &g, &o))
        });
        let result = galley::clean_page(page.clone(), &g, &o);
        group.bench_with_input(BenchmarkId::new("render-text", name), &result, |b, r| {
            b.iter(|| render::text::page(r))
        });
        group.bench_with_input(BenchmarkId::new("whole", name), &page, |b, p| {
            b.iter(|| galley::clean_page(p.clone(), &g, &o))
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
