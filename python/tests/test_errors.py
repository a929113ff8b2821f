"""Errors are Python exceptions with the CLI's messages; a bad text in a batch fails alone."""

from __future__ import annotations

from pathlib import Path

import pytest

import galley
from conftest import ROOT, SEED, cli


def test_grammar_errors_carry_path_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.grammar"
    bad.write_text('list a = x\npattern byline = "x" <nope>\n')
    with pytest.raises(galley.GrammarError) as e:
        galley.Grammar.load(bad)
    err = e.value
    assert (err.path, err.line, err.column) == (str(bad), 2, 22)
    assert "nope" in err.message and err.snippet == 'pattern byline = "x" <nope>'
    assert isinstance(err, galley.GalleyError)
    expected = cli("grammar", "check", str(bad), check=False)
    assert expected.returncode == 2
    assert expected.stderr.decode() == f"galley: {err}\n"
    # The same through clean(grammar=PATH), as --grammar PATH.
    with pytest.raises(galley.GrammarError) as e2:
        galley.clean("text", grammar=str(bad))
    assert (e2.value.line, e2.value.column) == (2, 22)


def test_unknown_grammar_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(galley.GrammarError) as e:
        galley.Grammar.named("zh-nowhere")
    assert e.value.line == 0 and "no built-in grammar `zh-nowhere`" in str(e.value)
    with pytest.raises(galley.GrammarError) as e:
        galley.Grammar.load(tmp_path / "missing.grammar")
    assert e.value.path.endswith("missing.grammar") and "could not read" in str(e.value)
    with pytest.raises(galley.GrammarError):
        galley.Grammar.parse('pattern byline = "x" ("y"\n')


def test_input_errors_are_the_cli_messages(tmp_path: Path) -> None:
    cases = {
        "bad-utf8.txt": b"ok line\n\xff\xfe broken\n",
        "binary.txt": b"PK\x03\x04\x00\x00binary",
        "utf16.txt": "Hello".encode("utf-16"),
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        stderr = cli("clean", "-q", str(path), check=False).stderr.decode()
        with pytest.raises(galley.InputError) as e:
            galley.clean(raw, source=str(path))
        assert stderr == f"galley: {e.value}\n"
        assert e.value.source == str(path) and e.value.index is None
    with pytest.raises(galley.InputError, match="over the limit of 10"):
        galley.clean("x" * 20, max_line=10)


def test_rule_errors() -> None:
    with pytest.raises(galley.RuleError) as e:
        galley.clean("text", select=["ZZ"])
    stderr = cli("clean", "--select", "ZZ", str(SEED), check=False).stderr.decode()
    assert stderr == f"galley: {e.value}\n"
    with pytest.raises(galley.RuleError, match="no rule `XX`"):
        galley.explain("XX")
    with pytest.raises(ValueError):
        galley.clean("text", input="sideways")
    with pytest.raises(TypeError):
        galley.clean(42)  # type: ignore[arg-type]


def test_a_bad_text_in_clean_many_fails_alone() -> None:
    good = SEED.read_text()
    texts = [good, b"ok\n\xff", "fine.\n", None, "a\x00b", good]
    with pytest.raises(galley.BatchError) as e:
        galley.clean_many(texts, jobs=2)  # type: ignore[arg-type]
    results = e.value.results
    assert sorted(e.value.errors) == [1, 3, 4]
    assert results[0] == results[5] == galley.clean(good)
    assert results[2] == galley.clean("fine.\n")
    assert "invalid UTF-8 at byte 3" in str(results[1]) and results[1].index == 1
    assert "expected str or bytes, got NoneType" in str(results[3])
    assert "binary content (NUL byte) at byte 1" in str(results[4])
    assert "3 of 6 texts failed" in str(e.value)
    returned = galley.clean_many(texts, errors="return")  # type: ignore[arg-type]
    assert [type(r).__name__ for r in returned] == [
        "dict", "InputError", "dict", "InputError", "InputError", "dict",
    ]
    assert returned[0] == results[0]
    assert galley.clean_many([]) == []
    with pytest.raises(ValueError):
        galley.clean_many(["x"], jobs=0)
    with pytest.raises(ValueError):
        galley.clean_many(["x"], sources=["a", "b"])


def test_a_str_that_is_not_unicode_is_an_error_not_a_crash() -> None:
    lone = "half a pair \ud800 here"
    out = galley.clean_many([lone, "fine"], errors="return")
    assert isinstance(out[0], galley.InputError) and isinstance(out[1], dict)
    with pytest.raises(galley.InputError, match="surrogates not allowed"):
        galley.clean(lone)
    with pytest.raises(TypeError, match="expected str or bytes, got list"):
        galley.diff(["a list"])  # type: ignore[arg-type]
