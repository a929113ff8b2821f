"""Type stubs of the native module (src/python.rs). Use the package `galley`, not this."""

from os import PathLike
from typing import Iterable, List, Optional, Sequence, Tuple, Union, final

__all__ = [
    "GalleyError",
    "Grammar",
    "GrammarError",
    "InputError",
    "RuleError",
    "__version__",
    "clean_json",
    "clean_json_many",
    "explain",
    "grammar_names",
    "render_as",
    "review_html",
    "rules",
    "rules_listing",
]

__version__: str

class GalleyError(Exception):
    """Base class of galley's errors."""

class GrammarError(GalleyError):
    """A grammar that could not be read or parsed (the message is the CLI's, with a snippet)."""

    path: str
    """The file (or built-in name)."""
    line: int
    """1-based line; 0 when the error has no position (a file that cannot be read)."""
    column: int
    """1-based column in characters; 0 when the error has no position."""
    message: str
    """What was expected."""
    snippet: str
    """The offending line."""

class InputError(GalleyError):
    """An input that could not be cleaned (the message is the CLI's, naming the position)."""

    source: str
    """The input's name."""
    index: Optional[int]
    """Its index in a batch (``clean_many``, ``review_html``); ``None`` for one input."""

class RuleError(GalleyError):
    """A rule code that names no rule."""

@final
class Grammar:
    """A grammar, or the built-in profiles picked page by page; reusable across calls."""

    @staticmethod
    def load(path: Union[str, PathLike[str]]) -> Grammar:
        """Load a grammar file; raises GrammarError."""
    @staticmethod
    def named(name: str) -> Grammar:
        """A built-in grammar, e.g. ``"zh-regional"``; raises GrammarError."""
    @staticmethod
    def resolve(name_or_path: str) -> Grammar:
        """A built-in name or a path, as ``--grammar`` takes it; raises GrammarError."""
    @staticmethod
    def parse(text: str) -> Grammar:
        """Grammar text (includes resolve to built-ins); raises GrammarError."""
    @staticmethod
    def profiles() -> Grammar:
        """The built-in profiles, one picked per page (the default)."""
    @property
    def name(self) -> Optional[str]:
        """The grammar's name; ``None`` for the profiles."""
    @property
    def includes(self) -> List[str]:
        """The grammars it includes (the profiles' names for the profiles)."""
    def canonical(self) -> str:
        """The grammar in canonical form (``galley grammar show``)."""

def clean_json(
    text: Union[str, bytes],
    grammar: Optional[Grammar] = None,
    select: Sequence[str] = ...,
    ignore: Sequence[str] = ...,
    source: str = "-",
    input: str = "auto",
    max_line: int = ...,
    vocabulary: Optional[Sequence[str]] = None,
) -> str: ...
def clean_json_many(
    texts: Iterable[object],
    grammar: Optional[Grammar] = None,
    select: Sequence[str] = ...,
    ignore: Sequence[str] = ...,
    sources: Optional[Sequence[str]] = None,
    input: str = "auto",
    max_line: int = ...,
    jobs: int = 0,
    vocabulary: Optional[Sequence[str]] = None,
) -> List[Union[str, InputError]]: ...
def render_as(
    text: Union[str, bytes],
    format: str,
    grammar: Optional[Grammar] = None,
    select: Sequence[str] = ...,
    ignore: Sequence[str] = ...,
    source: str = "-",
    input: str = "auto",
    max_line: int = ...,
    vocabulary: Optional[Sequence[str]] = None,
) -> str: ...
def review_html(
    texts: Iterable[Union[str, bytes]],
    grammar: Optional[Grammar] = None,
    select: Sequence[str] = ...,
    ignore: Sequence[str] = ...,
    sources: Optional[Sequence[str]] = None,
    input: str = "auto",
    max_line: int = ...,
    vocabulary: Optional[Sequence[str]] = None,
) -> str: ...
def rules() -> List[dict[str, str]]: ...
def rules_listing() -> str: ...
def explain(code: str) -> str: ...
def grammar_names() -> Tuple[List[str], List[str]]: ...
