//! The Python bindings (`galley._galley`, built by maturin with the `python` feature; the
//! package `galley` in `python/galley/` wraps them).
//!
//! Contract: a thin layer over the functions the command line uses. Cleaning goes through
//! [`batch::document`] (decoding, conservation, a panic caught as the input's error) and the JSON
//! is [`render::json::compact`], the same serialiser as `--format json`, so a Python caller gets
//! exactly the CLI's fields and values; text, review and diff outputs go through
//! [`batch::process_isolated`] like the CLI's formats. Every failure becomes a Python exception
//! carrying the CLI's message; nothing here panics across the boundary. The GIL is released
//! while Rust works; batches run on a rayon pool of the requested size.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rayon::prelude::*;

use crate::batch::{self, Config, Format, Outcome};
use crate::grammar::{self, Choice, GrammarError as RustGrammarError, Profiles};
use crate::repair::vocab::Vocab;
use crate::{fix, render, source, Options};

pyo3::create_exception!(
    galley,
    GalleyError,
    PyException,
    "Base class of galley's errors."
);
pyo3::create_exception!(
    galley,
    GrammarError,
    GalleyError,
    "A grammar that could not be read or parsed: `.path`, `.line`, `.column` (1-based; 0 when the \
     error has no position), `.message`, `.snippet`."
);
pyo3::create_exception!(
    galley,
    InputError,
    GalleyError,
    "An input that could not be cleaned (not UTF-8, binary, a line too long, an internal \
     error): `.source` and, in `clean_many`, `.index`."
);
pyo3::create_exception!(
    galley,
    RuleError,
    GalleyError,
    "A rule code that names no rule (`explain`, `select`, `ignore`)."
);

/// The longest line accepted by default, as the command line's `--max-line`.
const MAX_LINE: usize = 1 << 20;

