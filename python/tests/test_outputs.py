"""diff, review, text, review_html, rules and explain give what the CLI gives."""

from __future__ import annotations

from pathlib import Path

import galley
from conftest import ROOT, SEED, cli

PATH = str(SEED.relative_to(ROOT))


def test_text_diff_and_review_equal_the_cli() -> None:
    raw = SEED.read_bytes()
    assert galley.text(raw, source=PATH) == cli("clean", "-q", PATH).stdout.decode()
    assert galley.diff(raw, source=PATH) == cli("clean", "-q", "--diff", PATH).stdout.decode()
    assert (
        galley.review(raw, source=PATH)
        == cli("clean", "-q", "--format", "review", PATH).stdout.decode()
    )
    assert galley.diff(raw).startswith("--- a/-\n+++ b/-\n")
    # A fixed point: the text output cleans to itself, with an empty diff.
    assert galley.diff(galley.text(raw)) == ""


def test_review_html_equals_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    cli("clean", "-q", "--review", str(out), PATH)
    assert galley.review_html(SEED.read_bytes(), sources=PATH) == out.read_text()
    two = galley.review_html([SEED.read_text(), "One line.\n"], sources=["a", "b"])
    assert two.startswith("<!DOCTYPE html>") or two.lower().startswith("<!doctype html>")
    assert 'data-source="a"' in two and 'data-source="b"' in two


def test_rules_and_explain() -> None:
    rules = galley.rules()
    listing = cli("rules").stdout.decode().splitlines()
    assert [r["code"] for r in rules] == [l.split()[0] for l in listing]
    for r in rules:
        assert set(r) == {"code", "name", "safety", "what", "why", "example", "wrong"}
        assert r["safety"] in ("certain", "review")
        assert galley.explain(r["code"]) == cli("explain", r["code"]).stdout.decode()
    assert galley.explain("dr001") == galley.explain("DR001")


def test_grammar_objects() -> None:
    g = galley.Grammar.named("zh-regional")
    assert g.name == "zh-regional" and "zh-common" in g.includes
    assert g.canonical() == cli("grammar", "show", "zh-regional").stdout.decode()
    assert repr(g) == 'Grammar("zh-regional")'
    p = galley.Grammar.profiles()
    assert p.name is None and p.includes == galley.profile_names()
    assert set(galley.profile_names()) <= set(galley.grammar_names())
    assert galley.clean(SEED.read_text(), grammar=p) == galley.clean(SEED.read_text())
