#!/usr/bin/env python3
"""Build fixtures/corpus/overproof-sample.jsonl: English newspaper articles for generated test pages.

Source: ../shared/corpora/overproof (overProof evaluation data, human-corrected OCR of Sydney
Morning Herald and Chronicling America articles, one printed column line per line, as
`raw||@@||human||@@||overproof`). Only the human correction is used.

Rebuilding articles from column lines: leading lines in capitals are the headline; a line that
ends a sentence and is clearly shorter than the column ends a paragraph; a line-end hyphen is
dropped when the joined word is found unbroken elsewhere in the corpus, and kept otherwise (a
real compound). Output schema as rmrb-sample.jsonl: title, kicker, subtitle, byline, blocks.
"""
import json
import re
import sys


def articles(path):
    art = None
    for raw in open(path, encoding="utf-8", errors="replace"):
        raw = raw.rstrip("\n")
        if raw.startswith("*$*OVERPROOF*$*"):
            if art:
                yield art
            art = []
            continue
        parts = raw.split("||@@||")
        if art is not None and len(parts) >= 2:
            art.append(parts[1].rstrip())
    if art:
        yield art


def join_line(cur, l, vocab):
    """`cur` with the next column line `l` appended: a line-end hyphen is dropped when the
    joined word occurs unbroken in the corpus (`vocab`), kept otherwise (a real compound)."""
    if cur.endswith("-") and l[:1].islower():
        m = re.search(r"([A-Za-z]+)-$", cur)
        n = re.match(r"[A-Za-z]+", l)
        joined = (m.group(1) + n.group(0)).lower() if m and n else ""
        return cur[:-1] + l if joined in vocab else cur + l
    return (cur + " " + l).strip()


def main(root, out, limit):
    arts = []
    for name in ("dataset3_ChronAm_allArticles.txt", "dataset2_SMH_allArticles.txt"):
        arts.extend(articles(f"{root}/{name}"))
    vocab = set()
    for a in arts:
        for line in a:
            for w in re.findall(r"[A-Za-z]+", line[:-1] if line.endswith("-") else line):
                vocab.add(w.lower())
    kept = 0
    with open(out, "w", encoding="utf-8") as f:
        for lines in arts:
            lines = [l for l in lines if l.strip()]
            if len(lines) < 8:
                continue
            title = []
            while lines and len(title) < 3 and lines[0].strip().upper() == lines[0].strip() and re.search("[A-Z]{3}", lines[0]) and len(lines[0]) < 60:
                title.append(lines.pop(0).strip().rstrip("."))
            width = max(len(l) for l in lines)
            paras, cur = [], ""
            for l in lines:
                l = l.strip()
                cur = join_line(cur, l, vocab)
                if re.search(r"[.!?]['\"”’)]?$", l) and len(l) < 0.8 * width:
                    paras.append(cur)
                    cur = ""
            if cur:
                paras.append(cur)
            paras = [p for p in paras if len(p) > 40]
            if len(paras) < 2:
                continue
            f.write(json.dumps({"title": " ".join(title) or None, "kicker": None, "subtitle": None, "byline": None,
                                "blocks": [{"kind": "paragraph", "text": p} for p in paras]}, ensure_ascii=False) + "\n")
            kept += 1
            if kept >= limit:
                break
    print(out, kept)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/overproof", "fixtures/corpus/overproof-sample.jsonl", 60)
