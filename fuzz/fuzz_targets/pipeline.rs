//! The whole pipeline on arbitrary bytes: decoding errors are fine, panics and lost characters
//! are not, and the text output must clean to itself. Run with
//! `cargo fuzz run pipeline -- -max_total_time=600 -timeout=2` (needs a nightly-capable
//! toolchain, or RUSTC_BOOTSTRAP=1 on stable). Finds become fixtures.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static GRAMMAR: std::sync::OnceLock<galley::grammar::Grammar> = std::sync::OnceLock::new();
    let g = GRAMMAR.get_or_init(galley::grammar::Grammar::default_grammar);
    let Ok(text) = galley::source::decode(data, 1 << 16) else { return };
    let doc = galley::clean("fuzz", &text, g, &galley::Options::default());
    for p in &doc.pages {
        if let Err(e) = p.conservation() {
            panic!("conservation: {e}");
        }
    }
    // Two passes: the text output (galley text, marked by its first line) cleans to itself
    // with no fix at all.
    let out = galley::render::text::document(&doc);
    let again = galley::clean("fuzz2", &out, g, &galley::Options::default());
    assert_eq!(galley::render::text::document(&again), out, "not a fixed point");
    for p in &again.pages {
        assert!(p.galley || out.is_empty(), "the text output reads back as galley text");
        assert!(p.fixes.is_empty(), "the second pass fixes: {:?}", p.fixes);
    }
});
