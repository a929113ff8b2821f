//! Publication knowledge as data: loading and parsing `grammars/*.grammar` with nom. The
//! language is documented in `grammars/README.md`; [`Profiles`] picks a profile per page.
//!
//! A grammar is line-oriented. Each directive sits on one line; a line that starts with white
//! space continues the previous one; `#` starts a comment. Directives:
//!
//! ```text
//! include zh-common                      # another grammar, by built-in name or relative path
//! list place = 万州 江北                  # a word list, inline …
//! list place < gazetteer-zh.list         # … or from a file (one word a line)
//! class sentence_end = 。！？!?…          # a punctuation class
//! set title_max_chars = 40               # a numeric threshold
//! define name = @han{2,4} | @han @s @han # a named sub-pattern
//! pattern byline = <place> <org> (@s+ <name>)+
//! ```
//!
//! Patterns are built from literals (`"…"`), named lists and definitions (`<name>`), character
//! classes (`@han @latin @upper @lower @digit @s @punct @wide @any`, or `@name` for a declared
//! class), groups, alternatives (`|`) and repetition (`? * + {m,n}`). A pattern matches a whole
//! line (after trimming) or, for bylines glued to a paragraph, a whole suffix of one.

mod pattern;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

pub use pattern::Pat;

/// The kinds of line pattern a grammar can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PatternKind {
    /// Author line: `本报记者 X`.
    Byline,
    /// Photo credit: `X 摄`.
    Credit,
    /// Dateline opening a paragraph: `新华社某地3月2日电`.
    Dateline,
    /// A place tag line.
    Place,
    /// A jump line: `Continued on Page 4`.
    Jump,
    /// Page furniture: running heads, page numbers.
    Furniture,
    /// A line of names alone: a byline where one can stand (under a title, before the text).
    Author,
    /// A line typical of the profile's kind of paper (a national daily's `本报记者 X`); read only
    /// when picking a profile for a page, on lines a byline, credit or place pattern matches
    /// (the patterns that do the work are shared).
    Marker,
}

impl PatternKind {
    /// All kinds.
    pub const ALL: [PatternKind; 8] = [
        PatternKind::Byline,
        PatternKind::Credit,
        PatternKind::Dateline,
        PatternKind::Place,
        PatternKind::Jump,
        PatternKind::Furniture,
        PatternKind::Author,
        PatternKind::Marker,
    ];

    /// The keyword used in grammar files.
    pub fn name(self) -> &'static str {
        match self {
            PatternKind::Byline => "byline",
            PatternKind::Credit => "credit",
            PatternKind::Dateline => "dateline",
            PatternKind::Place => "place",
            PatternKind::Jump => "jump",
            PatternKind::Furniture => "furniture",
            PatternKind::Author => "author",
            PatternKind::Marker => "marker",
        }
    }

    /// The kind named `s` in grammar files.
    pub fn from_name(s: &str) -> Option<PatternKind> {
        PatternKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// A grammar that failed to parse: file, 1-based line and column, what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct GrammarError {
    /// The file (or built-in name).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// What was expected.
    pub message: String,
    /// The offending line.
    pub snippet: String,
}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No position (a file that could not be read, a name that is no grammar): no snippet.
        if self.line == 0 {
            return write!(f, "{}: {}", self.file, self.message);
        }
        writeln!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        writeln!(f, "  | {}", self.snippet)?;
        let pad: String = self
            .snippet
            .chars()
            .take(self.column.saturating_sub(1))
            .map(|c| {
                if unicode_width::UnicodeWidthChar::width(c) == Some(2) {
                    "  "
                } else {
                    " "
                }
            })
            .collect();
        write!(f, "  | {pad}^")
    }
}

/// A word list: words indexed by their first character, longest first.
#[derive(Debug, Clone, Default)]
pub struct WordList {
    words: BTreeSet<String>,
    /// A trie: edges from (node, character) to node; node 0 is the root.
    edges: rustc_hash::FxHashMap<(u32, char), u32>,
    /// Whether a word ends at each node.
    terminal: Vec<bool>,
}

impl WordList {
    fn insert(&mut self, w: &str) {
        if w.is_empty() || !self.words.insert(w.to_owned()) {
            return;
        }
        if self.terminal.is_empty() {
            self.terminal.push(false);
        }
        let mut node = 0u32;
        for c in w.chars() {
            let next = self.terminal.len() as u32;
            node = *self.edges.entry((node, c)).or_insert_with(|| next);
            if node == next {
                self.terminal.push(false);
            }
        }
        self.terminal[node as usize] = true;
    }

