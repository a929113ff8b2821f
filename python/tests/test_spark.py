"""examples/spark_clean.py on local Spark (local[2]) over the fixture pages: its articles and
fixes equal the CLI's output for the same pages, from a directory and from a Parquet table."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, cli, cli_json, fixture_pages

pytestmark = pytest.mark.spark

if not os.environ.get("GALLEY_SPARK"):
    # CI sets GALLEY_SPARK=1, so that a missing install fails instead of skipping.
    for module in ("pyspark", "pyarrow", "pandas"):
        pytest.importorskip(module)
import pandas as pd  # noqa: E402


def run_example(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / "spark_clean.py"), *args, "--master", "local[2]"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )


def article_rows(doc_id: str, doc: dict) -> list:
    return [
        (doc_id, p["page"], a["id"], a["place"], a["kicker"], a["title"], a["subtitle"],
         a["byline"], tuple(b["text"] for b in a["blocks"]), tuple(b["kind"] for b in a["blocks"]))
        for p in doc["pages"] for a in p["articles"]
    ]


def fix_rows(doc_id: str, doc: dict) -> list:
    return [
        (doc_id, p["page"], f["code"], f["safety"], *f["lines"], *f["columns"], f["before"],
         f["after"], f.get("evidence"))
        for p in doc["pages"] for f in p["fixes"]
    ]


def opt(v):
    return None if v is None or (isinstance(v, float) and v != v) else v


def spark_articles(out: Path) -> list:
    t = pd.read_parquet(out / "articles")
    return sorted(
        (r.id, r.page, r.article, opt(r.place), opt(r.kicker), opt(r.title), opt(r.subtitle),
         opt(r.byline), tuple(r.blocks), tuple(r.block_kinds))
        for r in t.itertuples()
    )


def spark_fixes(out: Path) -> list:
    t = pd.read_parquet(out / "fixes")
    return sorted(
        (r.id, r.page, r.code, r.safety, r.line_start, r.line_end, r.column_start, r.column_end,
         r.before, r.after, opt(r.evidence))
        for r in t.itertuples()
    )


def test_spark_job_equals_the_cli(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    ids = []
    for p in fixture_pages():
        # Nested as in an archive: one directory per fixture folder.
        dest = pages / Path(p).parent.name / Path(p).name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / p, dest)
        ids.append((str(dest.relative_to(pages)), p))
    (pages / "bad.txt").write_bytes(b"first line\n\xc3\x28 broken\n")

    out = tmp_path / "out"
    r = run_example(str(pages), str(out))
    assert r.returncode == 2, r.stdout + r.stderr[-3000:]
    expected_articles, expected_fixes = [], []
    for rel, p in ids:
        doc = cli_json(p)
        expected_articles += article_rows(rel, doc)
        expected_fixes += fix_rows(rel, doc)
    got = spark_articles(out)
    assert len(got) == len(expected_articles) > 100
    assert got == sorted(expected_articles)
    assert spark_fixes(out) == sorted(expected_fixes)
    errors = pd.read_parquet(out / "errors")
    assert list(errors["id"]) == ["bad.txt"]
    bad = cli("clean", "-q", str(pages / "bad.txt"), check=False).stderr
    assert errors["error"][0] in bad.decode().replace(str(pages) + "/", "")

    # The same pages as a Parquet table of (id, text).
    table = tmp_path / "pages.parquet"
    pd.DataFrame(
        {"id": [rel for rel, _ in ids], "text": [(ROOT / p).read_text() for _, p in ids]}
    ).to_parquet(table)
    out2 = tmp_path / "out2"
    r = run_example(str(table), str(out2), "--parquet")
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert spark_articles(out2) == got
    assert spark_fixes(out2) == spark_fixes(out)
