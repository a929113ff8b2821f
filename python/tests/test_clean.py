"""galley.clean and clean_many give exactly what `galley clean --format json` gives."""

from __future__ import annotations

import json
import threading
import time

import pytest

import galley
from conftest import ROOT, SEED, cli, cli_json, fixture_pages


@pytest.mark.parametrize("path", fixture_pages())
def test_clean_equals_the_cli_json(path: str) -> None:
    raw = (ROOT / path).read_bytes()
    expected = cli_json(path)
    assert galley.clean(raw, source=path) == expected
    # A str is the same text: decoded as the CLI decodes a file.
    assert galley.clean(raw.decode("utf-8"), source=path) == expected


def test_the_readme_line() -> None:
    doc = galley.clean(SEED.read_text())
    assert doc["source"] == "-"
    assert doc["pages"][0]["articles"][0]["title"] == "走出科技创新发展实践路径"
    assert doc["pages"][0]["profile"] == {"name": "zh-regional", "score": 18.96}


def test_options_match_the_cli(pages) -> None:
    path = str(SEED.relative_to(ROOT))
    raw = SEED.read_bytes()
    for args, kw in [
        (["--grammar", "zh-regional"], {"grammar": "zh-regional"}),
        (["--grammar", "zh-national"], {"grammar": galley.Grammar.named("zh-national")}),
        (["--select", "DR,SP"], {"select": "DR,SP"}),
        (["--ignore", "LB001", "--ignore", "ST"], {"ignore": ["LB001", "ST"]}),
        (["--input", "raw"], {"input": "raw"}),
    ]:
        assert galley.clean(raw, source=path, **kw) == cli_json(path, *args), args
    grammar_file = ROOT / "fixtures" / "grammar" / "made-up-paper"
    files = sorted(grammar_file.glob("*.grammar")) if grammar_file.is_dir() else []
    for g in files[:1]:
        assert galley.clean(raw, source=path, grammar=galley.Grammar.load(g)) == cli_json(
            path, "--grammar", str(g)
        )


def test_clean_many_is_clean_of_each(pages) -> None:
    texts = [(ROOT / p).read_bytes() for p in pages]
    one_by_one = [galley.clean(t, source=p) for t, p in zip(texts, pages)]
    for jobs in (1, 2, None):
        assert galley.clean_many(texts, sources=pages, jobs=jobs) == one_by_one
    grammar = galley.Grammar.named("en-newspaper")
    assert galley.clean_many(texts[:5], grammar=grammar) == [
        galley.clean(t, grammar=grammar) for t in texts[:5]
    ]


def test_streamed_records_equal_clean(pages) -> None:
    """`galley clean --input jsonl` and the bindings agree record by record."""
    texts = [(ROOT / p).read_text() for p in pages if "\f" not in (ROOT / p).read_text()]
    stdin = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    out = cli("clean", "-q", "--input", "jsonl", stdin=stdin.encode()).stdout.decode()
    lines = [json.loads(l) for l in out.splitlines()]
    assert lines[-1]["type"] == "summary" and len(lines) == len(texts) + 1
    for i, (line, t) in enumerate(zip(lines, texts)):
        page = galley.clean(t)["pages"][0]
        assert line.pop("id") == i and line.pop("source") == "-"
        assert line == page


def test_clean_many_releases_the_gil() -> None:
    texts = [SEED.read_text()] * 120
    done = threading.Event()
    ticks = 0

    def work() -> None:
        galley.clean_many(texts, jobs=1)
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    # Holding the GIL for the whole batch would leave this loop a handful of turns at most.
    assert elapsed > 0.1 and ticks > elapsed * 100, (ticks, elapsed)


def _clean_in_child(q) -> None:  # type: ignore[no-untyped-def]
    q.put(galley.clean_many(["A line of text.\n"] * 8, jobs=2)[0]["pages"][0]["page"])


def test_a_forked_child_cleans_with_its_own_threads() -> None:
    """A child forked after the parent cleaned (multiprocessing, forking Spark or Dask workers)
    has the parent's pools without their threads: it must build its own, not hang."""
    import multiprocessing

    galley.clean_many(["warm the pools\n"] * 4, jobs=2)
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_clean_in_child, args=(q,))
    p.start()
    p.join(60)
    alive = p.is_alive()
    if alive:
        p.kill()
    assert not alive, "the forked child hung"
    assert p.exitcode == 0 and q.get(timeout=5) == 1


def test_vocabulary_is_the_cli_vocabulary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "page.txt"
    page.write_text(
        "The old Gal-\nley press printed the new sheet and the\nfarmers of the county read it well.\n"
    )
    words = tmp_path / "words.txt"
    words.write_text("# an edition's spelling\nGal-ley\n")
    raw = page.read_bytes()
    with_words = cli_json(str(page), "--vocabulary", str(words))
    assert with_words != cli_json(str(page))
    assert galley.clean(raw, source=str(page), vocabulary=["Gal-ley"]) == with_words
    assert galley.clean(raw, source=str(page), vocabulary=words.read_text()) == with_words
    assert galley.clean_many([raw], sources=[str(page)], vocabulary=["Gal-ley"]) == [with_words]
    assert "Gal-ley" in galley.text(raw, vocabulary=["Gal-ley"])
