//! Shared helpers for integration tests: a deterministic random source and a page generator
//! that typesets clean articles the way extractors deliver newspaper pages.
#![allow(dead_code)]

use galley::eval::{Gold, GoldArticle, GoldBlock};

/// xorshift64*: deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    /// An index below `len` not in `used` (which must leave one free), recorded in `used`.
    pub fn unused(&mut self, len: usize, used: &mut Vec<usize>) -> usize {
        let mut k = self.range(0, len - 1);
        while used.contains(&k) {
            k = (k + 1) % len;
        }
        used.push(k);
        k
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545F4914F6CDD1D)
    }
    /// Uniform in a..=b.
    pub fn range(&mut self, a: usize, b: usize) -> usize {
        a + (self.next() % (b - a + 1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A clean article.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Art {
    pub title: Option<String>,
    pub kicker: Option<String>,
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub blocks: Vec<Blk>,
}

#[derive(Clone, Debug, serde::Deserialize)]
pub struct Blk {
    pub kind: String,
    pub text: String,
}

/// The articles of a JSON Lines corpus in `fixtures/corpus/`.
fn corpus(file: &str) -> Vec<Art> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/corpus")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn corpus_zh() -> Vec<Art> {
    corpus("rmrb-sample.jsonl")
}

fn cell(c: char) -> usize {
    galley::parse::chars::width(c, true)
}

/// Characters that may not start a line (kinsoku): they hang at the end of the previous one.
fn no_start(c: char) -> bool {
    "，。、；：？！”’）》」』…·%".contains(c)
}

/// Wrap a paragraph into lines of `cols` cells; the first line is `indent` cells shorter (the
/// indent itself is printed as ideographic spaces when `show_indent`).
pub fn wrap(text: &str, cols: usize, indent: usize, show_indent: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    let mut cap = cols - indent;
    if show_indent {
        cur.push_str(&"\u{3000}".repeat(indent / 2));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Keep a run of digits or Latin letters together.
        let mut j = i + 1;
        if c.is_ascii_alphanumeric() {
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.') {
                j += 1;
            }
        }
        let unit: String = chars[i..j].iter().collect();
        let uw: usize = unit.chars().map(cell).sum();
        if w + uw > cap && w > 0 && !no_start(c) {
            lines.push(std::mem::take(&mut cur));
            w = 0;
            cap = cols;
        }
        cur.push_str(&unit);
        w += uw;
        i = j;
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Does the line end a sentence (closing quotes aside)?
pub fn ends_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(|c| "”’」』）)\"'".contains(c));
    core.ends_with(|c| "。！？!?….".contains(c))
}

/// Double every run of a heading, as a bold heading drawn twice comes out.
pub fn double_runs(s: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let n = rng.range(1, 6).min(chars.len() - i);
        let run: String = chars[i..i + n].iter().collect();
        out.push_str(&run);
        out.push_str(&run);
        i += n;
    }
    out
}

/// A generated page and its gold.
pub struct Generated {
    pub text: String,
    pub gold: Gold,
}

/// Typeset 2–4 articles into one page.
pub fn page_zh(arts: &[Art], rng: &mut Rng) -> Generated {
    let n = rng.range(2, 4);
    let mut text: Vec<String> = Vec::new();
    let mut gold = Vec::new();
    let cols = 2 * rng.range(11, 20);
    let show_indent = rng.chance(30);
    let mut used = Vec::new();
    let mut displaced: Vec<String> = Vec::new();
    for _ in 0..n {
        let k = rng.unused(arts.len(), &mut used);
        let a = &arts[k];
        let staff = a
            .byline
            .clone()
            .filter(|b| b.starts_with("本报记者") || b.starts_with("新华社记者"));
        let title = a
            .title
            .clone()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let title_after = rng.chance(35) && staff.is_some();
        // National papers print the byline under the title (names alone too: 李洪兴); staff
        // bylines may also close the text.
        let byline_first = !title_after && rng.chance(40);
        let byline = if byline_first {
            a.byline.clone()
        } else {
            staff
        };
        let doubled = rng.chance(25);
        let title_line = if doubled {
            double_runs(&title, rng)
        } else {
            title.clone()
        };
        let mut kicker = None;
        if !title_after {
            if let Some(k) = &a.kicker {
                if rng.chance(50) && k.chars().count() <= 30 {
                    text.push(k.clone());
                    kicker = Some(k.clone());
                }
            }
            text.push(title_line.clone());
            text.push(String::new());
            if byline_first {
                if let Some(b) = &byline {
                    text.push(b.clone());
                    text.push(String::new());
                }
            }
        }
        let mut blocks = Vec::new();
        for b in &a.blocks {
            if b.kind == "heading" {
                let t = b.text.trim();
                if t.chars().count() > 20
                    || t.starts_with(['（', '—', '('])
                    || t.chars().count() < 2
                    || t.chars().all(|c| c.is_ascii_digit())
                {
                    continue;
                }
                text.push(t.to_owned());
                text.push(String::new());
                blocks.push(GoldBlock {
                    kind: "heading".into(),
                    text: t.to_owned(),
                });
                continue;
            }
            let lines = wrap(&b.text, cols, 4, show_indent);
            let nl = lines.len();
            for (li, l) in lines.into_iter().enumerate() {
                text.push(l);
                // A column break: a blank line after a line that does not end a sentence.
                if li + 1 < nl && rng.chance(6) && !ends_sentence(&text[text.len() - 1]) {
                    text.push(String::new());
                }
            }
            if rng.chance(40) {
                text.push(String::new());
            }
            blocks.push(GoldBlock {
                kind: "paragraph".into(),
                text: b.text.clone(),
            });
        }
        if let (Some(b), false) = (&byline, byline_first) {
            text.push(String::new());
            text.push(b.clone());
            text.push(String::new());
        }
        if title_after {
            displaced.push(title_line.clone());
            text.push(title_line);
            text.push(String::new());
        }
        gold.push(GoldArticle {
            title: Some(title),
            byline,
            place: None,
            blocks,
            // Not scored; printed above the title, so `galley fit` learns kicker lines.
            kicker,
            ..GoldArticle::default()
        });
        text.push(String::new());
    }
    let _ = displaced;
    let mut t = text.join("\n");
    while t.contains("\n\n\n") {
        t = t.replace("\n\n\n", "\n\n");
    }
    Generated {
        text: t + "\n",
        gold: Gold { articles: gold },
    }
}

/// Apply a unified diff to `old` (a small applier for tests: hunks must apply exactly).
pub fn apply_unified(old: &str, diff: &str) -> Result<String, String> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut pos = 0; // next old line (0-based)
    let mut lines = diff.lines().peekable();
    let mut last_added: Option<usize> = None; // byte length of out before the last + line's '\n'
    while let Some(l) = lines.next() {
        if l.starts_with("---") || l.starts_with("+++") {
            continue;
        }
        let Some(h) = l.strip_prefix("@@ -") else {
            continue;
        };
        let start: usize = h
            .split([',', ' '])
            .next()
            .unwrap()
            .parse()
            .map_err(|e| format!("{e}"))?;
        let start = start.saturating_sub(1);
        // Copy unchanged lines up to the hunk (an empty old file has start 0).
        while pos < start {
            out.push_str(old_lines.get(pos).ok_or("hunk past the end")?);
            pos += 1;
        }
        while let Some(&body) = lines.peek() {
            if body.starts_with("@@") {
                break;
            }
            lines.next();
            if let Some(t) = body.strip_prefix(' ') {
                let o = old_lines.get(pos).ok_or("context past the end")?;
                if o.trim_end_matches('\n') != t {
                    return Err(format!(
                        "context mismatch at line {}: {o:?} vs {t:?}",
                        pos + 1
                    ));
                }
                out.push_str(o);
                pos += 1;
                last_added = None;
            } else if let Some(t) = body.strip_prefix('-') {
                let o = old_lines.get(pos).ok_or("deletion past the end")?;
                if o.trim_end_matches('\n') != t {
                    return Err(format!(
                        "deletion mismatch at line {}: {o:?} vs {t:?}",
                        pos + 1
                    ));
                }
                pos += 1;
            } else if let Some(t) = body.strip_prefix('+') {
                out.push_str(t);
                last_added = Some(out.len());
                out.push('\n');
            } else if body.starts_with('\\') {
                // "\ No newline at end of file": the previous line has no newline.
                if let Some(n) = last_added {
                    out.truncate(n);
                }
            }
        }
    }
    while pos < old_lines.len() {
        out.push_str(old_lines[pos]);
        pos += 1;
    }
    Ok(out)
}

