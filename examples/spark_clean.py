"""Clean a whole archive on Spark with galley's Python package.

    python examples/spark_clean.py INPUT OUTPUT [--master local[4]] [--grammar NAME|PATH]

INPUT is a directory of page texts (read recursively, ``--glob '*.txt'``; a page's id is its path
relative to INPUT) or a Parquet table with columns ``id`` and ``text`` (``--parquet``). Each
partition is cleaned by ``galley.clean_many`` inside ``mapInPandas``: one Python worker per
core, one grammar per worker process (galley loads a grammar name or path once per process),
each page cleaned exactly as ``galley clean`` cleans it alone. OUTPUT gets three Parquet tables,
each row carrying the page id:

- ``articles``: id, page, article, place, kicker, title, subtitle, byline, blocks (the texts),
  block_kinds, body (the blocks joined by blank lines);
- ``fixes``: id, page, code, rule, safety, line_start, line_end, column_start, column_end,
  before, after, evidence: so a reviewer can ask, across an archive,
  ``SELECT id, before, after FROM fixes WHERE code = 'HY001'``;
- ``errors``: id, error (the pages galley could not clean, with the CLI's message; the others
  are never lost).

spark-submit works the same way (``spark-submit examples/spark_clean.py IN OUT``) as long as the
executors' Python has ``galley`` installed (``pip install .`` on each node, or ship the wheel
with ``--py-files``/a packed environment).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator
from urllib.parse import unquote, urlparse

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# One schema for the three kinds of rows a partition yields; `kind` tells them apart and each
# output table keeps its own columns.
ROWS = T.StructType(
    [
        T.StructField("kind", T.StringType()),
        T.StructField("id", T.StringType()),
        T.StructField("page", T.IntegerType()),
        T.StructField("article", T.IntegerType()),
        T.StructField("place", T.StringType()),
        T.StructField("kicker", T.StringType()),
        T.StructField("title", T.StringType()),
        T.StructField("subtitle", T.StringType()),
        T.StructField("byline", T.StringType()),
        T.StructField("blocks", T.ArrayType(T.StringType())),
        T.StructField("block_kinds", T.ArrayType(T.StringType())),
        T.StructField("body", T.StringType()),
        T.StructField("code", T.StringType()),
        T.StructField("rule", T.StringType()),
        T.StructField("safety", T.StringType()),
        T.StructField("line_start", T.IntegerType()),
        T.StructField("line_end", T.IntegerType()),
        T.StructField("column_start", T.IntegerType()),
        T.StructField("column_end", T.IntegerType()),
        T.StructField("before", T.StringType()),
        T.StructField("after", T.StringType()),
        T.StructField("evidence", T.StringType()),
        T.StructField("error", T.StringType()),
    ]
)

ARTICLES = ["id", "page", "article", "place", "kicker", "title", "subtitle", "byline",
            "blocks", "block_kinds", "body"]
FIXES = ["id", "page", "code", "rule", "safety", "line_start", "line_end", "column_start",
         "column_end", "before", "after", "evidence"]
ERRORS = ["id", "error"]


def rows_of(page_id: str, result) -> Iterator[dict]:
    """The rows of one cleaned input (a document of galley's JSON), or of its error."""
    import galley

    if isinstance(result, galley.InputError):
        yield {"kind": "error", "id": page_id, "error": str(result)}
        return
    for p in result["pages"]:
        for a in p["articles"]:
            texts = [b["text"] for b in a["blocks"]]
            yield {
                "kind": "article", "id": page_id, "page": p["page"], "article": a["id"],
                "place": a["place"], "kicker": a["kicker"], "title": a["title"],
                "subtitle": a["subtitle"], "byline": a["byline"], "blocks": texts,
                "block_kinds": [b["kind"] for b in a["blocks"]], "body": "\n\n".join(texts),
            }
        for f in p["fixes"]:
            yield {
                "kind": "fix", "id": page_id, "page": p["page"], "code": f["code"],
                "rule": f["rule"], "safety": f["safety"], "line_start": f["lines"][0],
                "line_end": f["lines"][1], "column_start": f["columns"][0],
                "column_end": f["columns"][1], "before": f["before"], "after": f["after"],
                "evidence": f.get("evidence"),
            }


def clean_partitions(grammar: str | None):
    """The mapInPandas function: each batch of (id, text) rows cleaned by galley.clean_many on
    the worker's core (jobs=1: Spark already runs one task per core)."""

    def clean(batches):
        import pandas as pd

        import galley

        for pdf in batches:
            ids = [str(i) for i in pdf["id"]]
            results = galley.clean_many(
                list(pdf["text"]), sources=ids, jobs=1, grammar=grammar, errors="return"
            )
            names = ROWS.fieldNames()
            # Object columns keep None as null (not NaN) for Arrow, in every type.
            rows = [
                [r.get(n) for n in names]
                for i, res in zip(ids, results)
                for r in rows_of(i, res)
            ]
            yield pd.DataFrame(rows, columns=names, dtype=object)

    return clean


def read_pages(spark: SparkSession, path: str, parquet: bool, glob: str) -> DataFrame:
    """(id, text) rows: a Parquet table as it is, or the files of a directory as bytes (galley
    decodes them as the CLI does, so a file that is not UTF-8 is that page's error)."""
    if parquet:
        return spark.read.parquet(path).select(F.col("id").cast("string"), "text")
    root = os.path.abspath(path).rstrip("/") + "/"

    def rel(uri: str) -> str:
        p = unquote(urlparse(uri).path)
        return p[len(root):] if p.startswith(root) else uri

    rel_udf = F.udf(rel, T.StringType())
    files = (
        spark.read.format("binaryFile")
        .option("pathGlobFilter", glob)
        .option("recursiveFileLookup", "true")
        .load(path)
    )
    return files.select(rel_udf("path").alias("id"), F.col("content").alias("text"))


def run(spark: SparkSession, input: str, output: str, *, parquet: bool = False,
        glob: str = "*.txt", grammar: str | None = None, partitions: int | None = None) -> dict:
    """Clean INPUT into OUTPUT/{articles,fixes,errors}; returns the row counts."""
    pages = read_pages(spark, input, parquet, glob)
    pages = pages.repartition(partitions or 2 * spark.sparkContext.defaultParallelism)
    rows = pages.mapInPandas(clean_partitions(grammar), schema=ROWS).persist()
    counts = {}
    for name, kind, cols in [("articles", "article", ARTICLES), ("fixes", "fix", FIXES),
                             ("errors", "error", ERRORS)]:
        table = rows.where(F.col("kind") == kind).select(*cols)
        table.write.mode("overwrite").parquet(os.path.join(output, name))
        counts[name] = spark.read.parquet(os.path.join(output, name)).count()
    rows.unpersist()
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="a directory of page texts, or a Parquet table (id, text)")
    ap.add_argument("output", help="a directory for the articles, fixes and errors tables")
    ap.add_argument("--parquet", action="store_true", help="INPUT is a Parquet table")
    ap.add_argument("--glob", default="*.txt", help="which files of a directory to read")
    ap.add_argument("--grammar", help="force a grammar: a built-in name or a file (--grammar)")
    ap.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: "
                    "spark-submit's, or local[*])")
    ap.add_argument("--partitions", type=int, help="partitions (default: 2 per core)")
    a = ap.parse_args(argv)
    # Workers run the same interpreter (where galley is installed) as the driver.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("galley-clean")
    if a.master or not os.environ.get("SPARK_HOME"):
        builder = builder.master(a.master or "local[*]")
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    try:
        counts = run(spark, a.input, a.output, parquet=a.parquet, glob=a.glob,
                     grammar=a.grammar, partitions=a.partitions)
    finally:
        spark.stop()
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    # As the CLI: 2 when some pages failed (they are in the errors table).
    return 2 if counts.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