fn grammar_error(py: Python<'_>, e: &RustGrammarError) -> PyErr {
    let err = GrammarError::new_err(e.to_string());
    let v = err.value(py);
    let set = || -> PyResult<()> {
        v.setattr("path", &e.file)?;
        v.setattr("line", e.line)?;
        v.setattr("column", e.column)?;
        v.setattr("message", &e.message)?;
        v.setattr("snippet", &e.snippet)
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// An [`InputError`] for input `source` (at `index` of a batch).
fn input_error(py: Python<'_>, message: &str, source: &str, index: Option<usize>) -> PyErr {
    let err = InputError::new_err(message.to_owned());
    let v = err.value(py);
    let set = || -> PyResult<()> {
        v.setattr("source", source)?;
        v.setattr("index", index)
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// A grammar, or the built-in profiles picked page by page; loaded once, reusable across calls
/// and threads.
#[pyclass(frozen, module = "galley._galley")]
pub struct Grammar {
    choice: Arc<Choice>,
}

/// The built-in profiles, parsed once per process.
fn auto() -> Arc<Choice> {
    static AUTO: OnceLock<Arc<Choice>> = OnceLock::new();
    AUTO.get_or_init(|| Arc::new(Choice::Auto(Profiles::builtin())))
        .clone()
}

/// Run `f`, a panic becoming a [`GalleyError`] naming `what` (PyO3 would raise a
/// `PanicException`, which derives from `BaseException` and escapes `except Exception`).
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> PyResult<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        GalleyError::new_err(format!("{what}: internal error (please report): {msg}"))
    })
}

fn forced(
    py: Python<'_>,
    g: PyResult<Result<grammar::Grammar, RustGrammarError>>,
) -> PyResult<Grammar> {
    g?.map(|g| Grammar {
        choice: Arc::new(Choice::Forced(Box::new(g))),
    })
    .map_err(|e| grammar_error(py, &e))
}

#[pymethods]
impl Grammar {
    /// Load a grammar file (includes and list files resolve next to it, then to built-ins).
    #[staticmethod]
    fn load(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Grammar> {
        let what = format!("`{}`", path.display());
        forced(
            py,
            py.detach(|| no_panic(&what, || grammar::Grammar::load(&path))),
        )
    }

    /// A built-in grammar by name (`galley grammar list`), e.g. `"zh-regional"`.
    #[staticmethod]
    fn named(py: Python<'_>, name: &str) -> PyResult<Grammar> {
        forced(
            py,
            py.detach(|| no_panic(name, || grammar::Grammar::builtin(name))),
        )
    }

    /// A built-in name or a path, as `--grammar` takes it.
    #[staticmethod]
    fn resolve(py: Python<'_>, name_or_path: &str) -> PyResult<Grammar> {
        forced(
            py,
            py.detach(|| no_panic(name_or_path, || grammar::Grammar::resolve(name_or_path))),
        )
    }

    /// Grammar text (includes resolve to built-ins only).
    #[staticmethod]
    fn parse(py: Python<'_>, text: &str) -> PyResult<Grammar> {
        forced(
            py,
            py.detach(|| no_panic("<text>", || grammar::Grammar::parse(text))),
        )
    }

    /// The built-in profiles, one picked per page (what `clean` does without a grammar).
    #[staticmethod]
    fn profiles(py: Python<'_>) -> Grammar {
        Grammar {
            choice: py.detach(auto),
        }
    }

    /// The grammar's name (a built-in name or the file's path); `None` for the profiles.
    #[getter]
    fn name(&self) -> Option<String> {
        match self.choice.as_ref() {
            Choice::Forced(g) => Some(g.name.clone()),
            Choice::Auto(_) => None,
        }
    }

    /// The grammars it includes, in order (the profiles' names for the profiles).
    #[getter]
    fn includes(&self) -> Vec<String> {
        match self.choice.as_ref() {
            Choice::Forced(g) => g.includes.clone(),
            Choice::Auto(p) => p.grammars.iter().map(|g| g.name.clone()).collect(),
        }
    }

    /// The grammar in canonical form, as `galley grammar show` prints it.
    fn canonical(&self) -> PyResult<String> {
        match self.choice.as_ref() {
            Choice::Forced(g) => Ok(g.canonical()),
            Choice::Auto(_) => Err(PyValueError::new_err(
                "the profiles are several grammars; show one with Grammar.named(name)",
            )),
        }
    }

    fn __repr__(&self) -> String {
        match self.choice.as_ref() {
            Choice::Forced(g) => format!("Grammar({:?})", g.name),
            Choice::Auto(p) => {
                let names: Vec<&str> = p.grammars.iter().map(|g| g.name.as_str()).collect();
                format!("Grammar.profiles({})", names.join(", "))
            }
        }
    }
}

/// A rayon pool of `jobs` threads (0: one per core), built once per size and process.
///
/// A forked child (multiprocessing, a Spark or Dask worker forked from a parent that had
/// cleaned) inherits the pools but not their threads: work installed there would wait forever.
/// So the pools are keyed by the process id, and a child builds its own; the parent's are
/// forgotten, never dropped (dropping would signal threads that do not exist in the child).
fn pool(jobs: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    type Pools = (u32, HashMap<usize, Arc<rayon::ThreadPool>>);
    static POOLS: OnceLock<Mutex<Pools>> = OnceLock::new();
    let pid = std::process::id();
    let pools = POOLS.get_or_init(|| Mutex::new((pid, HashMap::new())));
    let mut pools = pools
        .lock()
        .map_err(|_| GalleyError::new_err("the worker pools are poisoned"))?;
    if pools.0 != pid {
        let inherited = std::mem::take(&mut pools.1);
        std::mem::forget(inherited);
        pools.0 = pid;
    }
    if let Some(p) = pools.1.get(&jobs) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map(Arc::new)
        .map_err(|e| GalleyError::new_err(format!("could not start the worker threads: {e}")))?;
    pools.1.insert(jobs, p.clone());
    Ok(p)
}

/// Options as the command line builds them from `--select`, `--ignore`, `--input` and the
/// words of `--vocabulary` files.
fn options(
    select: Vec<String>,
    ignore: Vec<String>,
    input: &str,
    vocabulary: Option<Vec<String>>,
) -> PyResult<Options> {
    fix::check_selection(select.iter().chain(&ignore))
        .map_err(|e| RuleError::new_err(e.to_string()))?;
    let input = match input {
        "auto" => source::Input::Auto,
        "galley" => source::Input::Galley,
        "raw" => source::Input::Raw,
        other => {
            return Err(PyValueError::new_err(format!(
                "input must be \"auto\", \"galley\" or \"raw\", not {other:?}"
            )))
        }
    };
    let vocabulary = vocabulary.map(|words| {
        let mut v = Vocab::default();
        for w in &words {
            v.add_word(w);
        }
        Arc::new(v)
    });
    Ok(Options {
        select,
        ignore,
        input,
        vocabulary,
    })
}

fn choice(grammar: Option<&Bound<'_, Grammar>>) -> Arc<Choice> {
    grammar.map_or_else(auto, |g| g.get().choice.clone())
}

/// Why a Python object gives no text: not `str` or `bytes` (a `TypeError`), or a `str` that is
/// not valid Unicode (lone surrogates: the input's error).
enum NoText {
    Type(String),
    Value(String),
}

impl NoText {
    fn message(&self) -> &str {
        match self {
            NoText::Type(m) | NoText::Value(m) => m,
        }
    }

    /// The exception for one input named `source`.
    fn into_err(self, py: Python<'_>, source: &str) -> PyErr {
        match self {
            NoText::Type(m) => PyTypeError::new_err(m),
            NoText::Value(m) => input_error(py, &format!("`{source}`: {m}"), source, None),
        }
    }
}

/// The bytes of a `str` or `bytes` input.
fn bytes_of(text: &Bound<'_, PyAny>) -> Result<Vec<u8>, NoText> {
    if let Ok(b) = text.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    match text.cast::<PyString>() {
        Ok(s) => s
            .to_cow()
            .map(|s| s.as_bytes().to_vec())
            .map_err(|e| NoText::Value(format!("the text is not valid Unicode: {e}"))),
        Err(_) => Err(NoText::Type(format!(
            "expected str or bytes, got {}",
            text.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| "another type".into())
        ))),
    }
}

/// Clean one text and return `--format json`'s object as a JSON string (one line).
#[pyfunction]
#[pyo3(signature = (text, grammar=None, select=vec![], ignore=vec![], source="-", input="auto", max_line=MAX_LINE, vocabulary=None))]
#[allow(clippy::too_many_arguments)]
fn clean_json(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    grammar: Option<&Bound<'_, Grammar>>,
    select: Vec<String>,
    ignore: Vec<String>,
    source: &str,
    input: &str,
    max_line: usize,
    vocabulary: Option<Vec<String>>,
) -> PyResult<String> {
    let opts = options(select, ignore, input, vocabulary)?;
    let bytes = bytes_of(text).map_err(|e| e.into_err(py, source))?;
    let choice = choice(grammar);
    let pool = pool(0)?;
    let r = py.detach(|| {
        pool.install(|| {
            batch::document(source, &bytes, &choice, &opts, max_line)
                .map(|d| render::json::compact(&d))
        })
    });
    r.map_err(|e| input_error(py, &e, source, None))
}

/// Clean many texts on `jobs` threads (0: one per core), each on its own as `clean_json`
/// would; in input order, a JSON string for each text cleaned and an `InputError` (not
/// raised) for each that failed.
#[pyfunction]
#[pyo3(signature = (texts, grammar=None, select=vec![], ignore=vec![], sources=None, input="auto", max_line=MAX_LINE, jobs=0, vocabulary=None))]
#[allow(clippy::too_many_arguments)]
fn clean_json_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    grammar: Option<&Bound<'py, Grammar>>,
    select: Vec<String>,
    ignore: Vec<String>,
    sources: Option<Vec<String>>,
    input: &str,
    max_line: usize,
    jobs: usize,
    vocabulary: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyList>> {
    let opts = options(select, ignore, input, vocabulary)?;
    let inputs: Vec<Result<Vec<u8>, NoText>> = texts
        .try_iter()?
        .map(|t| t.map(|t| bytes_of(&t)))
        .collect::<PyResult<_>>()?;
    let sources = match sources {
        Some(s) if s.len() != inputs.len() => {
            return Err(PyValueError::new_err(format!(
                "{} sources for {} texts",
                s.len(),
                inputs.len()
            )))
        }
        Some(s) => s,
        None => vec!["-".to_owned(); inputs.len()],
    };
    let choice = choice(grammar);
    let pool = pool(jobs)?;
    let results: Vec<Result<String, String>> = py.detach(|| {
        pool.install(|| {
            inputs
                .par_iter()
                .zip(sources.par_iter())
                .map(|(bytes, name)| {
                    let bytes = bytes
                        .as_ref()
                        .map_err(|e| format!("`{name}`: {}", e.message()))?;
                    batch::document(name, bytes, &choice, &opts, max_line)
                        .map(|d| render::json::compact(&d))
                })
                .collect()
        })
    });
    let out = PyList::empty(py);
    for (i, (r, name)) in results.into_iter().zip(&sources).enumerate() {
        match r {
            Ok(json) => out.append(json)?,
            Err(e) => out.append(input_error(py, &e, name, Some(i)).into_value(py))?,
        }
    }
    Ok(out)
}

/// Clean one text and render it as the command line does: `"text"` (galley text), `"review"`
/// (`--format review`), `"diff"` (`--diff`) or `"jsonl"` (`--format jsonl`, without the summary).
#[pyfunction]
#[pyo3(signature = (text, format, grammar=None, select=vec![], ignore=vec![], source="-", input="auto", max_line=MAX_LINE, vocabulary=None))]
#[allow(clippy::too_many_arguments)]
fn render_as(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    format: &str,
    grammar: Option<&Bound<'_, Grammar>>,
    select: Vec<String>,
    ignore: Vec<String>,
    source: &str,
    input: &str,
    max_line: usize,
    vocabulary: Option<Vec<String>>,
) -> PyResult<String> {
    let format = match format {
        "text" => Format::Text,
        "review" => Format::Review,
        "diff" => Format::Diff,
        "jsonl" => Format::Jsonl,
        "json" => Format::Json,
        other => {
            return Err(PyValueError::new_err(format!(
            "format must be \"text\", \"json\", \"jsonl\", \"review\" or \"diff\", not {other:?}"
        )))
        }
    };
    let config = Config {
        format,
        options: options(select, ignore, input, vocabulary)?,
        max_line,
        keep_documents: false,
    };
    let bytes = bytes_of(text).map_err(|e| e.into_err(py, source))?;
    let choice = choice(grammar);
    let pool = pool(0)?;
    let outcome =
        py.detach(|| pool.install(|| batch::process_isolated(source, &bytes, &choice, &config)));
    match outcome {
        Outcome::Done { output, .. } => Ok(output),
        Outcome::Failed(e) => Err(input_error(py, &e, source, None)),
    }
}

/// The self-contained HTML review page of some texts (`--review`), one section per text.
#[pyfunction]
#[pyo3(signature = (texts, grammar=None, select=vec![], ignore=vec![], sources=None, input="auto", max_line=MAX_LINE, vocabulary=None))]
#[allow(clippy::too_many_arguments)]
fn review_html(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    grammar: Option<&Bound<'_, Grammar>>,
    select: Vec<String>,
    ignore: Vec<String>,
    sources: Option<Vec<String>>,
    input: &str,
    max_line: usize,
    vocabulary: Option<Vec<String>>,
) -> PyResult<String> {
    let opts = options(select, ignore, input, vocabulary)?;
    let inputs: Vec<Vec<u8>> = texts
        .try_iter()?
        .map(|t| t.and_then(|t| bytes_of(&t).map_err(|e| e.into_err(py, "-"))))
        .collect::<PyResult<_>>()?;
    let sources = sources.unwrap_or_else(|| vec!["-".to_owned(); inputs.len()]);
    if sources.len() != inputs.len() {
        return Err(PyValueError::new_err(format!(
            "{} sources for {} texts",
            sources.len(),
            inputs.len()
        )));
    }
    let choice = choice(grammar);
    let pool = pool(0)?;
    let docs = py.detach(|| {
        pool.install(|| {
            inputs
                .par_iter()
                .zip(sources.par_iter())
                .map(|(b, name)| batch::document(name, b, &choice, &opts, max_line))
                .collect::<Vec<_>>()
        })
    });
    let mut ok = Vec::with_capacity(docs.len());
    for (i, (d, name)) in docs.into_iter().zip(&sources).enumerate() {
        ok.push(d.map_err(|e| input_error(py, &e, name, Some(i)))?);
    }
    py.detach(|| no_panic("the review page", || render::html::page(&ok)))
}

/// Every rule: code, name, safety and its documentation, in code order (`galley rules`).
#[pyfunction]
fn rules(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let out = PyList::empty(py);
    for r in fix::RULES {
        let d = PyDict::new(py);
        d.set_item("code", r.code)?;
        d.set_item("name", r.name)?;
        d.set_item("safety", r.safety.as_str())?;
        d.set_item("what", r.what)?;
        d.set_item("why", r.why)?;
        d.set_item("example", r.example)?;
        d.set_item("wrong", r.wrong)?;
        out.append(d)?;
    }
    Ok(out)
}

/// The lines `galley rules` prints.
#[pyfunction]
fn rules_listing() -> String {
    fix::RULES.iter().map(|r| r.listing() + "\n").collect()
}

/// A rule's documentation as `galley explain CODE` prints it.
#[pyfunction]
fn explain(code: &str) -> PyResult<String> {
    fix::lookup(code)
        .map(fix::Rule::explanation)
        .map_err(|e| RuleError::new_err(e.to_string()))
}

/// The built-in grammars' names and the profiles among them.
#[pyfunction]
fn grammar_names() -> (Vec<&'static str>, Vec<&'static str>) {
    (
        grammar::Grammar::builtin_names().collect(),
        grammar::PROFILES.to_vec(),
    )
}

/// The native module.
#[pymodule]
#[pyo3(name = "_galley")]
fn galley_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("GalleyError", py.get_type::<GalleyError>())?;
    m.add("GrammarError", py.get_type::<GrammarError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Grammar>()?;
    m.add_function(wrap_pyfunction!(clean_json, m)?)?;
    m.add_function(wrap_pyfunction!(clean_json_many, m)?)?;
    m.add_function(wrap_pyfunction!(render_as, m)?)?;
    m.add_function(wrap_pyfunction!(review_html, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_function(wrap_pyfunction!(rules_listing, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(grammar_names, m)?)?;
    Ok(())
}