    /// Does the list hold `w`?
    pub fn contains(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    /// Ends of the words of the list that start at `pos` in `s`, shortest first: one trie walk.
    pub fn ends_at(&self, s: &[char], pos: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut node = 0u32;
        for (i, c) in s.iter().enumerate().skip(pos) {
            match self.edges.get(&(node, *c)) {
                Some(&n) => {
                    node = n;
                    if self.terminal[n as usize] {
                        out.push(i + 1);
                    }
                }
                None => break,
            }
        }
        out
    }

    /// The words, sorted.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(String::as_str)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// No words?
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// A large word list kept as byte-sorted lines and binary-searched in place: nothing is built at
/// start-up, so an embedded 270k-word lexicon costs nothing until a hyphen needs it.
#[derive(Debug, Clone)]
pub struct Lexicon {
    text: std::borrow::Cow<'static, str>,
    /// Which letter trigrams its words hold (see [`Lexicon::plausible`]), built on first use
    /// and shared by the lexicon's clones.
    trigrams: SharedTrigrams,
}

/// Letter classes of a trigram: `a`–`z`, any other letter, and a word's edge.
const TRIGRAM_CLASSES: usize = 28;

fn trigram_class(c: Option<char>) -> usize {
    match c {
        None => TRIGRAM_CLASSES - 1,
        Some(c) if c.is_ascii_lowercase() => c as usize - 'a' as usize,
        Some(_) => TRIGRAM_CLASSES - 2,
    }
}

/// The trigrams of a lowercase word with its edges (`^ab`, `abc`, …, `yz$`), as indices.
fn trigrams(word: &str) -> impl Iterator<Item = usize> + '_ {
    let edge = std::iter::once(None);
    let cs: Vec<usize> = edge
        .clone()
        .chain(word.chars().map(Some))
        .chain(edge)
        .map(trigram_class)
        .collect();
    (0..cs.len().saturating_sub(2))
        .map(move |i| (cs[i] * TRIGRAM_CLASSES + cs[i + 1]) * TRIGRAM_CLASSES + cs[i + 2])
}

/// The trigram tables of the built-in lexicons, one per word list for the whole process: every
/// grammar that includes a list shares its table.
type SharedTrigrams = std::sync::Arc<std::sync::OnceLock<Box<[u64]>>>;
static BUILTIN_TRIGRAMS: std::sync::Mutex<Vec<(usize, SharedTrigrams)>> =
    std::sync::Mutex::new(Vec::new());

impl Lexicon {
    /// A lexicon from sorted lines (as `scripts/wordlists.py` writes them).
    pub fn new(text: impl Into<std::borrow::Cow<'static, str>>) -> Lexicon {
        Lexicon {
            text: text.into(),
            trigrams: Default::default(),
        }
    }

    /// A built-in lexicon: its trigram table is shared by every grammar that uses it.
    fn builtin(text: &'static str) -> Lexicon {
        let key = text.as_ptr() as usize;
        let mut shared = BUILTIN_TRIGRAMS.lock().unwrap_or_else(|e| e.into_inner());
        let trigrams = match shared.iter().find(|(k, _)| *k == key) {
            Some((_, t)) => t.clone(),
            None => {
                let t = SharedTrigrams::default();
                shared.push((key, t.clone()));
                t
            }
        };
        Lexicon {
            text: text.into(),
            trigrams,
        }
    }

    /// Does every letter trigram of `word` (compared lowercase, its end included: `yz$`; its
    /// opening `^ab` is not counted) occur in some word of the lexicon? OCR garbles letters
    /// into sequences no word of the language holds (`QXZRT`, `Bnnqo`), where a name or an
    /// unlisted word mostly keeps to the language's letter sequences.
    pub fn plausible(&self, word: &str) -> bool {
        self.unseen_trigrams(word) == 0
    }

    /// How many letter trigrams of `word` (see [`Lexicon::plausible`]) no word of the lexicon
    /// holds.
    pub fn unseen_trigrams(&self, word: &str) -> usize {
        let seen = self.trigrams.get_or_init(|| {
            let n = TRIGRAM_CLASSES * TRIGRAM_CLASSES * TRIGRAM_CLASSES;
            let mut bits = vec![0u64; n.div_ceil(64)];
            // One pass over the bytes: a line is a word; a character beyond ASCII is one
            // letter (its lead byte), its continuation bytes are skipped.
            let edge = TRIGRAM_CLASSES - 1;
            // The last two classes read, as one number (`a * CLASSES + b`), and the last one.
            let mut last = edge * TRIGRAM_CLASSES + edge;
            let mut b = edge;
            for &byte in self.text.as_bytes().iter().chain(b"\n") {
                let c = match byte {
                    b'\n' => edge,
                    0x80..=0xbf => continue,
                    b'a'..=b'z' => (byte - b'a') as usize,
                    _ => TRIGRAM_CLASSES - 2,
                };
                let t = last * TRIGRAM_CLASSES + c;
                bits[t / 64] |= 1 << (t % 64);
                (last, b) = if c == edge {
                    (edge * TRIGRAM_CLASSES + edge, edge)
                } else {
                    (b * TRIGRAM_CLASSES + c, c)
                };
            }
            bits.into_boxed_slice()
        });
        // The opening trigram (`^mc`) is not counted: names open as words do not (`McAdoo`).
        trigrams(&word.to_lowercase())
            .skip(1)
            .filter(|t| seen[t / 64] & (1 << (t % 64)) == 0)
            .count()
    }

