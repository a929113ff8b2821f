//! Grammars: every shipped grammar parses and prints back canonically; every pattern has a case
//! it matches and none of its kind matches a negative case; a user's grammar changes the
//! reconstruction with no code change; pages pick the profile that fits them.

use std::path::Path;

use galley::grammar::{Choice, Grammar, PatternKind, Profiles, PROFILES};
use galley::{clean, clean_page_with, source, Options};

#[test]
fn shipped_grammars_round_trip_canonically() {
    for name in Grammar::builtin_names() {
        let g = Grammar::builtin(name).unwrap();
        let canon = g.canonical();
        let again = Grammar::parse(&canon)
            .unwrap_or_else(|e| panic!("{name}: canonical form does not parse: {e}"));
        let (a, b): (Vec<&str>, Vec<&str>) = (canon.lines().skip(1).collect(), Vec::new());
        let again = again.canonical();
        let c: Vec<&str> = again.lines().skip(1).collect();
        let _ = b;
        let diff: Vec<String> = a
            .iter()
            .zip(&c)
            .filter(|(x, y)| x != y)
            .map(|(x, y)| format!("- {x}\n+ {y}"))
            .take(5)
            .collect();
        assert!(
            a.len() == c.len() && diff.is_empty(),
            "{name}: canonical form is not stable ({} vs {} lines):\n{}",
            a.len(),
            c.len(),
            diff.join("\n")
        );
    }
}

#[test]
fn shipped_word_lists_are_sorted_and_deduplicated() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("grammars");
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if name.ends_with(".grammar") {
            for line in text
                .lines()
                .filter(|l| l.starts_with("list ") && l.contains(" = "))
            {
                let words: Vec<&str> = line
                    .split(" = ")
                    .nth(1)
                    .unwrap()
                    .split_whitespace()
                    .collect();
                let mut sorted = words.clone();
                sorted.sort();
                sorted.dedup();
                assert!(
                    words == sorted,
                    "{name}: `{line}` is not sorted and deduplicated"
                );
            }
        } else if name.ends_with(".list") || (name.starts_with("words-") && name.ends_with(".txt"))
        {
            let words: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
            assert!(
                words.windows(2).all(|w| w[0] < w[1]),
                "{name} is not strictly sorted"
            );
        }
    }
}

#[test]
fn every_pattern_has_cases() {
    let cases = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/grammar/patterns.txt"),
    )
    .unwrap();
    let cases: Vec<(&str, PatternKind, bool, Vec<char>)> = cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut it = l.splitn(4, ' ');
            let (p, k, sign, text) = (
                it.next().unwrap(),
                it.next().unwrap(),
                it.next().unwrap(),
                it.next().unwrap(),
            );
            (
                p,
                PatternKind::from_name(k).unwrap_or_else(|| panic!("kind {k}")),
                sign == "+",
                text.chars().collect(),
            )
        })
        .collect();
    for profile in PROFILES {
        let g = Grammar::builtin(profile).unwrap();
        for (i, (kind, src)) in g.patterns().enumerate() {
            let hit = cases.iter().any(|(p, k, pos, t)| {
                p == profile && *k == kind && *pos && g.pattern_matches(i, t)
            });
            assert!(
                hit,
                "{profile}: pattern {} `{src}` matches no case",
                kind.name()
            );
        }
        for (p, k, pos, t) in &cases {
            if p == profile {
                assert_eq!(
                    g.matches(*k, t),
                    *pos,
                    "{profile} {} {} `{}`",
                    k.name(),
                    if *pos { "+" } else { "-" },
                    t.iter().collect::<String>()
                );
            }
        }
    }
}

#[test]
fn a_users_grammar_changes_the_reconstruction() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/grammar/made-up-paper");
    let page = std::fs::read_to_string(dir.join("page.txt")).unwrap();
    let national = Grammar::builtin("zh-national").unwrap();
    let before = clean("page", &page, &national, &Options::default());
    assert!(
        before.pages[0].articles[0].bylines.is_empty(),
        "the shipped profile knows no such byline"
    );
    let paper = Grammar::load(&dir.join("paper.grammar")).unwrap();
    let after = clean("page", &page, &paper, &Options::default());
    let a = &after.pages[0].articles[0];
    assert_eq!(a.byline_text().as_deref(), Some("——记者 王五 报道"));
    assert!(
        a.blocks.last().unwrap().text.ends_with("李女士说。"),
        "the byline left the paragraph"
    );
    after.pages[0].conservation().unwrap();
}

#[test]
fn bad_grammars_say_where() {
    for (src, line, col, what) in [
        (
            "list a = x\npattern byline = \"x\" <nope>\n",
            2,
            22,
            "unknown",
        ),
        ("pattern byline = \"x\" (\"y\"\n", 1, 22, "expected"),
        ("pattern wibble = \"x\"\n", 1, 9, "unknown pattern kind"),
        ("include no-such-grammar\n", 1, 9, "unknown grammar"),
        ("set t = many\n", 1, 9, "number"),
    ] {
        let e = Grammar::parse(src).unwrap_err();
        assert_eq!((e.line, e.column), (line, col), "{src}: {e}");
        assert!(e.message.contains(what), "{src}: {e}");
        assert!(e.to_string().contains('^'), "a caret under the place");
    }
}

#[test]
fn pages_pick_the_profile_that_fits() {
    let choice = Choice::Auto(Profiles::builtin());
    let pick = |text: &str| {
        let page = source::pages(text).into_iter().next().unwrap();
        clean_page_with(page, &choice, &Options::default())
            .profile
            .unwrap()
            .0
    };
    assert_eq!(
        pick(include_str!("../seeds/000_251e972a222be27a.txt")),
        "zh-regional"
    );
    let national = "一堂思政课见证学生新成长\n\n本报记者 乔 栋 曹继炜\n\n新华社北京10月20日电 今年以来，各地\n扎实推进各项工作，取得明显成效。\n\n（图片由北京市文化和旅游局提供）\n";
    assert_eq!(pick(national), "zh-national");
    let english = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/PB001/paragraphs.input.txt"),
    )
    .unwrap();
    assert_eq!(pick(&english), "en-newspaper");
}
