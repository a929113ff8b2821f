"""Shared helpers: the repository, the command-line binary to compare with, the fixture pages."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_251e972a222be27a.txt"


def galley_bin() -> Path:
    """The CLI: $GALLEY_BIN, else target/release/galley, else target/debug/galley (built with
    cargo when neither exists)."""
    if os.environ.get("GALLEY_BIN"):
        return Path(os.environ["GALLEY_BIN"])
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "galley"
        if p.exists():
            return p
    subprocess.run(["cargo", "build", "--release", "--bin", "galley"], cwd=ROOT, check=True)
    return ROOT / "target" / "release" / "galley"


def cli(*args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the CLI from the repository root (so relative paths name the same files)."""
    r = subprocess.run([str(galley_bin()), *args], cwd=ROOT, input=stdin, capture_output=True)
    if check and r.returncode not in (0, 1):
        raise AssertionError(f"galley {' '.join(args)}: exit {r.returncode}: {r.stderr.decode()}")
    return r


def cli_json(path: str, *args: str) -> Any:
    return json.loads(cli("clean", "-q", "--format", "json", *args, path).stdout)


def fixture_pages() -> List[str]:
    """Every page the fixture harness (tests/fixtures.rs) cleans, the seed pages and the real
    ChronAm pages of tests/robustness.rs, as paths relative to the repository root."""
    pages = sorted(ROOT.glob("fixtures/*/*.input.txt"))
    pages += sorted(ROOT.glob("seeds/*.txt"))
    pages += sorted(ROOT.glob("fixtures/robustness/*.txt"))
    assert len(pages) >= 50, f"the fixture glob found only {len(pages)} pages"
    return [str(p.relative_to(ROOT)) for p in pages]


@pytest.fixture(scope="session")
def pages() -> List[str]:
    return fixture_pages()
