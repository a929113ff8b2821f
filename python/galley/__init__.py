"""galley: clean articles from OCR'd or PDF-extracted newspaper page text.

The same crate as the ``galley`` command line, with the same results::

    import galley
    doc = galley.clean(open("page.txt").read())        # what `galley clean --format json` writes
    doc["pages"][0]["articles"][0]["title"]
    docs = galley.clean_many(texts, jobs=4)            # in parallel, the GIL released

``clean`` returns exactly the JSON object of ``galley clean --format json`` (same field names,
same values) as Python objects; ``clean_many`` cleans each text on its own, as ``clean`` would.
Errors are exceptions carrying the command line's messages: :class:`GrammarError` (with
``path``, ``line``, ``column``), :class:`InputError` (an input that cannot be cleaned),
:class:`RuleError` (an unknown rule code), :class:`BatchError` (some texts of ``clean_many``
failed; the others are kept in it).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from . import _galley
from ._galley import GalleyError, Grammar, GrammarError, InputError, RuleError

__all__ = [
    "BatchError",
    "GalleyError",
    "Grammar",
    "GrammarError",
    "InputError",
    "RuleError",
    "clean",
    "clean_many",
    "diff",
    "explain",
    "grammar_names",
    "profile_names",
    "review",
    "review_html",
    "rules",
    "text",
]

__version__: str = _galley.__version__

Text = Union[str, bytes]
GrammarLike = Union[None, str, "os.PathLike[str]", Grammar]
Codes = Union[None, str, Iterable[str]]

#: The longest line accepted by default, in bytes (the command line's ``--max-line``).
MAX_LINE = 1 << 20


class BatchError(GalleyError):
    """Some texts of :func:`clean_many` failed; none of the others is lost.

    ``results`` holds, in input order, the cleaned document of every text that succeeded and
    the :class:`InputError` of every text that failed; ``errors`` maps the failed indexes to
    their errors.
    """

    def __init__(self, results: List[Union[Dict[str, Any], InputError]]):
        self.results = results
        self.errors: Dict[int, InputError] = {
            i: r for i, r in enumerate(results) if isinstance(r, InputError)
        }
        first = next(iter(self.errors.items()), None)
        detail = f"; first: [{first[0]}] {first[1]}" if first else ""
        super().__init__(f"{len(self.errors)} of {len(results)} texts failed{detail}")


_loaded: Dict[Any, Grammar] = {}


def _grammar(grammar: GrammarLike) -> Optional[Grammar]:
    """A Grammar from what ``--grammar`` takes: a built-in name or a path, loaded once per
    process (a file again when it changes), or a :class:`Grammar`. So a Spark or Dask worker
    that cleans many batches with ``grammar="zh-regional"`` parses the grammar once."""
    if grammar is None or isinstance(grammar, Grammar):
        return grammar
    if not isinstance(grammar, (str, os.PathLike)):
        raise TypeError(f"grammar must be a Grammar, a name or a path, not {type(grammar).__name__}")
    name = os.fspath(grammar)
    key: Any = name
    if name not in grammar_names():
        try:
            st = os.stat(name)
            key = (os.path.abspath(name), st.st_mtime_ns, st.st_size)
        except OSError:
            return Grammar.resolve(name)  # raises the CLI's error for a missing file
    if key not in _loaded:
        _loaded[key] = Grammar.resolve(name)
    return _loaded[key]


def _codes(codes: Codes) -> List[str]:
    """Rule codes or prefixes, as a list or comma-separated as ``--select`` takes them."""
    if codes is None:
        return []
    if isinstance(codes, str):
        return [c for c in codes.split(",")]
    return [str(c) for c in codes]


def _words(vocabulary: Optional[Iterable[str]]) -> Optional[List[str]]:
    """Words as ``--vocabulary`` files hold them (one a line, ``#`` comments); a str is the text
    of such a file."""
    if vocabulary is None:
        return None
    if isinstance(vocabulary, str):
        return vocabulary.splitlines()
    return [str(w) for w in vocabulary]


def clean(
    text: Text,
    *,
    grammar: GrammarLike = None,
    select: Codes = None,
    ignore: Codes = None,
    source: Optional[str] = None,
    input: str = "auto",
    max_line: int = MAX_LINE,
    vocabulary: Optional[Iterable[str]] = None,
) -> Dict[str, Any]:
    """Clean one input (a page, or pages separated by form feeds).

    Returns the object ``galley clean --format json`` writes for it: ``{"source", "pages":
    [{"type", "page", "profile", "articles", "furniture", "fixes"}]}`` (see README, "JSON").
    ``text`` is ``str`` or ``bytes`` (decoded as the command line decodes files: UTF-8, byte
    order mark dropped, CRLF to LF). ``grammar`` forces a grammar (a :class:`Grammar`, a
    built-in name or a path, like ``--grammar``); without it each page picks its profile.
    ``select``/``ignore`` take rule codes or prefixes; ``source`` names the input (default
    ``"-"``, as stdin); ``input`` is ``"auto"``, ``"galley"`` or ``"raw"`` (``--input``);
    ``vocabulary`` adds words that count as written when deciding line-end hyphens, as
    ``--vocabulary`` files do (an edition's words, say; the text of such a file or its words).

    Raises :class:`InputError` when the input cannot be cleaned, :class:`RuleError` for an
    unknown code, :class:`GrammarError` for a grammar that does not load.
    """
    out = _galley.clean_json(
        text,
        grammar=_grammar(grammar),
        select=_codes(select),
        ignore=_codes(ignore),
        source="-" if source is None else source,
        input=input,
        max_line=max_line,
        vocabulary=_words(vocabulary),
    )
    doc: Dict[str, Any] = json.loads(out)
    return doc


def clean_many(
    texts: Iterable[Text],
    *,
    jobs: Optional[int] = None,
    grammar: GrammarLike = None,
    select: Codes = None,
    ignore: Codes = None,
    sources: Optional[Sequence[str]] = None,
    input: str = "auto",
    max_line: int = MAX_LINE,
    vocabulary: Optional[Iterable[str]] = None,
    errors: str = "raise",
) -> List[Any]:
    """Clean many inputs in parallel on ``jobs`` threads (default: one per core), with the GIL
    released while Rust works. Each text is cleaned on its own, exactly as :func:`clean` would
    clean it (so results never depend on how an archive is split into batches).

    Returns the documents in input order. A text that cannot be cleaned never loses the others:
    with ``errors="raise"`` (the default) a :class:`BatchError` is raised after every text is
    done, holding all results; with ``errors="return"`` the list is returned with an
    :class:`InputError` (not raised, with ``.index`` and ``.source``) in the failed text's place.
    """
    if errors not in ("raise", "return"):
        raise ValueError(f'errors must be "raise" or "return", not {errors!r}')
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    raw = _galley.clean_json_many(
        texts,
        grammar=_grammar(grammar),
        select=_codes(select),
        ignore=_codes(ignore),
        sources=None if sources is None else list(sources),
        input=input,
        max_line=max_line,
        jobs=jobs or 0,
        vocabulary=_words(vocabulary),
    )
    results: List[Any] = [json.loads(r) if isinstance(r, str) else r for r in raw]
    if errors == "raise" and any(isinstance(r, InputError) for r in results):
        raise BatchError(results)
    return results


def _render(text: Text, fmt: str, **kw: Any) -> str:
    return _galley.render_as(
        text,
        fmt,
        grammar=_grammar(kw.get("grammar")),
        select=_codes(kw.get("select")),
        ignore=_codes(kw.get("ignore")),
        source=kw.get("source") or "-",
        input=kw.get("input", "auto"),
        max_line=kw.get("max_line", MAX_LINE),
        vocabulary=_words(kw.get("vocabulary")),
    )


def text(
    text: Text,
    *,
    grammar: GrammarLike = None,
    select: Codes = None,
    ignore: Codes = None,
    source: Optional[str] = None,
    input: str = "auto",
    max_line: int = MAX_LINE,
    vocabulary: Optional[Iterable[str]] = None,
) -> str:
    """galley text of one input: what ``galley clean`` writes (readable articles that read back
    as themselves)."""
    return _render(text, "text", grammar=grammar, select=select, ignore=ignore, source=source,
                   input=input, max_line=max_line, vocabulary=vocabulary)


def diff(
    text: Text,
    *,
    grammar: GrammarLike = None,
    select: Codes = None,
    ignore: Codes = None,
    source: Optional[str] = None,
    input: str = "auto",
    max_line: int = MAX_LINE,
    vocabulary: Optional[Iterable[str]] = None,
) -> str:
    """A unified diff from the input to its galley text, as ``galley clean --diff`` writes it
    (labelled ``a/SOURCE`` and ``b/SOURCE``; empty when nothing changes)."""
    return _render(text, "diff", grammar=grammar, select=select, ignore=ignore, source=source,
                   input=input, max_line=max_line, vocabulary=vocabulary)


def review(
    text: Text,
    *,
    grammar: GrammarLike = None,
    select: Codes = None,
    ignore: Codes = None,
    source: Optional[str] = None,
    input: str = "auto",
    max_line: int = MAX_LINE,
    vocabulary: Optional[Iterable[str]] = None,
) -> str:
    """The reviewer's view, as ``galley clean --format review`` writes it: every fix grouped by
    article, those to review first."""
    return _render(text, "review", grammar=grammar, select=select, ignore=ignore, source=source,
                   input=input, max_line=max_line, vocabulary=vocabulary)


def review_html(
    texts: Union[Text, Iterable[Text]],
    *,
    grammar: GrammarLike = None,
    select: Codes = None,
    ignore: Codes = None,
    sources: Union[None, str, Sequence[str]] = None,
    input: str = "auto",
    max_line: int = MAX_LINE,
    vocabulary: Optional[Iterable[str]] = None,
) -> str:
    """The self-contained HTML review page (``galley clean --review page.html``) of one text or
    of several (one section each, with an index). Raises :class:`InputError` for a text that
    cannot be cleaned."""
    if isinstance(texts, (str, bytes)):
        texts = [texts]
    if isinstance(sources, str):
        sources = [sources]
    return _galley.review_html(
        list(texts),
        grammar=_grammar(grammar),
        select=_codes(select),
        ignore=_codes(ignore),
        sources=None if sources is None else list(sources),
        input=input,
        max_line=max_line,
        vocabulary=_words(vocabulary),
    )


def rules() -> List[Dict[str, str]]:
    """Every rule, in code order: ``code``, ``name``, ``safety`` and its documentation
    (``what``, ``why``, ``example``, ``wrong``), as ``galley rules`` and ``galley explain``
    show them."""
    return _galley.rules()


def explain(code: str) -> str:
    """A rule's documentation, exactly as ``galley explain CODE`` prints it. Raises
    :class:`RuleError` for a code that names no rule."""
    return _galley.explain(code)


def grammar_names() -> List[str]:
    """The built-in grammars (``galley grammar list``)."""
    return list(_galley.grammar_names()[0])


def profile_names() -> List[str]:
    """The built-in profiles, one of which each page picks when no grammar is forced."""
    return list(_galley.grammar_names()[1])