pub fn corpus_en() -> Vec<Art> {
    corpus("overproof-sample.jsonl")
}

/// Every `fixtures/<rule>/<name>.input.txt`, sorted.
pub fn fixture_inputs() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.to_string_lossy().ends_with(".input.txt") {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

/// A line-end hyphen the generator wrote: the word as it must come back.
pub struct Break {
    pub word: String,
}

/// Wrap English text at `cols` characters with a first-line indent, breaking long words with a
/// hyphen at allowed points (three letters or more on each side) and compounds at their hyphen.
pub fn wrap_en(
    text: &str,
    cols: usize,
    indent: usize,
    rng: &mut Rng,
    breaks: &mut Vec<Break>,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = " ".repeat(indent);
    for word in text.split_whitespace() {
        let room = cols.saturating_sub(cur.chars().count() + usize::from(!cur.trim().is_empty()));
        let wlen = word.chars().count();
        if wlen <= room || cur.trim().is_empty() {
            if !cur.trim().is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
            continue;
        }
        // Break the word across the line end?
        let letters: Vec<char> = word.chars().collect();
        let core_ok = letters.iter().all(|c| c.is_alphabetic() || *c == '-');
        let mut done = false;
        if core_ok && room >= 4 && rng.chance(70) {
            if let Some(h) = word
                .find('-')
                .filter(|&h| h < room && h >= 2 && h + 3 <= word.len())
            {
                // A compound broken at its own hyphen.
                if !cur.trim().is_empty() {
                    cur.push(' ');
                }
                cur.push_str(&word[..=h]);
                lines.push(std::mem::take(&mut cur));
                cur.push_str(&word[h + 1..]);
                breaks.push(Break {
                    word: word.to_owned(),
                });
                done = true;
            } else if !word.contains('-') && wlen >= 7 {
                let max_left = (room - 1).min(wlen - 3);
                if max_left >= 3 {
                    let at = rng.range(3, max_left);
                    let left: String = letters[..at].iter().collect();
                    let right: String = letters[at..].iter().collect();
                    if !cur.trim().is_empty() {
                        cur.push(' ');
                    }
                    cur.push_str(&left);
                    cur.push('-');
                    lines.push(std::mem::take(&mut cur));
                    cur.push_str(&right);
                    breaks.push(Break {
                        word: word.to_owned(),
                    });
                    done = true;
                }
            }
        }
        if !done {
            lines.push(std::mem::take(&mut cur));
            cur.push_str(word);
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur);
    }
    lines
}

/// Typeset 2–4 English articles into one page: capital headlines, indented paragraphs (or
/// not), column breaks inside paragraphs, words hyphenated at line ends.
pub fn page_en(arts: &[Art], rng: &mut Rng, breaks: &mut Vec<Break>) -> Generated {
    let n = rng.range(2, 4);
    let cols = rng.range(28, 60);
    let indent = [0, 2, 3, 4][rng.range(0, 3)];
    let mut text: Vec<String> = Vec::new();
    let mut gold = Vec::new();
    let mut used = Vec::new();
    for _ in 0..n {
        let k = rng.unused(arts.len(), &mut used);
        let a = &arts[k];
        if let Some(t) = &a.title {
            text.push(t.clone());
            text.push(String::new());
        }
        let mut blocks = Vec::new();
        for b in &a.blocks {
            let lines = wrap_en(&b.text, cols, indent, rng, breaks);
            let nl = lines.len();
            for (li, l) in lines.into_iter().enumerate() {
                let ends = ends_sentence(&l);
                text.push(l);
                if li + 1 < nl && !ends && rng.chance(5) {
                    text.push(String::new());
                }
            }
            if indent == 0 || rng.chance(30) {
                text.push(String::new());
            }
            blocks.push(GoldBlock {
                kind: "paragraph".into(),
                text: b.text.clone(),
            });
        }
        text.push(String::new());
        gold.push(GoldArticle {
            title: a.title.clone(),
            byline: None,
            place: None,
            blocks,
            ..GoldArticle::default()
        });
    }
    let mut t = text.join("\n");
    while t.contains("\n\n\n") {
        t = t.replace("\n\n\n", "\n\n");
    }
    Generated {
        text: t + "\n",
        gold: Gold { articles: gold },
    }
}