    /// Does the lexicon hold `word` (compared lowercase)?
    pub fn contains(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        let (t, w) = (self.text.as_bytes(), w.as_bytes());
        let (mut lo, mut hi) = (0usize, t.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = t[lo..mid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|i| lo + i + 1)
                .unwrap_or(lo);
            let end = t[start..hi]
                .iter()
                .position(|&b| b == b'\n')
                .map(|i| start + i)
                .unwrap_or(hi);
            match t[start..end].cmp(w) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => lo = end + 1,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        false
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.text.lines().count()
    }

    /// No words?
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// A parsed grammar: lists, classes, settings and patterns.
#[derive(Debug, Clone, Default)]
pub struct Grammar {
    /// Name (built-in name or file path).
    pub name: String,
    /// Names of the grammars it includes, in order.
    pub includes: Vec<String>,
    lists: BTreeMap<String, WordList>,
    list_files: BTreeMap<String, String>,
    classes: BTreeMap<String, Vec<char>>,
    settings: BTreeMap<String, f64>,
    defines: BTreeMap<String, (String, Pat)>,
    define_order: Vec<String>,
    patterns: Vec<(PatternKind, String, Pat)>,
    lexicons: BTreeMap<String, (String, Lexicon)>,
    /// The page model deciding line roles: `None` uses the built-in model of the page's script,
    /// `Some(None)` decides by the hand rules alone (no model), `Some(Some(m))` uses `m`.
    pub model: Option<Option<std::sync::Arc<crate::model::Model>>>,
    /// The weights of article assembly: `None` uses the built-in weights of the page's script.
    pub assembly: Option<std::sync::Arc<crate::stitch::Weights>>,
}

/// Built-in grammar files, embedded at compile time.
const BUILTIN: &[(&str, &str)] = &[
    ("en-words", include_str!("../../grammars/en-words.grammar")),
    (
        "zh-common",
        include_str!("../../grammars/zh-common.grammar"),
    ),
    (
        "zh-regional",
        include_str!("../../grammars/zh-regional.grammar"),
    ),
    (
        "zh-national",
        include_str!("../../grammars/zh-national.grammar"),
    ),
    (
        "en-common",
        include_str!("../../grammars/en-common.grammar"),
    ),
    (
        "de-common",
        include_str!("../../grammars/de-common.grammar"),
    ),
    (
        "en-newspaper",
        include_str!("../../grammars/en-newspaper.grammar"),
    ),
    ("default", include_str!("../../grammars/default.grammar")),
];

/// The settings a grammar may `set`, with what each means. A name not listed is an error, so a
/// misspelt setting never silently keeps its default.
pub const SETTINGS: &[(&str, &str)] = &[
    ("cjk", "1 for a profile of CJK pages (profile selection)"),
    ("dateline_names_reporter", "1 where a story that opens with a dateline names its reporter there (`本报某地3月2日电（记者 张三）`) and carries no byline: a byline printed right after such a story is the next story's (default 0)"),
    ("dateline_opens_article", "1 where a dateline opens only a story's first paragraph: a paragraph inside a run that opens with one starts a new article (default 0)"),
    ("min_section_chars", "characters each side of a heading inside a run needs before their similarity decides a cut, where the page model read the heading as a section heading (default 0)"),
    ("min_section_similarity", "TF-IDF cosine under which a heading inside a run starts a new article"),
    ("min_subtitle_affinity", "lexical affinity a leftover heading needs to become a subtitle"),
    ("min_title_score", "assignment score a title needs to be placed on a body"),
    ("model_min_lines", "text lines a page needs for the page model to decide its line roles; smaller inputs (snippets) keep the hand rules (default 20)"),
    ("one_word_fragments", "1 where a one-word head closes with a stop or is set in capitals (archive papers): a single title-case word with no stop, standing alone and not drawn bold, is a word of a column line the text layer set apart, no heading (default 0)"),
    ("split_max_cohesion", "cohesion under which an unclaimed title splits a run"),
    ("split_min_gain", "how much better an unclaimed title must fit one part of a run than the other (affinity difference + 0.2 - cohesion) to split it (default: any gain)"),
    ("title_max_chars", "longest title line in characters"),
];

/// The profiles a page is matched against, in order of preference on a tie.
pub const PROFILES: &[&str] = &["zh-regional", "zh-national", "en-newspaper"];

/// Built-in list files, embedded at compile time.
const BUILTIN_LISTS: &[(&str, &str)] = &[
    (
        "gazetteer-zh.list",
        include_str!("../../grammars/gazetteer-zh.list"),
    ),
    (
        "surnames-zh.list",
        include_str!("../../grammars/surnames-zh.list"),
    ),
    ("words-en.txt", include_str!("../../grammars/words-en.txt")),
    ("words-de.txt", include_str!("../../grammars/words-de.txt")),
];

/// Where includes and list files are looked up.
#[derive(Debug, Clone)]
enum Origin {
    Builtin,
    Dir(PathBuf),
}

impl Grammar {
    /// Names of the built-in grammars.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// The built-in grammar `name`.
    pub fn builtin(name: &str) -> Result<Grammar, GrammarError> {
        let src = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
            .ok_or_else(|| GrammarError {
                file: name.to_owned(),
                line: 0,
                column: 0,
                message: format!(
                    "no built-in grammar `{name}` (built-in: {})",
                    Grammar::builtin_names().collect::<Vec<_>>().join(", ")
                ),
                snippet: String::new(),
            })?;
        let mut g = Grammar {
            name: name.to_owned(),
            ..Grammar::default()
        };
        g.read(src, name, &Origin::Builtin, 0)?;
        Ok(g)
    }

    /// The default grammar every page starts from.
    pub fn default_grammar() -> Grammar {
        Grammar::builtin("default").expect("built-in grammar parses")
    }

    /// Parse grammar text; includes resolve to built-in grammars only.
    pub fn parse(src: &str) -> Result<Grammar, GrammarError> {
        let mut g = Grammar {
            name: "<text>".into(),
            ..Grammar::default()
        };
        g.read(src, "<text>", &Origin::Builtin, 0)?;
        Ok(g)
    }

    /// Load a grammar file; includes and list files resolve next to it, then to built-ins.
    pub fn load(path: &Path) -> Result<Grammar, GrammarError> {
        let name = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| GrammarError {
            file: name.clone(),
            line: 0,
            column: 0,
            message: format!("could not read: {e}"),
            snippet: String::new(),
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut g = Grammar {
            name: name.clone(),
            ..Grammar::default()
        };
        g.read(&src, &name, &Origin::Dir(dir), 0)?;
        Ok(g)
    }

    /// A built-in name or a path.
    pub fn resolve(name_or_path: &str) -> Result<Grammar, GrammarError> {
        if BUILTIN.iter().any(|(n, _)| *n == name_or_path) {
            Grammar::builtin(name_or_path)
        } else if !Path::new(name_or_path).exists() {
            Err(GrammarError {
                file: name_or_path.to_owned(),
                line: 0,
                column: 0,
                message: format!(
                    "no built-in grammar and no file of that name (built-in: {})",
                    Grammar::builtin_names().collect::<Vec<_>>().join(", ")
                ),
                snippet: String::new(),
            })
        } else {
            Grammar::load(Path::new(name_or_path))
        }
    }

    fn read(
        &mut self,
        src: &str,
        file: &str,
        origin: &Origin,
        depth: usize,
    ) -> Result<(), GrammarError> {
        let err = |line: usize, col: usize, msg: String, text: &str| GrammarError {
            file: file.to_owned(),
            line,
            column: col,
            message: msg,
            snippet: text.to_owned(),
        };
        if depth > 8 {
            return Err(err(0, 0, "includes nested too deep (a cycle?)".into(), ""));
        }
        for (lineno, text, cols) in logical_lines(src) {
            let d = parse::directive(&text).map_err(|(pos, msg)| {
                let col = cols(pos);
                err(lineno, col, msg, src.lines().nth(lineno - 1).unwrap_or(""))
            })?;
            let at = |pos: usize| cols(pos);
            match d {
                parse::Directive::Include(name) => {
                    self.includes.push(name.clone());
                    let (isrc, ifile, iorigin) = match origin {
                        Origin::Dir(dir) if dir.join(format!("{name}.grammar")).exists() => {
                            let p = dir.join(format!("{name}.grammar"));
                            let s = std::fs::read_to_string(&p).map_err(|e| {
                                err(
                                    lineno,
                                    1,
                                    format!("could not read include `{name}`: {e}"),
                                    &text,
                                )
                            })?;
                            (s, p.display().to_string(), Origin::Dir(dir.clone()))
                        }
                        _ => match BUILTIN.iter().find(|(n, _)| *n == name) {
                            Some((_, s)) => (s.to_string(), name.clone(), Origin::Builtin),
                            None => {
                                return Err(err(
                                    lineno,
                                    9,
                                    format!("unknown grammar `{name}` to include"),
                                    &text,
                                ))
                            }
                        },
                    };
                    self.read(&isrc, &ifile, &iorigin, depth + 1)?;
                }
                parse::Directive::List { name, words } => {
                    let l = self.lists.entry(name).or_default();
                    for w in words {
                        l.insert(&w);
                    }
                }
                parse::Directive::ListFile { name, file: lf } => {
                    let content = match origin {
                        Origin::Dir(dir) if dir.join(&lf).exists() => {
                            std::fs::read_to_string(dir.join(&lf)).map_err(|e| {
                                err(lineno, 1, format!("could not read list `{lf}`: {e}"), &text)
                            })?
                        }
                        _ => match BUILTIN_LISTS.iter().find(|(n, _)| *n == lf) {
                            Some((_, s)) => s.to_string(),
                            None => {
                                return Err(err(
                                    lineno,
                                    1,
                                    format!("list file `{lf}` not found"),
                                    &text,
                                ))
                            }
                        },
                    };
                    let l = self.lists.entry(name.clone()).or_default();
                    for w in content
                        .lines()
                        .map(str::trim)
                        .filter(|w| !w.is_empty() && !w.starts_with('#'))
                    {
                        l.insert(w);
                    }
                    self.list_files.insert(name, lf);
                }
                parse::Directive::Lexicon { name, file: lf } => {
                    let lex = match origin {
                        Origin::Dir(dir) if dir.join(&lf).exists() => {
                            let mut words: Vec<String> = std::fs::read_to_string(dir.join(&lf))
                                .map_err(|e| {
                                    err(
                                        lineno,
                                        1,
                                        format!("could not read lexicon `{lf}`: {e}"),
                                        &text,
                                    )
                                })?
                                .lines()
                                .map(|w| w.trim().to_lowercase())
                                .filter(|w| !w.is_empty() && !w.starts_with('#'))
                                .collect();
                            words.sort();
                            words.dedup();
                            Lexicon::new(words.join("\n"))
                        }
                        _ => match BUILTIN_LISTS.iter().find(|(n, _)| *n == lf) {
                            Some((_, s)) => Lexicon::builtin(s),
                            None => {
                                return Err(err(
                                    lineno,
                                    1,
                                    format!("lexicon file `{lf}` not found"),
                                    &text,
                                ))
                            }
                        },
                    };
                    self.lexicons.insert(name, (lf, lex));
                }
                parse::Directive::Class { name, chars } => {
                    let class = self.classes.entry(name).or_default();
                    class.extend(chars);
                    class.sort_unstable();
                    class.dedup();
                }
                parse::Directive::Set { name, value } => {
                    if !SETTINGS.iter().any(|(n, _)| *n == name) {
                        let known: Vec<&str> = SETTINGS.iter().map(|(n, _)| *n).collect();
                        return Err(err(
                            lineno,
                            5,
                            format!("unknown setting `{name}` (known: {})", known.join(", ")),
                            &text,
                        ));
                    }
                    self.settings.insert(name, value);
                }
                parse::Directive::Define {
                    name,
                    src: psrc,
                    offset,
                } => {
                    let p = pattern::parse(&psrc, &|n| self.knows(n))
                        .map_err(|(pos, msg)| err(lineno, at(offset + pos), msg, &text))?;
                    // Another grammar's definition is never silently replaced: patterns that
                    // use the name would change meaning (the same file included twice is fine).
                    if self.defines.get(&name).is_some_and(|(old, _)| *old != psrc) {
                        return Err(err(
                            lineno,
                            at(offset),
                            format!("`{name}` is already defined differently; give this definition its own name"),
                            &text,
                        ));
                    }
                    if !self.define_order.contains(&name) {
                        self.define_order.push(name.clone());
                    }
                    self.defines.insert(name, (psrc, p));
                }
                parse::Directive::Pattern {
                    kind,
                    src: psrc,
                    offset,
                } => {
                    let k = PatternKind::from_name(&kind).ok_or_else(|| {
                        err(lineno, at(8), format!("unknown pattern kind `{kind}` (expected byline, credit, dateline, place, jump, furniture or author)"), &text)
                    })?;
                    let p = pattern::parse(&psrc, &|n| self.knows(n))
                        .map_err(|(pos, msg)| err(lineno, at(offset + pos), msg, &text))?;
                    self.patterns.push((k, psrc, p));
                }
            }
        }
        Ok(())
    }

    fn knows(&self, name: &str) -> bool {
        self.lists.contains_key(name)
            || self.defines.contains_key(name)
            || self.classes.contains_key(name)
    }

    /// The word list `name` (empty if undeclared).
    pub fn list(&self, name: &str) -> Option<&WordList> {
        self.lists.get(name)
    }

    /// Is `c` in class `name`?
    pub fn in_class(&self, name: &str, c: char) -> bool {
        self.class(name).binary_search(&c).is_ok()
    }

    /// The sorted characters of class `name` (empty if undeclared): fetch once, then
    /// `binary_search` in a hot loop.
    pub fn class(&self, name: &str) -> &[char] {
        self.classes.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Setting `name`, or `default`.
    pub fn setting(&self, name: &str, default: f64) -> f64 {
        self.settings.get(name).copied().unwrap_or(default)
    }

    /// Is `word` in any lexicon of the grammar (the languages it covers)?
    pub fn is_word(&self, word: &str) -> bool {
        self.lexicons.values().any(|(_, l)| l.contains(word))
    }

    /// How many letter trigrams of `word` no word of the grammar's lexicons holds, in the
    /// lexicon that leaves the fewest (see [`Lexicon::plausible`]); 0 when the grammar has no
    /// lexicon.
    pub fn unseen_trigrams(&self, word: &str) -> usize {
        self.lexicons
            .values()
            .map(|(_, l)| l.unseen_trigrams(word))
            .min()
            .unwrap_or(0)
    }

    /// Is `word` in the lexicon called `name` (false when the grammar has no such lexicon)?
    pub fn in_lexicon(&self, name: &str, word: &str) -> bool {
        self.lexicons
            .get(name)
            .is_some_and(|(_, l)| l.contains(word))
    }

    /// Has the grammar a lexicon?
    pub fn has_lexicon(&self) -> bool {
        !self.lexicons.is_empty()
    }

    /// Is `word` (without its full stop) in the grammar's `abbreviation` list, as listed?
    pub fn is_abbreviation(&self, word: &str) -> bool {
        self.lists
            .get("abbreviation")
            .is_some_and(|l| l.contains(word))
    }

    /// Is `w` a known place?
    pub fn is_place(&self, w: &str) -> bool {
        self.lists.get("place").is_some_and(|l| l.contains(w))
    }

    /// The place a byline or credit starts with: the shortest known place at the start,
    /// followed by a word of the `place_suffix` or `media_org` lists.
    pub fn leading_place(&self, text: &str) -> Option<String> {
        let list = self.lists.get("place")?;
        let cs: Vec<char> = text.chars().collect();
        let end = list.ends_at(&cs, 0).into_iter().filter(|&e| e >= 2).min()?;
        let followed = ["place_suffix", "media_org"]
            .iter()
            .filter_map(|n| self.lists.get(*n))
            .any(|l| !l.ends_at(&cs, end).is_empty());
        followed.then(|| cs[..end].iter().collect())
    }

    /// Does `text` name `place` with an administrative suffix of the `place_suffix` list
    /// (`X` followed by a word such as 区 or 县)?
    pub fn names_with_suffix(&self, text: &str, place: &str) -> bool {
        let Some(suffixes) = self.lists.get("place_suffix") else {
            return false;
        };
        let n = place.chars().count();
        text.match_indices(place).any(|(at, _)| {
            let rest: Vec<char> = text[at..].chars().skip(n).take(8).collect();
            !suffixes.ends_at(&rest, 0).is_empty()
        })
    }

    /// Does some pattern of `kind` match all of `s`?
    pub fn matches(&self, kind: PatternKind, s: &[char]) -> bool {
        self.patterns
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .any(|(_, _, p)| pattern::ends(p, self, s, 0).contains(&s.len()))
    }

    /// Ends of the matches of patterns of `kind` that start at `pos` in `s`.
    pub fn match_ends(&self, kind: PatternKind, s: &[char], pos: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for (_, _, p) in self.patterns.iter().filter(|(k, _, _)| *k == kind) {
            out.extend(pattern::ends(p, self, s, pos));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The patterns of the grammar: kind and source text, in declaration order.
    pub fn patterns(&self) -> impl Iterator<Item = (PatternKind, &str)> {
        self.patterns.iter().map(|(k, s, _)| (*k, s.as_str()))
    }

    /// Does pattern number `index` (see [`Grammar::patterns`]) match all of `s`?
    pub fn pattern_matches(&self, index: usize, s: &[char]) -> bool {
        self.patterns
            .get(index)
            .is_some_and(|(_, _, p)| pattern::ends(p, self, s, 0).contains(&s.len()))
    }

    /// Has the grammar any pattern of `kind`?
    pub fn has(&self, kind: PatternKind) -> bool {
        self.patterns.iter().any(|(k, _, _)| *k == kind)
    }

    /// The grammar in canonical form: sorted, deduplicated, includes expanded.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("# grammar {} (canonical form)\n", self.name));
        for (name, chars) in &self.classes {
            out.push_str(&format!(
                "class {name} = {}\n",
                chars.iter().collect::<String>()
            ));
        }
        for (name, v) in &self.settings {
            out.push_str(&format!("set {name} = {v}\n"));
        }
        for (name, list) in &self.lists {
            let words: Vec<&str> = list.words().collect();
            out.push_str(&format!("list {name} ="));
            for chunk in words.chunks(12) {
                out.push_str(&format!("\n    {}", chunk.join(" ")));
            }
            out.push('\n');
        }
        for (name, (file, lex)) in &self.lexicons {
            out.push_str(&format!("lexicon {name} < {file}  # {} words\n", lex.len()));
        }
        // Definitions in the order they were declared: one may use an earlier one.
        for name in &self.define_order {
            if let Some((src, _)) = self.defines.get(name) {
                out.push_str(&format!("define {name} = {src}\n"));
            }
        }
        let mut pats: Vec<_> = self
            .patterns
            .iter()
            .map(|(k, s, _)| (k.name(), s.as_str()))
            .collect();
        pats.sort();
        pats.dedup();
        for (k, s) in pats {
            out.push_str(&format!("pattern {k} = {s}\n"));
        }
        out
    }

    pub(crate) fn define(&self, name: &str) -> Option<&Pat> {
        self.defines.get(name).map(|(_, p)| p)
    }

    pub(crate) fn class_set(&self, name: &str) -> Option<&Vec<char>> {
        self.classes.get(name)
    }
}

/// The shipped profiles, for picking one per page.
#[derive(Debug, Clone)]
pub struct Profiles {
    /// The profiles, in order of preference on a tie.
    pub grammars: Vec<Grammar>,
}

/// Which grammar a run uses: one forced with `--grammar`, or the best profile for each page.
#[derive(Debug, Clone)]
pub enum Choice {
    /// Every page uses this grammar.
    Forced(Box<Grammar>),
    /// Each page picks the profile that fits it best.
    Auto(Profiles),
}

impl Choice {
    /// The grammar for a page, with the profile's name and score when it was picked.
    pub fn for_page(&self, text: &str) -> (&Grammar, Option<(String, f64)>) {
        match self {
            Choice::Forced(g) => (g.as_ref(), None),
            Choice::Auto(p) => {
                let (i, score) = p.select(text);
                (&p.grammars[i], Some((p.grammars[i].name.clone(), score)))
            }
        }
    }
}

impl Profiles {
    /// The built-in profiles ([`PROFILES`]).
    pub fn builtin() -> Profiles {
        Profiles {
            grammars: PROFILES
                .iter()
                .map(|n| Grammar::builtin(n).expect("built-in profile parses"))
                .collect(),
        }
    }

    /// Score every profile on a page: how well its script fits (`set cjk = 1` for CJK profiles),
    /// plus the lines its byline, credit, place and marker patterns match and the paragraphs its
    /// dateline patterns open. Returns the best profile's index and score.
    pub fn select(&self, text: &str) -> (usize, f64) {
        let (mut han, mut latin) = (0usize, 0usize);
        for c in text.chars().take(20_000) {
            if crate::parse::chars::is_cjk(c) {
                han += 1;
            } else if crate::parse::chars::is_latin(c) {
                latin += 1;
            }
        }
        let cjk_share = if han + latin == 0 {
            0.5
        } else {
            han as f64 / (han + latin) as f64
        };
        let lines: Vec<Vec<char>> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(2000)
            .map(|l| l.chars().collect())
            .collect();
        let fits: Vec<f64> = self
            .grammars
            .iter()
            .map(|g| {
                if g.setting("cjk", 0.0) > 0.5 {
                    cjk_share
                } else {
                    1.0 - cjk_share
                }
            })
            .collect();
        // Profiles in order of script fit: one whose best possible score (every cue found)
        // falls short of a score already reached cannot win and is not matched line by line.
        let mut order: Vec<usize> = (0..self.grammars.len()).collect();
        order.sort_by(|&a, &b| fits[b].total_cmp(&fits[a]));
        let mut scores: Vec<Option<f64>> = vec![None; self.grammars.len()];
        let mut top = f64::MIN;
        for i in order {
            if 10.0 * fits[i] + MAX_CUES as f64 * 0.5 < top {
                continue;
            }
            let g = &self.grammars[i];
            let mut cues = 0usize;
            for l in &lines {
                if cues >= MAX_CUES {
                    break; // more cues do not count
                }
                // A marker tells which kind of byline or credit a cue line is: read on those.
                if l.len() <= 40
                    && [PatternKind::Byline, PatternKind::Credit, PatternKind::Place]
                        .iter()
                        .any(|&k| g.matches(k, l))
                {
                    cues += 1 + g.matches(PatternKind::Marker, l) as usize;
                }
                let head = &l[..l.len().min(40)];
                if !g.match_ends(PatternKind::Dateline, head, 0).is_empty() {
                    cues += 1;
                }
            }
            let score = 10.0 * fits[i] + (cues.min(MAX_CUES) as f64) * 0.5;
            top = top.max(score);
            scores[i] = Some(score);
        }
        // The best score; on a tie, the profile first in order of preference.
        let mut best = (0, f64::MIN);
        for (i, s) in scores.iter().enumerate() {
            if let Some(score) = *s {
                if score > best.1 {
                    best = (i, score);
                }
            }
        }
        best
    }
}

/// Cues a profile's score counts at most.
const MAX_CUES: usize = 20;

/// Logical lines: (1-based line number, text without comment, byte→column mapper).
fn logical_lines(src: &str) -> Vec<(usize, String, impl Fn(usize) -> usize)> {
    let mut out: Vec<(usize, String, Vec<usize>)> = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let text = strip_comment(raw);
        if text.trim().is_empty() {
            continue;
        }
        let continues = raw.starts_with([' ', '\t']);
        if continues {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(text.trim());
                continue;
            }
        }
        let text = text.trim_end().to_owned();
        let cols: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        out.push((i + 1, text, cols));
    }
    out.into_iter()
        .map(|(n, t, cols)| {
            (n, t, move |byte: usize| {
                cols.partition_point(|&b| b < byte) + 1
            })
        })
        .collect()
}

/// Remove a `#` comment that is not inside a quoted literal.
fn strip_comment(line: &str) -> &str {
    let mut in_quote = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '#' if !in_quote => return &line[..i],
            _ => {}
        }
    }
    line
}

mod parse {
    //! nom parsers for directives.
    use nom::bytes::complete::{tag, take_while1};
    use nom::character::complete::{space0, space1};
    use nom::combinator::all_consuming;
    use nom::number::complete::double;
    use nom::{IResult, Parser};

