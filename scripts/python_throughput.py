"""Throughput of the Python package against the CLI on 400 seed pages (README, "Python").

    python scripts/python_throughput.py [--bin target/release/galley] [--pages 400] [--runs 5]

Both sides clean the same 400 one-page texts, each on its own (no run vocabulary), and produce
the JSON of every page: the CLI from JSON lines on stdin (`galley clean -q --input jsonl`, -j 1
and -j 2), Python with `galley.clean` in a loop and `galley.clean_many(jobs=1|2)`, the JSON
turned into Python objects. Wall-clock seconds, best of --runs rounds (each round runs every config); the CLI's time includes its
start (a few milliseconds).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import time
from pathlib import Path

import galley

ROOT = Path(__file__).resolve().parents[1]


def cpu() -> float:
    """CPU seconds of this process (every thread) and of its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best(configs: list, runs: int) -> list:
    """The best wall-clock time of each config over `runs` rounds and the CPU time of that
    run. Rounds interleave the configs, so that a load that comes and goes on the machine
    weighs on all of them alike."""
    times: list = [[] for _ in configs]
    for _ in range(runs):
        for i, (_, f) in enumerate(configs):
            t, c = time.perf_counter(), cpu()
            f()
            times[i].append((time.perf_counter() - t, cpu() - c))
    return [(name, min(ts)) for (name, _), ts in zip(configs, times)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "galley"))
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    seed = (ROOT / "seeds" / "000_251e972a222be27a.txt").read_text()
    texts = [seed] * a.pages
    stdin = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)).encode()
    galley.clean(seed)  # load the profiles once, as a long-running worker would have

    def cli(jobs: int):
        def run():
            subprocess.run([a.bin, "clean", "-q", "--input", "jsonl", "-j", str(jobs)],
                           input=stdin, stdout=subprocess.DEVNULL, check=True)
        return run

    rows = best(
        [
            ("CLI --input jsonl -j 1", cli(1)),
            ("Python clean() loop", lambda: [galley.clean(t) for t in texts]),
            ("Python clean_many(jobs=1)", lambda: galley.clean_many(texts, jobs=1)),
            ("CLI --input jsonl -j 2", cli(2)),
            ("Python clean_many(jobs=2)", lambda: galley.clean_many(texts, jobs=2)),
        ],
        a.runs,
    )
    base = {1: rows[0][1][0], 2: rows[3][1][0]}
    print(f"{a.pages} seed pages, {os.cpu_count()} cores, best of {a.runs} (wall; CPU of that run)")
    for name, (t, c) in rows:
        ref = base[2] if "2" in name.split()[-1] else base[1]
        print(f"{name:<28} {t:6.2f} s  {a.pages / t:6.0f} pages/s  {100 * (t / ref - 1):+5.1f} %"
              f"   CPU {c:6.2f} s")


if __name__ == "__main__":
    main()