    pub enum Directive {
        Include(String),
        List {
            name: String,
            words: Vec<String>,
        },
        ListFile {
            name: String,
            file: String,
        },
        Lexicon {
            name: String,
            file: String,
        },
        Class {
            name: String,
            chars: Vec<char>,
        },
        Set {
            name: String,
            value: f64,
        },
        Define {
            name: String,
            src: String,
            offset: usize,
        },
        Pattern {
            kind: String,
            src: String,
            offset: usize,
        },
    }

    fn ident(i: &str) -> IResult<&str, &str> {
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-').parse(i)
    }

    fn eq(i: &str) -> IResult<&str, ()> {
        (space0, tag("="), space0).map(|_| ()).parse(i)
    }

    /// Parse one logical line; on error, (byte position, message).
    pub fn directive(line: &str) -> Result<Directive, (usize, String)> {
        let pos = |rest: &str| line.len() - rest.len();
        let (rest, kw) = ident(line).map_err(|_| {
            (
                0,
                "expected a directive: include, list, lexicon, class, set, define or pattern"
                    .to_owned(),
            )
        })?;
        let (rest, _) = space1::<&str, nom::error::Error<&str>>(rest)
            .map_err(|_| (kw.len(), format!("expected a space after `{kw}`")))?;
        match kw {
            "include" => {
                let (r, name) = ident(rest).map_err(|_| (pos(rest), "expected a grammar name".to_owned()))?;
                if !r.trim().is_empty() {
                    return Err((pos(r), "expected the end of the line".into()));
                }
                Ok(Directive::Include(name.to_owned()))
            }
            "list" => {
                let (r, name) = ident(rest).map_err(|_| (pos(rest), "expected a list name".to_owned()))?;
                let file: IResult<&str, &str> = (space0, tag("<"), space0).map(|_| "").parse(r);
                if let Ok((r2, _)) = file {
                    let f = r2.trim();
                    if f.is_empty() {
                        return Err((pos(r2), "expected a file name after `<`".into()));
                    }
                    return Ok(Directive::ListFile { name: name.into(), file: f.into() });
                }
                let (r, _) = eq(r).map_err(|_| (pos(r), "expected `=` or `<` after the list name".to_owned()))?;
                Ok(Directive::List {
                    name: name.into(),
                    words: r.split_whitespace().map(str::to_owned).collect(),
                })
            }
            "lexicon" => {
                let (r, name) = ident(rest).map_err(|_| (pos(rest), "expected a lexicon name".to_owned()))?;
                let (r2, _) = (space0::<&str, nom::error::Error<&str>>, tag("<"), space0)
                    .parse(r)
                    .map_err(|_| (pos(r), "expected `<` and a file after the lexicon name".to_owned()))?;
                let f = r2.trim();
                if f.is_empty() {
                    return Err((pos(r2), "expected a file name after `<`".into()));
                }
                Ok(Directive::Lexicon { name: name.into(), file: f.into() })
            }
            "class" => {
                let (r, name) = ident(rest).map_err(|_| (pos(rest), "expected a class name".to_owned()))?;
                let (r, _) = eq(r).map_err(|_| (pos(r), "expected `=` after the class name".to_owned()))?;
                let chars: Vec<char> = r.chars().filter(|c| !c.is_whitespace()).collect();
                if chars.is_empty() {
                    return Err((pos(r), "expected the characters of the class".into()));
                }
                Ok(Directive::Class { name: name.into(), chars })
            }
            "set" => {
                let (r, name) = ident(rest).map_err(|_| (pos(rest), "expected a setting name".to_owned()))?;
                let (r, _) = eq(r).map_err(|_| (pos(r), "expected `=` after the setting name".to_owned()))?;
                let (_, v) = all_consuming((double::<&str, nom::error::Error<&str>>, space0).map(|(v, _)| v))
                    .parse(r)
                    .map_err(|_| (pos(r), "expected a number".to_owned()))?;
                Ok(Directive::Set { name: name.into(), value: v })
            }
            "define" | "pattern" => {
                let (r, name) = ident(rest).map_err(|_| (pos(rest), format!("expected a name after `{kw}`")))?;
                let (r, _) = eq(r).map_err(|_| (pos(r), format!("expected `=` after `{name}`")))?;
                let (src, offset) = (r, pos(r));
                if kw == "define" {
                    Ok(Directive::Define { name: name.into(), src: src.trim_end().into(), offset })
                } else {
                    Ok(Directive::Pattern { kind: name.into(), src: src.trim_end().into(), offset })
                }
            }
            other => Err((0, format!("unknown directive `{other}` (expected include, list, lexicon, class, set, define or pattern)"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse() {
        for name in Grammar::builtin_names() {
            Grammar::builtin(name).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn misspelt_settings_are_errors() {
        let e = Grammar::parse("set titel_max_chars = 30\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        assert!(
            e.message.contains("unknown setting `titel_max_chars`"),
            "{e}"
        );
        assert!(Grammar::parse("set title_max_chars = 30\n").is_ok());
    }

    #[test]
    fn errors_have_positions() {
        let e = Grammar::parse("list place = a b\npattern byline = \"x\" <nope>\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 22), "{e}");
        assert!(e.message.contains("nope"), "{e}");
        let e = Grammar::parse("sett x = 1\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        let e = Grammar::parse("set x = abc\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 9));
    }

    #[test]
    fn a_definition_is_not_replaced() {
        // An included grammar's `name` must not change meaning under the patterns using it.
        let e = Grammar::parse("define name = \"a\"\ndefine name = \"b\"\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("already defined"), "{e}");
        assert!(Grammar::parse("define name = \"a\"\ndefine name = \"a\"\n").is_ok());
    }

    #[test]
    fn patterns_match() {
        let g = Grammar::parse(
            "list place = 江北 万州\ndefine name = @han{2,3}\npattern byline = <place> (\"区\" | \"县\") \"新闻台\" (@s+ <name>)+ (@s+ \"摄\")?\n",
        )
        .unwrap();
        let m = |s: &str| g.matches(PatternKind::Byline, &s.chars().collect::<Vec<_>>());
        assert!(m("江北区新闻台 王小明"));
        assert!(m("万州区新闻台 张明 张三 摄"));
        assert!(!m("江北区新闻台"));
        assert!(!m("北京区新闻台 王小明"));
    }

    #[test]
    fn lexicon_trigrams_are_those_of_its_words() {
        let l = Lexicon::new("cat\ndog\nfür");
        assert!(l.plausible("cat") && l.plausible("DOG") && l.plausible("Für"));
        // `tac`, `ac$`: no word holds them; the opening `^ta` is not counted.
        assert_eq!(l.unseen_trigrams("tac"), 2);
        assert_eq!(l.unseen_trigrams("og"), 0);
        // A word's end is a trigram of its own: `ca$` is not one of `cat`'s.
        assert_eq!(l.unseen_trigrams("ca"), 1);
    }

    #[test]
    fn lexicons_binary_search_sorted_lines() {
        let l = Lexicon::new("a\nbe\ncat\ndog\nwell\nzebra");
        for w in ["a", "be", "cat", "dog", "well", "zebra", "Dog"] {
            assert!(l.contains(w), "{w}");
        }
        for w in ["", "b", "ca", "cats", "wellknown", "zz"] {
            assert!(!l.contains(w), "{w}");
        }
        let g = Grammar::default_grammar();
        assert!(g.is_word("government") && g.is_word("today") && g.is_word("verwaltung"));
        assert!(!g.is_word("wellknown") && !g.is_word("twentyfive"));
    }

    #[test]
    fn continuation_and_comments() {
        let g = Grammar::parse("list w = a b # c\n  d \"#\"\n").unwrap();
        let l = g.list("w").unwrap();
        assert!(l.contains("d") && l.contains("\"#\"") && !l.contains("c"));
    }
}
